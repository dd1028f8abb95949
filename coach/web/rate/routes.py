"""The rater's path: no account, a private link, observer wording, one submission.

The token leaves the address bar at the first visit: it moves into the session cookie and
the browser is sent to an address that names only the invitation's public id.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from coach.db_sqlite import begin_immediate
from coach.errors import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, end_failed_transaction
from coach.extensions import csrf, db
from coach.instrument import Instrument, Page
from coach.instruments_registry import instruments
from coach.models import Invitation
from coach.services.accounts.link_tokens import token_hash
from coach.services.feedback import rater_path
from coach.web.link_guessing import secret_link_limit
from coach.web.questionnaire_forms import PageForm, SubmitForm, page_form_class, stored_to_form

bp = Blueprint("rate", __name__)
# CSRF is checked by each form instead of globally, so an expired token gives the rater their
# page back with the answers kept, instead of an error that loses them.
csrf.exempt(bp)
# Every page here checks the link this browser holds: refusals count against the address.
secret_link_limit(bp)
_KEY = "rater_links"
_FROM_ACCOUNT = "from-account"  # in place of a token: the signed-in person's own invitation
EXPIRED_FORM = (
    "This page was open for a long time, so for your safety nothing was saved yet. "
    "Your answers are still here: press the button again to save them."
)
NOT_SAVED = (
    "The database is not answering for a moment, so this page was not saved yet. Your answers "
    "are still here, and the answers you saved before are kept. Press the button again in a "
    "minute."
)
NOT_SUBMITTED = (
    "The database is not answering for a moment, so your feedback was not submitted yet. "
    "Your saved answers are kept. Press the button again in a minute."
)
_RETRY = {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _problem(error: str | rater_path.RaterLinkError, status: int = 400) -> tuple[str, int]:
    """The refusal page; a used link reads as a thank-you, not as a failure."""
    submitted = isinstance(error, rater_path.AlreadySubmitted)
    page = render_template("rate/problem.html", message=str(error), submitted=submitted)
    return page, status


@bp.get("/r/<token>")
def arrive(token: str) -> Response | tuple[str, int]:
    """First visit from the e-mail: check the link, keep it in the session, drop it from the URL."""
    try:
        invitation = rater_path.invitation_for_token(db.session, token)
    except rater_path.RaterLinkError as exc:
        return _problem(exc)
    links = dict(session.get(_KEY, {}))
    links[invitation.public_id] = token
    session[_KEY] = links
    return redirect(url_for(".welcome", invitation_id=invitation.public_id))


@bp.get("/rate/<invitation_id>/from-account")
@login_required
def from_account(invitation_id: str) -> Response:
    """A rater with an account opens a request sent to their own e-mail, without the link."""
    invitation = db.session.scalar(
        db.select(Invitation).where(Invitation.public_id == invitation_id)
    )
    if not rater_path.opens_from_account(db.session, invitation, current_user):
        abort(404)
    assert invitation is not None
    rater_path.check_usable(invitation)
    links = dict(session.get(_KEY, {}))
    links[invitation_id] = _FROM_ACCOUNT
    session[_KEY] = links
    return redirect(url_for(".welcome", invitation_id=invitation_id))


def _load(invitation_id: str, writing: bool = False) -> tuple[Invitation, Instrument]:
    """The invitation this browser holds the link for; 404 otherwise; RaterLinkError if spent.

    ``writing``: the request will change the draft or submit, so its reads happen under a
    lock and the rater's own concurrent requests (two tabs, a double click) queue instead of
    losing a page or failing on the draft's key: SQLite's write lock, PostgreSQL's row lock.
    """
    token = session.get(_KEY, {}).get(invitation_id)
    if not token:
        abort(404)
    query = (
        db.select(Invitation)
        .where(Invitation.public_id == invitation_id)
        .options(joinedload(Invitation.round, innerjoin=True))
    )
    if writing:
        begin_immediate(db.session)
        # SQLite has no FOR UPDATE; SQLAlchemy leaves it out. Only the invitation is locked.
        query = query.with_for_update(of=Invitation)
    invitation = db.session.scalar(query)
    if token == _FROM_ACCOUNT:  # opened from home: the signed-in person's own request
        if not (
            current_user.is_authenticated
            and rater_path.opens_from_account(db.session, invitation, current_user)
        ):
            abort(404)
    elif invitation is None or invitation.token_hash != token_hash(token):
        abort(404)  # a newer link replaced this one, or the id was made up
    assert invitation is not None
    rater_path.check_usable(invitation)
    instrument = instruments().get(invitation.round.instrument_id)
    if instrument is None:
        abort(404)
    return invitation, instrument


@bp.errorhandler(rater_path.RaterLinkError)
def link_spent(error: rater_path.RaterLinkError) -> tuple[str, int]:
    """Used, expired, revoked or closed: a clear page, and nothing stored."""
    return _problem(error, 410)


@bp.get("/rate/<invitation_id>")
def welcome(invitation_id: str) -> str:
    """Who asked, how anonymity works, and where to start or resume."""
    invitation, instrument = _load(invitation_id)
    _, _, page = rater_path.draft_of(invitation)
    return render_template(
        "rate/welcome.html",
        invitation=invitation,
        instrument=instrument,
        resume_page=page,
        answered=rater_path.answered_count(invitation),
    )


@bp.route("/rate/<invitation_id>/pages/<int:number>", methods=["GET", "POST"])
def page(invitation_id: str, number: int) -> str | Response | tuple[str, int, dict[str, str]]:
    """One page of observer items and an optional comment; saved whenever the rater moves."""
    try:
        return _page(invitation_id, number)
    except DATABASE_UNAVAILABLE:
        if request.method != "POST":
            raise  # the application's 503 page
        _log_unavailable()
        return _page_not_saved(invitation_id, number)


def _page_not_saved(invitation_id: str, number: int) -> tuple[str, int, dict[str, str]]:
    """The page again, the rater's posted choices still selected; failing again: the 503 page."""
    invitation, instrument = _load(invitation_id)
    current = _page_of(instrument, number)
    form = page_form_class(instrument, current, observer=True)()  # bound to the posted form
    return _render_page(invitation, instrument, number, form, NOT_SAVED), 503, _RETRY


