"""The development plan: start from suggestions, set goals, check in, share, see trends.

A plan is its owner's; their manager may read it when it is shared. Anyone else, and a
visitor who is not signed in, gets 404 on a plan's address, never 403: the page does not
even admit that the plan exists. Every change is the owner's alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from coach.extensions import db
from coach.instrument import Instrument
from coach.instruments_registry import (
    action_libraries,
    action_library,
    default_instrument,
    instruments,
)
from coach.models import DevelopmentPlan, Goal
from coach.services.feedback.rounds import latest_submitted_assessment
from coach.services.plans import development_plans as plans
from coach.services.plans import goals as plan_goals
from coach.services.plans.report import plan_view
from coach.services.plans.trends import trends_of
from coach.web.plans.forms import CheckInForm, GoalForm, parse_number

bp = Blueprint("plans", __name__)
P = ParamSpec("P")
R = TypeVar("R")


def signed_in_or_404(view: Callable[P, R]) -> Callable[P, R]:
    """A visitor who is not signed in gets 404 on a plan's address, as anyone else does."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_authenticated:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def _today() -> date:
    return date.today()


def _instrument(plan: DevelopmentPlan | None = None) -> Instrument:
    assessment = plan.assessment if plan else latest_submitted_assessment(db.session, current_user)
    if assessment is None:
        return default_instrument()
    return instruments().get(assessment.instrument_id) or abort(404)


def _own(public_id: str) -> DevelopmentPlan:
    return plans.own_plan(db.session, current_user, public_id) or abort(404)


def _own_goal(public_id: str, goal_id: str) -> tuple[DevelopmentPlan, Goal]:
    plan = _own(public_id)
    return plan, plans.goal_of(plan, goal_id) or abort(404)


def _back(plan: DevelopmentPlan, goal: Goal | None = None) -> Response:
    anchor = f"goal-{goal.public_id}" if goal else None
    return redirect(url_for(".plan_page", public_id=plan.public_id, _anchor=anchor))


def _checkin_prefix(goal: Goal) -> str:
    # Ends with its own "-": WTForms adds none after a prefix ending in "-" or "_", which a
    # random id does about once in 32, and the field names would then change shape.
    return f"c-{goal.public_id}-"


def _checkin_form(goal: Goal) -> CheckInForm:
    return CheckInForm(prefix=_checkin_prefix(goal), formdata=None, recorded_on=_today())


@bp.get("/")
@login_required
def index() -> str | Response:
    """The active plan, or the suggestions to start one from."""
    plan = plans.active_plan(db.session, current_user)
    if plan is not None:
        return redirect(url_for(".plan_page", public_id=plan.public_id))
    return render_template(
        "plans/start.html",
        start=plans.plan_start(db.session, current_user, instruments(), action_libraries()),
        earlier=plans.plans_of(db.session, current_user),
        shared=plans.shared_with(db.session, current_user),
        max_focus=plans.MAX_FOCUS_AREAS,
    )


@bp.post("/")
@login_required
def create() -> Response:
    """Start a plan on the ticked focus areas."""
    start = plans.plan_start(db.session, current_user, instruments(), action_libraries())
    if start is None:
        flash("Take the self-assessment first: a plan starts from its results.", "error")
        return redirect(url_for(".index"))
    try:
        plan = plans.start_plan(db.session, current_user, start, request.form.getlist("focus"))
    except plans.PlanError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".index"))
    flash("Your plan is started. Turn an action into a measurable goal.", "success")
    return _back(plan)


@bp.get("/trends")
@login_required
def trends() -> str:
    """Each scale's score per cycle, and whether the latest change is reliable."""
    person_trends = trends_of(db.session, current_user, _instrument())
    return render_template("plans/trends.html", trends=person_trends)


@bp.get("/<public_id>")
@signed_in_or_404
def plan_page(public_id: str) -> str:
    """The plan: status at a glance, what is due, each goal's progress (owner or shared)."""
    plan = plans.readable_plan(db.session, current_user, public_id) or abort(404)
    if plan.owner_id != current_user.id:
        plans.record_manager_view(db.session, plan, current_user)
    return _render_plan(plan)


def _render_plan(plan: DevelopmentPlan, bound: dict[str, CheckInForm] | None = None) -> str:
    owner = plan.owner_id == current_user.id
    instrument = _instrument(plan)
    library = action_library(instrument.id)
    person_trends = trends_of(db.session, current_user, instrument) if owner else None
    view = plan_view(plan, instrument, library, _today(), person_trends, owner)
    latest = latest_submitted_assessment(db.session, current_user) if owner else None
    forms = {g.public_id: _checkin_form(g) for g in plan.goals} | (bound or {})
    return render_template(
        "plans/plan.html",
        view=view,
        owner=owner,
        forms=forms,
        newer_assessment=latest if latest and latest.id != plan.assessment_id else None,
        earlier=[p for p in plans.plans_of(db.session, current_user) if p.id != plan.id]
        if owner
        else [],
        shared=plans.shared_with(db.session, current_user) if owner else [],
    )


