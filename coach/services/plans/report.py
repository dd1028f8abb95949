"""Finished values for the plan page and the API: goal status, what is due next, charts.

Each goal's status comes from ``coach.coaching.goals.goal_status`` alone; this module only
gathers the figures it needs and words the result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.coaching import Action, ActionLibrary, Direction, GoalState, GoalStatus
from coach.coaching import goal_status as coaching_goal_status
from coach.instrument import Instrument
from coach.models import DevelopmentPlan, Goal
from coach.services.plans.goals import CHECKIN_INTERVAL
from coach.services.plans.trends import Trends

ACTIONS_PER_FOCUS = 3
DUE_SOON_SHOWN = 5

STATE_LABELS = {
    GoalState.NOT_STARTED: "Not started",
    GoalState.ON_TRACK: "On track",
    GoalState.AT_RISK: "At risk",
    GoalState.OFF_TRACK: "Off track",
    GoalState.DONE: "Done",
}


@dataclass(frozen=True)
class DueItem:
    """Something coming up: a milestone, a check-in or a goal's due date."""

    on: date
    text: str
    overdue: bool


@dataclass(frozen=True)
class GoalView:
    """One goal as the page shows it: status at a glance, progress, what is next, history."""

    goal: Goal
    scale_name: str
    status: GoalStatus
    progress_text: str
    latest_text: str
    next_due: DueItem | None
    checkin_due: DueItem | None
    scale_verdict: str | None
    scale_kind: str | None
    scale_change: str | None
    chart: dict[str, Any]

    @property
    def state(self) -> str:
        """The state's stable value, for styles and the API."""
        return self.status.state.value

    @property
    def label(self) -> str:
        """ "On track", "At risk", ..."""
        return STATE_LABELS[self.status.state]


@dataclass(frozen=True)
class FocusView:
    """A focus area, why it was chosen, and actions that would develop it."""

    scale_id: str
    name: str
    reason: str
    actions: tuple[Action, ...]
    used_actions: frozenset[str]


@dataclass(frozen=True)
class PlanView:
    """Everything the plan page shows."""

    plan: DevelopmentPlan
    editable: bool
    focus: list[FocusView]
    goals: list[GoalView]
    at_a_glance: list[tuple[str, str, int]]
    due_soon: list[DueItem]
    chart_data: dict[str, Any]


def status_of(goal: Goal, today: date) -> GoalStatus:
    """The goal's status on ``today`` by the one rule in coach.coaching.goals."""
    return coaching_goal_status(
        goal.baseline,
        goal.target,
        goal.due_date,
        goal.start_date,
        [(c.recorded_on, c.value) for c in goal.checkins],
        today,
        goal.done,
        direction=Direction(goal.direction),
    )


def plan_view(
    plan: DevelopmentPlan,
    instrument: Instrument,
    library: ActionLibrary,
    today: date,
    trends: Trends | None,
    editable: bool,
) -> PlanView:
    """The plan page's finished values."""
    goals = [goal_view(g, instrument, today, trends) for g in plan.goals]
    used = frozenset(g.action_id for g in plan.goals if g.action_id)
    focus = [
        FocusView(
            f.scale_id,
            _scale_name(instrument, f.scale_id),
            f.reason,
            library.for_scale(f.scale_id)[:ACTIONS_PER_FOCUS],
            used,
        )
        for f in plan.focus_areas
    ]
    counted = Counter(g.status.state for g in goals)
    glance = [(s.value, STATE_LABELS[s], counted[s]) for s in GoalState if counted[s]]
    upcoming = [d for g in goals for d in (g.next_due, g.checkin_due) if d is not None]
    return PlanView(
        plan=plan,
        editable=editable and plan.active,
        focus=focus,
        goals=goals,
        at_a_glance=glance,
        due_soon=sorted(upcoming, key=lambda d: d.on)[:DUE_SOON_SHOWN],
        chart_data={"goals": [g.chart for g in goals]},
    )


