"""Taking the self-assessment, page by page, and reading its report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coach.db_sqlite import begin_immediate
from coach.extensions import db
from coach.instrument import Instrument
from coach.instruments_registry import default_instrument, instruments
from coach.models import Assessment
from coach.services.assessments import self_assessment as service
from coach.services.assessments.self_report import self_report
from coach.web.questionnaire_forms import page_form_class, stored_to_form

bp = Blueprint("assess", __name__)


def _load(public_id: str, writing: bool = False) -> tuple[Assessment, Instrument]:
    """The signed-in person's assessment and its instrument; 404 for anyone else's.

    ``writing``: the request saves answers or submits, so its reads happen under the write
    lock (SQLite) or the assessment's row lock (PostgreSQL), as the rater's path does.
    """
    if writing:
        begin_immediate(db.session)
    assessment = service.owned_assessment(db.session, current_user, public_id, for_update=writing)
    if assessment is None:
        abort(404)
    instrument = instruments().get(assessment.instrument_id)
    if instrument is None:
        abort(404)
    return assessment, instrument


@bp.post("/start")
@login_required
def start() -> Response:
    """Begin a self-assessment, or resume the unfinished one."""
    assessment = service.start_assessment(db.session, current_user, default_instrument())
    return redirect(url_for(".resume", public_id=assessment.public_id))


@bp.get("/<public_id>")
@login_required
def resume(public_id: str) -> Response:
    """Go to where the person left off, or to the report once submitted."""
    assessment, instrument = _load(public_id)
    if assessment.is_submitted:
        return redirect(url_for(".report", public_id=public_id))
    if assessment.current_page >= len(instrument.pages):
        return redirect(url_for(".review", public_id=public_id))
    return redirect(url_for(".page", public_id=public_id, number=assessment.current_page + 1))


@bp.route("/<public_id>/pages/<int:number>", methods=["GET", "POST"])
@login_required
def page(public_id: str, number: int) -> str | Response:
    """One page of items; its answers are saved on the server whenever the person moves."""
    assessment, instrument = _load(public_id, writing=request.method == "POST")
    if assessment.is_submitted:
        return redirect(url_for(".report", public_id=public_id))
    if not 1 <= number <= len(instrument.pages):
        abort(404)
    index = number - 1
    form_class = page_form_class(instrument, instrument.pages[index])
    stored = service.answers_of(assessment)
    form = form_class(data=stored_to_form(stored, form_class.item_ids))
    if request.method == "POST" and form.validate():
        action = request.form.get("action", "next")
        moving_on = action == "next"
        missing = form.unanswered() if moving_on else []
        target = (
            index + 1 if moving_on and not missing else (index - 1 if action == "back" else index)
        )
        service.save_page(db.session, assessment, instrument, index, form.answers(), target)
        if missing:
            for item_id in missing:
                form[item_id].errors = ["Choose an answer, or “not able to observe”."]
            flash(
                "Your answers are saved. A few questions on this page still need an answer.",
                "error",
            )
        elif action == "save":
            flash("Your answers are saved. You can come back and carry on at any time.", "success")
            return redirect(url_for("main.home"))
        else:
            return redirect(url_for(".resume", public_id=public_id))
    return render_template(
        "assess/page.html",
        assessment=assessment,
        instrument=instrument,
        page=instrument.pages[index],
        number=number,
        form=form,
        answered=len(stored),
    )


@bp.post("/<public_id>/pages/<int:number>/answers")
@login_required
def autosave(public_id: str, number: int) -> tuple[str, int]:
    """Save the answers posted as they are given (the page's script); the page stays put."""
    assessment, instrument = _load(public_id, writing=True)
    if not 1 <= number <= len(instrument.pages):
        abort(404)
    index = number - 1
    form = page_form_class(instrument, instrument.pages[index])()
    if assessment.is_submitted or not form.validate():
        return "", 400
    resume = max(assessment.current_page, index)
    service.save_page(db.session, assessment, instrument, index, form.answers(), resume)
    return "", 204


@bp.get("/<public_id>/review")
@login_required
def review(public_id: str) -> str | Response:
    """A last look before submitting: which pages are complete."""
    assessment, instrument = _load(public_id)
    if assessment.is_submitted:
        return redirect(url_for(".report", public_id=public_id))
    missing = service.unanswered_pages(assessment, instrument)
    return render_template(
        "assess/review.html", assessment=assessment, instrument=instrument, missing=set(missing)
    )


@bp.post("/<public_id>/submit")
@login_required
def submit(public_id: str) -> Response:
    """Lock the assessment and score it."""
    assessment, instrument = _load(public_id, writing=True)
    try:
        service.submit_assessment(db.session, assessment, instrument)
    except service.IncompleteAssessment as exc:
        flash("Please answer every question first; the pages marked below need a look.", "error")
        return redirect(url_for(".page", public_id=public_id, number=exc.pages[0] + 1))
    except service.AssessmentLocked:
        flash("This assessment was already submitted.", "info")
    return redirect(url_for(".report", public_id=public_id))


@bp.get("/<public_id>/report")
@login_required
def report(public_id: str) -> str | Response:
    """The scored profile."""
    assessment, instrument = _load(public_id)
    if not assessment.is_submitted:
        return redirect(url_for(".resume", public_id=public_id))
    finished = self_report(db.session, assessment, instrument)
    return render_template("assess/report.html", report=finished)
