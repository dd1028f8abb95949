"""JSON API, version 1; documented at /api/v1/openapi.json."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, abort, jsonify
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from coach.extensions import db
from coach.instruments_registry import instruments
from coach.services.assessments import self_assessment
from coach.services.assessments.self_report import assessment_scores
from coach.web.api.openapi import openapi_document
from coach.web.api.serialise import assessment_summary, instrument_detail, instrument_summary

bp = Blueprint("api", __name__)
P = ParamSpec("P")
R = TypeVar("R")


def api_login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Answer 401 in JSON instead of redirecting to the sign-in page."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_authenticated:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException) -> tuple[Response, int]:
    """Errors from the API are JSON too."""
    return jsonify(error=error.name, message=error.description), error.code or 500


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.get("/instruments")
@api_login_required
def list_instruments() -> dict[str, Any]:
    """Every loaded instrument, briefly."""
    return {"instruments": [instrument_summary(i) for i in instruments().values()]}


@bp.get("/instruments/<instrument_id>")
@api_login_required
def get_instrument(instrument_id: str) -> dict[str, Any]:
    """One instrument with its scales, items and response options."""
    instrument = instruments().get(instrument_id)
    if instrument is None:
        abort(404)
    return instrument_detail(instrument)


@bp.get("/me/assessments")
@api_login_required
def my_assessments() -> dict[str, Any]:
    """The signed-in person's assessments."""
    mine = self_assessment.assessments_of(db.session, current_user)
    return {"assessments": [assessment_summary(a) for a in mine]}


@bp.get("/assessments/<public_id>")
@api_login_required
def get_assessment(public_id: str) -> dict[str, Any]:
    """Status and scale scores of one's own assessment; 404 for anyone else, HR included."""
    assessment = self_assessment.owned_assessment(db.session, current_user, public_id)
    if assessment is None:
        abort(404)
    body = assessment_summary(assessment)
    instrument = instruments().get(assessment.instrument_id)
    body["scales"] = assessment_scores(assessment, instrument) if instrument else []
    return body
