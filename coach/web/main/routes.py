"""The home page each person lands on after signing in."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from coach.extensions import db
from coach.instruments_registry import default_instrument, instruments
from coach.services.assessments import self_assessment
from coach.services.home.next_step import home_state
from coach.web.base_url import warn_once_per_worker

bp = Blueprint("main", __name__)
bp.before_app_request(warn_once_per_worker)


@bp.get("/")
def home() -> str | Response:
    """Visitors are sent to sign in; people see where they stand and their next step."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    has_plans = "plans.index" in current_app.view_functions
    return render_template(
        "main/home.html",
        assessments=self_assessment.assessments_of(db.session, current_user),
        instruments=instruments(),
        instrument=default_instrument(),
        state=home_state(db.session, current_user, date.today(), with_plans=has_plans),
        has_plans=has_plans,
    )