@bp.route("/<public_id>/goals/new", methods=["GET", "POST"])
@signed_in_or_404
def new_goal(public_id: str) -> str | Response:
    """A goal from a suggested action (prefilled) or from scratch."""
    plan = _own(public_id)
    if not plan.active:
        flash("This plan is archived: it can be read but no longer changed.", "error")
        return _back(plan)
    instrument = _instrument(plan)
    library = action_library(instrument.id)
    wanted = request.form.get("action_id") or request.args.get("action") or ""
    action = next((a for a in library.actions if a.id == wanted), None)
    scale = request.args.get("scale", "")
    prefill = (
        plan_goals.goal_prefill(action, scale, _today())
        if action
        else {"scale": scale, "start_date": _today()}
    )
    form = GoalForm(data=prefill)
    focus = [f.scale_id for f in plan.focus_areas]
    named = {s.id: s.name for s in instrument.scales}
    form.scale.choices = [
        SelectChoice(s, named[s], optgroup="Your focus areas") for s in focus if s in named
    ] + [
        SelectChoice(s.id, s.name, optgroup="Other scales")
        for s in instrument.scales
        if s.id not in focus
    ]
    if form.validate_on_submit():
        try:
            goal = plan_goals.add_goal(
                db.session, plan, form.draft(), instrument, library, _today()
            )
        except plan_goals.GoalInvalid as exc:
            form.show_problems(exc.problems, form.filled_rows())
        except plans.PlanError as exc:
            flash(str(exc), "error")
        else:
            flash(f"Goal saved: {goal.title}", "success")
            return _back(plan, goal)
    return render_template("plans/goal_form.html", plan=plan, form=form, action=action)


@bp.post("/<public_id>/goals/<goal_id>/checkins")
@signed_in_or_404
def check_in(public_id: str, goal_id: str) -> str | Response:
    """Record where the indicator stands now."""
    plan, goal = _own_goal(public_id, goal_id)
    form = CheckInForm(prefix=_checkin_prefix(goal))
    if form.validate():
        assert form.recorded_on.data is not None
        value = parse_number(form.value.data)
        assert value is not None
        try:
            plan_goals.record_checkin(
                db.session, goal, value, form.recorded_on.data, form.note.data or "", _today()
            )
        except plan_goals.GoalInvalid as exc:
            for name, message in exc.problems.items():
                form[name].errors = [*form[name].errors, message]
        except plans.PlanError as exc:
            flash(str(exc), "error")
            return _back(plan, goal)
        else:
            flash(f"Check-in saved for “{goal.title}”.", "success")
            return _back(plan, goal)
    return _render_plan(plan, {goal.public_id: form})


@bp.post("/<public_id>/goals/<goal_id>/done")
@signed_in_or_404
def goal_done(public_id: str, goal_id: str) -> Response:
    """Mark a goal done, or open again."""
    plan, goal = _own_goal(public_id, goal_id)
    _attempt(lambda: plan_goals.set_goal_done(db.session, goal, request.form.get("done") == "1"))
    return _back(plan, goal)


@bp.post("/<public_id>/goals/<goal_id>/milestones/<milestone_id>")
@signed_in_or_404
def milestone_done(public_id: str, goal_id: str, milestone_id: str) -> Response:
    """Tick a milestone off, or on again."""
    plan, goal = _own_goal(public_id, goal_id)
    done = request.form.get("done") == "1"
    _attempt(lambda: plan_goals.set_milestone_done(db.session, goal, milestone_id, done))
    return _back(plan, goal)


@bp.post("/<public_id>/sharing")
@signed_in_or_404
def sharing(public_id: str) -> Response:
    """Share the plan read-only with my manager, or stop."""
    plan = _own(public_id)
    shared = request.form.get("shared") == "1"
    if _attempt(lambda: plans.set_sharing(db.session, plan, shared)):
        flash(
            "Your manager can now read this plan." if shared else "The plan is private again.",
            "success",
        )
    return _back(plan)


@bp.post("/<public_id>/reminders")
@signed_in_or_404
def reminders(public_id: str) -> Response:
    """Turn e-mail reminders for due check-ins on or off."""
    plan = _own(public_id)
    on = request.form.get("reminders") == "1"
    if _attempt(lambda: plans.set_reminders(db.session, plan, on)):
        flash("Reminders are on." if on else "Reminders are off.", "success")
    return _back(plan)


@bp.post("/<public_id>/archive")
@signed_in_or_404
def archive(public_id: str) -> Response:
    """Close the plan (it stays readable) so a new one can start from the latest assessment."""
    plan = _own(public_id)
    plans.archive_plan(db.session, plan)
    flash("The plan is archived. Choose the focus areas of your next plan.", "success")
    return redirect(url_for(".index"))


def _attempt(change: Callable[[], None]) -> bool:
    """Run a change; a PlanError becomes an error message. True when it worked."""
    try:
        change()
    except plans.PlanError as exc:
        flash(str(exc), "error")
        return False
    return True