def goal_view(goal: Goal, instrument: Instrument, today: date, trends: Trends | None) -> GoalView:
    """One goal's status, progress, next date, scale change and chart."""
    status = status_of(goal, today)
    trend = trends.of(goal.scale_id) if trends else None
    latest = goal.checkins[-1] if goal.checkins else None
    return GoalView(
        goal=goal,
        scale_name=_scale_name(instrument, goal.scale_id),
        status=status,
        progress_text=_progress_text(status),
        latest_text=(
            f"{_number(latest.value)} {goal.unit} on {_day(latest.recorded_on)}"
            if latest
            else f"Baseline {_number(goal.baseline)} {goal.unit}"
        ),
        next_due=None if status.state is GoalState.DONE else _next_due(goal, today),
        checkin_due=None if status.state is GoalState.DONE else _checkin_due(goal, today),
        scale_verdict=trend.verdict if trend else None,
        scale_kind=trend.kind if trend else None,
        scale_change=trend.change.explanation if trend and trend.change else None,
        chart=_chart(goal),
    )


def _progress_text(status: GoalStatus) -> str:
    if status.progress is None:
        return "No check-in yet"
    if status.progress < 0:
        return f"Moved away from the target ({status.progress * 100:.0f}%)"
    return f"{status.progress * 100:.0f}% of the way to the target"


def _next_due(goal: Goal, today: date) -> DueItem:
    """The first open milestone, else the goal's own due date."""
    pending = [m for m in goal.milestones if not m.done]
    if pending:
        first = min(pending, key=lambda m: m.due_date)
        when = "was due" if first.due_date < today else "due"
        return DueItem(
            first.due_date,
            f"{goal.title}: milestone “{first.title}” {when} {_day(first.due_date)}",
            first.due_date < today,
        )
    when = "target was due" if goal.due_date < today else "target due"
    return DueItem(
        goal.due_date, f"{goal.title}: {when} {_day(goal.due_date)}", goal.due_date < today
    )


def _checkin_due(goal: Goal, today: date) -> DueItem | None:
    """The next check-in, CHECKIN_INTERVAL after the last one (or the start)."""
    if today > goal.due_date:
        return None
    last = goal.checkins[-1].recorded_on if goal.checkins else goal.start_date
    on = max(last + CHECKIN_INTERVAL, goal.start_date)
    return DueItem(on, f"{goal.title}: check-in due {_day(on)}", on < today)


def _chart(goal: Goal) -> dict[str, Any]:
    """The indicator over time (x in days from the start), the target line and the calendar pace.

    A time axis keeps uneven gaps between check-ins honest; ``ticks`` names the days that
    carry a label (the start, each check-in, the due date).
    """

    def day(on: date) -> int:
        return (on - goal.start_date).days

    due = day(goal.due_date)
    values: list[dict[str, float]] = [{"x": 0, "y": goal.baseline}]
    values += [{"x": day(c.recorded_on), "y": c.value} for c in goal.checkins]
    names = {day(c.recorded_on): _day(c.recorded_on) for c in goal.checkins}
    marked = sorted({0, due, *names})
    names |= {0: _day(goal.start_date), due: _day(goal.due_date)}
    return {
        "id": f"goal-chart-{goal.public_id}",
        "title": goal.indicator,
        "unit": goal.unit,
        "values": values,
        "target": [{"x": 0, "y": goal.target}, {"x": max(marked), "y": goal.target}],
        # Straight from the baseline on the start day to the target on the due day: the
        # line expected_progress describes, which the status rule compares check-ins with.
        "pace": [{"x": 0, "y": goal.baseline}, {"x": due, "y": goal.target}],
        "ticks": [{"x": x, "label": names[x]} for x in marked],
        "x_max": max(marked),
    }


def _scale_name(instrument: Instrument, scale_id: str) -> str:
    known = {s.id: s.name for s in instrument.scales}
    return known.get(scale_id, scale_id)


def _day(on: date) -> str:
    return f"{on.day} {on:%b %Y}"


def _number(value: float) -> str:
    return f"{value:g}"
