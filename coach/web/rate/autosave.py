"""A rater's answers saved as they are given, by the page's script, into the same draft."""

from __future__ import annotations

from flask import abort, request

from coach.extensions import db
from coach.services.feedback import rater_path
from coach.web.questionnaire_forms import page_form_class
from coach.web.rate.routes import _load, bp


@bp.post("/rate/<invitation_id>/pages/<int:number>/answers")
def autosave(invitation_id: str, number: int) -> tuple[str, int]:
    """Merge the posted answers (and comment, if sent) into the draft; the page stays put."""
    invitation, instrument = _load(invitation_id, writing=True)
    if not 1 <= number <= len(instrument.pages):
        abort(404)
    index = number - 1
    current = instrument.pages[index]
    form = page_form_class(instrument, current, observer=True)()  # checks the CSRF token too
    if not form.validate():
        return "", 400
    comments = {current.id: form.comment.data or ""} if "comment" in request.form else {}
    _, _, resume = rater_path.draft_of(invitation)
    rater_path.save_draft(
        db.session, invitation, instrument, form.answers(), comments, max(resume, index)
    )
    return "", 204
