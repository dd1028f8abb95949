"""The subject's side of 360 feedback: choose raters, open, follow, close, read."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coach.extensions import db
from coach.instruments_registry import default_instrument, instruments
from coach.models import FeedbackRound, RoundState
from coach.scoring.anonymity import nomination_warnings
from coach.services.feedback import round_controls as controls
from coach.services.feedback import rounds
from coach.services.feedback.report import round_report
from coach.web.feedback.forms import RELATIONSHIP_LABELS, DeadlineForm, RaterForm

bp = Blueprint("feedback", __name__)


def _settings():  # type: ignore[no-untyped-def]
    return current_app.config["COACH"]


def _mine(public_id: str) -> FeedbackRound:
    feedback_round = rounds.subject_round(db.session, current_user, public_id)
    if feedback_round is None:
        abort(404)
    return feedback_round


def _back(feedback_round: FeedbackRound) -> Response:
    return redirect(url_for(".round_page", public_id=feedback_round.public_id))


def _act(public_id: str, action: Callable[[FeedbackRound], object], done: str) -> Response:
    """Carry out ``action`` on one of my rounds, flash ``done`` or the refusal, back to it."""
    feedback_round = _mine(public_id)
    try:
        action(feedback_round)
    except rounds.RoundError as exc:
        flash(str(exc), "error")
    else:
        flash(done, "success")
    return _back(feedback_round)


@bp.get("/")
@login_required
def index() -> str:
    """My feedback rounds."""
    mine = rounds.rounds_of(db.session, current_user)
    assessment = rounds.latest_submitted_assessment(db.session, current_user)
    return render_template("feedback/index.html", rounds=mine, assessment=assessment)


@bp.post("/start")
@login_required
def start() -> Response:
    """Create a draft round on the latest self-assessment."""
    try:
        feedback_round = rounds.start_round(
            db.session,
            current_user,
            default_instrument(),
            rounds.default_deadline(),
            rounds.latest_submitted_assessment(db.session, current_user),
        )
    except rounds.RoundError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".index"))
    return _back(feedback_round)


def _round_page(
    feedback_round: FeedbackRound, rater_form: RaterForm, status: int = 200
) -> tuple[str, int]:
    floor = feedback_round.min_group_n or _settings().min_group_n
    nominated = rounds.counts_by_relationship(feedback_round)
    responses = rounds.response_counts(db.session, feedback_round)
    page = render_template(
        "feedback/round.html",
        round=feedback_round,
        proposals=rounds.proposed_raters(db.session, current_user, feedback_round)
        if feedback_round.state != RoundState.CLOSED.value
        else [],
        listed=rounds.rater_list(feedback_round),
        rater_form=rater_form,
        deadline_form=DeadlineForm(deadline=feedback_round.deadline.date()),
        warnings=nomination_warnings(nominated, floor),
        nominated=nominated,
        responses=responses,
        floor=floor,
        labels=RELATIONSHIP_LABELS,
        open_blocker=controls.open_blocker(feedback_round),
        not_observed=controls.not_observed_warnings(responses, floor)
        if feedback_round.state == RoundState.OPEN.value
        else [],
    )
    return page, status


@bp.get("/<public_id>")
@login_required
def round_page(public_id: str) -> tuple[str, int]:
    """Nominate (draft), follow the response counts (open), or go to results (closed)."""
    return _round_page(_mine(public_id), RaterForm())


@bp.post("/<public_id>/raters")
@login_required
def add_raters(public_id: str) -> Response | tuple[str, int]:
    """Add the ticked proposals, or one rater typed in by hand (errors shown by the field)."""
    feedback_round = _mine(public_id)
    form = RaterForm()
    if request.form.get("source") == "proposals":
        picked = set(request.form.getlist("pick"))
        proposals = rounds.proposed_raters(db.session, current_user, feedback_round)
        raters = [(p.name, p.email, p.relationship) for p in proposals if p.email in picked]
    else:
        if not form.validate():
            return _round_page(feedback_round, form, 400)
        raters = [(form.name.data or "", form.email.data or "", form.relationship.data or "")]
    try:
        added = rounds.nominate(db.session, feedback_round, raters, _settings().base_url)
    except rounds.RoundError as exc:
        field = getattr(form, exc.field, None) if exc.field else None
        if field is None or request.form.get("source") == "proposals":
            flash(str(exc), "error")
            return _back(feedback_round)
        feedback_round = _mine(public_id)  # the failed nomination was rolled back
        field.errors = [*field.errors, str(exc)]
        return _round_page(feedback_round, form, 400)
    waiting = sum(1 for i in added if i.approval is not None)
    flash(_added_message(len(added), waiting), "success")
    return _back(feedback_round)


def _added_message(added: int, waiting: int) -> str:
    message = f"Added {added} rater{'' if added == 1 else 's'}."
    approval = "your manager or HR must approve them before any invitation is sent."
    if waiting and waiting == added:
        who = "This person is" if added == 1 else "They are"
        message += f" {who} not in the directory, so {approval}"
    elif waiting:
        verb = "is" if waiting == 1 else "are"
        message += f" {waiting} of them {verb} not in the directory, so {approval}"
    return message


@bp.post("/<public_id>/raters/<invitation_id>/withdraw")
@login_required
def withdraw(public_id: str, invitation_id: str) -> Response:
    """Take a rater off the list, or withdraw their invitation: the same for every rater."""
    feedback_round = _mine(public_id)
    draft = feedback_round.state == RoundState.DRAFT.value
    try:
        removed = rounds.withdraw(db.session, feedback_round, invitation_id)
    except rounds.RoundError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"{removed.name} is off the list."
            if draft
            else f"{removed.name}'s invitation is withdrawn and their link no longer works. "
            "Any answers already given stay in the round: answers are never linked to the "
            "people who gave them.",
            "success",
        )
    return _back(feedback_round)


@bp.post("/<public_id>/deadline")
@login_required
def deadline(public_id: str) -> Response:
    """Move the deadline."""
    form = DeadlineForm()
    if not form.validate():
        flash("Choose a valid date.", "error")
        return _back(_mine(public_id))
    return _act(
        public_id,
        lambda feedback_round: rounds.change_deadline(
            db.session, feedback_round, form.deadline_at()
        ),
        "The deadline is saved.",
    )


@bp.post("/<public_id>/open")
@login_required
def open_round(public_id: str) -> Response:
    """Send the invitations."""
    return _act(
        public_id,
        lambda feedback_round: rounds.open_round(
            db.session, feedback_round, _settings().base_url, _settings().min_group_n
        ),
        "The round is open and the invitations are on their way.",
    )


@bp.post("/<public_id>/remind")
@login_required
def remind(public_id: str) -> Response:
    """Remind whoever has not answered yet, without saying who or how many."""
    return _act(  # the same words however many are reminded: the page never says who answered
        public_id,
        lambda feedback_round: rounds.send_reminders(
            db.session, feedback_round, _settings().base_url
        ),
        "Reminders are sent to every rater who has not answered yet.",
    )


@bp.get("/<public_id>/close")
@login_required
def confirm_close(public_id: str) -> str | Response:
    """Before closing: what the report would show now, and which groups it would leave out."""
    feedback_round = _mine(public_id)
    if feedback_round.state != RoundState.OPEN.value:
        return _back(feedback_round)
    floor = feedback_round.min_group_n or _settings().min_group_n
    responses = rounds.response_counts(db.session, feedback_round)
    return render_template(
        "feedback/round_close.html",
        round=feedback_round,
        preview=controls.close_preview(responses, floor),
        not_observed=controls.not_observed_warnings(responses, floor),
        floor=floor,
    )


@bp.post("/<public_id>/close")
@login_required
def close(public_id: str) -> Response:
    """Close now and see the results."""
    feedback_round = _mine(public_id)
    try:
        rounds.close_round(
            db.session, feedback_round, "subject", current_user._get_current_object()
        )
    except rounds.RoundError as exc:
        flash(str(exc), "error")
        return _back(feedback_round)
    return redirect(url_for(".report", public_id=public_id))


@bp.get("/<public_id>/report")
@login_required
def report(public_id: str) -> str | Response:
    """The 360 report: self beside others, with how sure each figure is."""
    feedback_round = _mine(public_id)
    if feedback_round.state != RoundState.CLOSED.value:
        flash("Results appear when the round closes.", "info")
        return _back(feedback_round)
    instrument = instruments().get(feedback_round.instrument_id) or abort(404)
    return render_template(
        "feedback/report.html", report=round_report(db.session, feedback_round, instrument)
    )


from coach.web.feedback import approvals as _approvals  # noqa: E402,F401  (its routes join bp)
