"""Approving outside raters: the subject's manager or HR decides before any invitation."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coach.extensions import db
from coach.services.feedback import rater_approvals
from coach.web.feedback.forms import RELATIONSHIP_LABELS
from coach.web.feedback.routes import bp


@bp.get("/approvals")
@login_required
def approvals() -> str:
    """Outside raters waiting for this person's decision."""
    return render_template(
        "feedback/approvals.html",
        requests=rater_approvals.requests_for(db.session, current_user),
        labels=RELATIONSHIP_LABELS,
    )


def _decide(invitation_id: str, approve: bool) -> Response:
    decided = rater_approvals.decide(
        db.session,
        current_user._get_current_object(),
        invitation_id,
        approve,
        current_app.config["COACH"].base_url,
    )
    if decided is None:
        abort(404)
    flash(
        f"{decided.name} is approved as a rater for {decided.round.subject.name}."
        if approve
        else f"{decided.name} is declined: {decided.round.subject.name} will see that they "
        "were not approved, and no invitation is sent.",
        "success",
    )
    return redirect(url_for(".approvals"))


@bp.post("/approvals/<invitation_id>/approve")
@login_required
def approve_rater(invitation_id: str) -> Response:
    """Approve an outside rater: invited now if the round is open, otherwise when it opens."""
    return _decide(invitation_id, approve=True)


@bp.post("/approvals/<invitation_id>/decline")
@login_required
def decline_rater(invitation_id: str) -> Response:
    """Decline an outside rater: dropped from the round, never invited."""
    return _decide(invitation_id, approve=False)
