"""360 rounds in the JSON API: state and counts, and the report (subject only)."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from coach.extensions import db
from coach.instruments_registry import instruments
from coach.models import RoundState
from coach.services.feedback import rounds
from coach.services.feedback.report import round_report, round_report_json
from coach.web.api.routes import api_login_required, bp


@bp.get("/rounds/<public_id>")
@api_login_required
def get_round(public_id: str) -> dict[str, Any]:
    """State, deadline and response counts per group (never who); subject only."""
    feedback_round = rounds.subject_round(db.session, current_user, public_id)
    if feedback_round is None:
        abort(404)
    return {
        "id": feedback_round.public_id,
        "state": feedback_round.state,
        "deadline": feedback_round.deadline.isoformat(),
        "anonymity_floor": feedback_round.min_group_n,
        "responses": {
            g.value: n for g, n in rounds.response_counts(db.session, feedback_round).items()
        },
    }


@bp.get("/rounds/<public_id>/report")
@api_login_required
def get_round_report(public_id: str) -> dict[str, Any]:
    """What the report page shows; suppressed groups are absent. 409 until the round closes."""
    feedback_round = rounds.subject_round(db.session, current_user, public_id)
    if feedback_round is None:
        abort(404)
    if feedback_round.state != RoundState.CLOSED.value:
        abort(409, "Results appear when the round closes.")
    instrument = instruments().get(feedback_round.instrument_id) or abort(404)
    return round_report_json(round_report(db.session, feedback_round, instrument))
