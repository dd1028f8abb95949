"""The signed-in person's development in the JSON API: suggestions, plan, trends (owner only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort
from flask_login import current_user

from coach.coaching import Action
from coach.extensions import db
from coach.instruments_registry import (
    action_libraries,
    action_library,
    default_instrument,
    instruments,
)
from coach.services.feedback.rounds import latest_submitted_assessment
from coach.services.plans import development_plans as plans
from coach.services.plans.report import GoalView, plan_view
from coach.services.plans.trends import ScaleTrend, change_json, trends_of
from coach.web.api.routes import api_login_required, bp


def action_json(action: Action) -> dict[str, Any]:
    """One action of the library."""
    indicator = action.indicator
    return {
        "id": action.id,
        "scales": list(action.scales),
        "title": action.title,
        "why": action.why,
        "steps": list(action.steps),
        "horizon": action.horizon,
        "horizon_days": action.horizon_days,
        "indicator": {
            "name": indicator.name,
            "unit": indicator.unit,
            "direction": indicator.direction.value,
            "suggested_target": indicator.suggested_target,
            "baseline_hint": indicator.baseline_hint,
        },
    }


@bp.get("/me/suggestions")
@api_login_required
def my_suggestions() -> dict[str, Any]:
    """Ranked development areas from my latest assessment and 360, each with reason and actions."""
    start = plans.plan_start(db.session, current_user, instruments(), action_libraries())
    if start is None:
        return {"assessment": None, "round": None, "suggestions": []}
    return {
        "assessment": start.assessment.public_id,
        "round": start.round.public_id if start.round else None,
        "suggestions": [
            {
                "scale": s.scale_id,
                "name": s.scale_name,
                "priority": s.priority,
                "reason": s.reason,
                "parts": {"low": s.low, "blind_spot": s.blind_spot, "balance": s.balance},
                "actions": [action_json(a) for a in s.actions],
            }
            for s in start.suggestions
        ],
    }


@bp.get("/me/plan")
@api_login_required
def my_plan() -> dict[str, Any]:
    """My active plan: focus areas, goals with indicator, status, milestones and check-ins."""
    plan = plans.active_plan(db.session, current_user) or abort(404, "You have no active plan.")
    assessment = plan.assessment
    instrument = (instruments().get(assessment.instrument_id) if assessment else None) or (
        default_instrument()
    )
    person_trends = trends_of(db.session, current_user, instrument)
    library = action_library(instrument.id)
    view = plan_view(plan, instrument, library, date.today(), person_trends, editable=True)
    return {
        "id": plan.public_id,
        "active": plan.active,
        "created_at": plan.created_at.isoformat(),
        "shared_with_manager": plan.shared_with_manager,
        "reminders": plan.reminders,
        "assessment": assessment.public_id if assessment else None,
        "focus_areas": [
            {"scale": f.scale_id, "name": f.name, "reason": f.reason} for f in view.focus
        ],
        "goals": [_goal_json(g, person_trends.of(g.goal.scale_id)) for g in view.goals],
    }


def _goal_json(view: GoalView, trend: ScaleTrend | None) -> dict[str, Any]:
    goal, status = view.goal, view.status
    return {
        "id": goal.public_id,
        "title": goal.title,
        "scale": goal.scale_id,
        "action": goal.action_id,
        "indicator": {
            "name": goal.indicator,
            "unit": goal.unit,
            "direction": goal.direction,
            "baseline": goal.baseline,
            "target": goal.target,
        },
        "start_date": goal.start_date.isoformat(),
        "due_date": goal.due_date.isoformat(),
        "done": goal.done,
        "status": {
            "state": view.state,
            "label": view.label,
            "progress": status.progress,
            "expected": status.expected,
            "explanation": status.explanation,
        },
        "next_due": {"date": view.next_due.on.isoformat(), "text": view.next_due.text}
        if view.next_due
        else None,
        "milestones": [
            {"title": m.title, "due_date": m.due_date.isoformat(), "done": m.done}
            for m in goal.milestones
        ],
        "checkins": [
            {"recorded_on": c.recorded_on.isoformat(), "value": c.value, "note": c.note}
            for c in goal.checkins
        ],
        "scale_change": change_json(trend) if trend else None,
    }


@bp.get("/me/trends")
@api_login_required
def my_trends() -> dict[str, Any]:
    """Each scale's self and others' score per cycle, with the reliable-change verdict."""
    latest = latest_submitted_assessment(db.session, current_user)
    instrument = (instruments().get(latest.instrument_id) if latest else None) or (
        default_instrument()
    )
    person_trends = trends_of(db.session, current_user, instrument)
    return {
        "instrument": instrument.id,
        "measurement": {
            "from_database": person_trends.from_database,
            "assessments": person_trends.assessments_in_database,
            "note": person_trends.measurement_note,
        },
        "cycles": [
            {
                "number": c.number,
                "assessment": c.assessment.public_id,
                "submitted_at": c.assessment.submitted_at.isoformat()
                if c.assessment.submitted_at
                else None,
                "round": c.round.public_id if c.round else None,
            }
            for c in person_trends.cycles
        ],
        "scales": [
            {
                "id": s.scale_id,
                "name": s.name,
                "self": s.self_scores,
                "others": s.others,
                "sd": s.measurement.sd,
                "reliability": s.measurement.reliability,
                "change": change_json(s),
            }
            for s in person_trends.scales
        ],
    }