def _page_of(instrument: Instrument, number: int) -> Page:
    """Page ``number`` (from 1) of the questionnaire; 404 past either end."""
    if not 1 <= number <= len(instrument.pages):
        abort(404)
    return instrument.pages[number - 1]


def _render_page(
    invitation: Invitation, instrument: Instrument, number: int, form: PageForm, message: str | None
) -> str:
    return render_template(
        "rate/page.html",
        invitation=invitation,
        instrument=instrument,
        page=instrument.pages[number - 1],
        number=number,
        form=form,
        expired_message=message,
    )


def _log_unavailable() -> None:
    current_app.logger.exception("database unavailable on %s %s", request.method, request.path)
    end_failed_transaction()


def _page(invitation_id: str, number: int) -> str | Response:
    invitation, instrument = _load(invitation_id, writing=request.method == "POST")
    current = _page_of(instrument, number)
    index = number - 1
    form_class = page_form_class(instrument, current, observer=True)
    answers, comments, _ = rater_path.draft_of(invitation)
    form = form_class(
        data={
            **stored_to_form(answers, form_class.item_ids),
            "comment": comments.get(current.id, ""),
        }
    )
    expired = False
    if request.method == "POST":
        if form.validate():
            action = request.form.get("action", "next")
            target = {"next": index + 1, "back": index - 1}.get(action, index)
            rater_path.save_draft(
                db.session,
                invitation,
                instrument,
                form.answers(),
                {current.id: form.comment.data or ""},
                target,
            )
            if action == "save":
                return redirect(url_for(".saved", invitation_id=invitation_id))
            if target >= len(instrument.pages):
                return redirect(url_for(".review", invitation_id=invitation_id))
            return redirect(
                url_for(".page", invitation_id=invitation_id, number=max(target, 0) + 1)
            )
        expired = bool(form.csrf_token.errors)
    return _render_page(invitation, instrument, number, form, EXPIRED_FORM if expired else None)


@bp.get("/rate/<invitation_id>/saved")
def saved(invitation_id: str) -> str:
    """Saved for later: how to come back."""
    invitation, _ = _load(invitation_id)
    return render_template("rate/saved.html", invitation=invitation)


@bp.route("/rate/<invitation_id>/review", methods=["GET", "POST"])
def review(invitation_id: str) -> str | Response | tuple[str, int, dict[str, str]]:
    """How many questions are answered, then the one and only submit."""
    try:
        return _review(invitation_id)
    except DATABASE_UNAVAILABLE:
        if request.method != "POST":
            raise
        _log_unavailable()
        return _review(invitation_id, NOT_SUBMITTED), 503, _RETRY


def _review(invitation_id: str, failure: str | None = None) -> str | Response:
    writing = request.method == "POST" and failure is None
    invitation, instrument = _load(invitation_id, writing)
    answers, comments, _ = rater_path.draft_of(invitation)
    form = SubmitForm()
    message = failure
    if writing:
        if form.validate():
            try:
                rater_path.submit(db.session, invitation, instrument)
            except ValueError as exc:
                message = str(exc)
            else:
                session[_KEY] = {
                    k: v for k, v in session.get(_KEY, {}).items() if k != invitation_id
                }
                return redirect(url_for(".thanks"))
        else:
            message = EXPIRED_FORM
    return render_template(
        "rate/review.html",
        invitation=invitation,
        instrument=instrument,
        form=form,
        answered=sum(1 for v in answers.values() if v is not None),
        not_observed=sum(1 for v in answers.values() if v is None),
        comments=len(comments),
        message=message,
    )


@bp.get("/rate/thanks")
def thanks() -> str:
    """Submitted."""
    return render_template("rate/thanks.html")


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    """Only reachable if a form forgot to check its own token; still a clear page."""
    return _problem(EXPIRED_FORM)


from coach.web.rate import autosave as _autosave  # noqa: E402,F401  (its route joins bp)
