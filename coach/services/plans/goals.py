"""Goals of a development plan: prefilled from an action, checked, saved, checked in on.

Every rule about what a goal may hold lives in ``goal_problems``, which answers with one
message per form field so the page can show each beside its field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from coach.coaching import Action, ActionLibrary, Direction
from coach.instrument import Instrument
from coach.models import CheckIn, DevelopmentPlan, Goal, Milestone
from coach.services.plans.development_plans import PlanError, require_active

MAX_GOALS = 12
"""More goals than this is a to-do list, not a development plan."""
MAX_MILESTONES = 3
CHECKIN_INTERVAL = timedelta(days=14)
"""A goal wants a check-in every two weeks: "due next" and the e-mail reminders both use it."""
CHECKIN_GRACE = timedelta(days=1)
"""A check-in may be dated a day ahead of the server's date: people live in other time zones."""


class GoalInvalid(PlanError):
    """A goal or check-in that cannot be saved; ``problems`` maps each field to its message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = dict(problems)


@dataclass(frozen=True)
class GoalDraft:
    """A goal as the person entered it, before it is checked and saved."""

    title: str
    scale_id: str
    indicator: str
    unit: str
    direction: str
    baseline: float
    target: float
    start_date: date
    due_date: date
    action_id: str | None = None
    milestones: Sequence[tuple[str, date]] = field(default_factory=tuple)


def goal_prefill(action: Action, scale_id: str, today: date) -> dict[str, object]:
    """Form values for a goal made from an action: its indicator, target and horizon."""
    indicator = action.indicator
    return {
        "title": action.title,
        "scale": scale_id if scale_id in action.scales else action.scales[0],
        "action_id": action.id,
        "indicator": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction.value,
        "target": f"{indicator.suggested_target:g}",
        "start_date": today,
        "due_date": today + timedelta(days=action.horizon_days),
    }


def goal_problems(
    draft: GoalDraft, instrument: Instrument, library: ActionLibrary, today: date
) -> dict[str, str]:
    """Every reason the goal cannot be saved, by form field; empty when it can."""
    problems: dict[str, str] = {}
    if not draft.title.strip():
        problems["title"] = "Give the goal a title."
    if draft.scale_id not in {s.id for s in instrument.scales}:
        problems["scale"] = "Choose the scale this goal develops."
    if not draft.indicator.strip():
        problems["indicator"] = "Name the indicator: what you will count."
    if not draft.unit.strip():
        problems["unit"] = "Give the indicator's unit, for example 'meetings' or '% of team'."
    if draft.action_id is not None and draft.action_id not in {a.id for a in library.actions}:
        problems["title"] = "That action is not in the library."
    for name, value in (("baseline", draft.baseline), ("target", draft.target)):
        if not math.isfinite(value):
            problems[name] = f"Enter the {name} as a number."
    if "target" not in problems and "baseline" not in problems:
        problems.update(_direction_problems(draft))
    if draft.due_date <= draft.start_date:
        problems["due_date"] = "The due date must be after the start date."
    elif draft.due_date < today:
        problems["due_date"] = "The due date has passed: choose a later one."
    for n, (title, due) in enumerate(draft.milestones, start=1):
        if not title.strip():
            problems[f"milestone_{n}_title"] = "Give this milestone a title, or clear its date."
        elif not draft.start_date <= due <= draft.due_date:
            problems[f"milestone_{n}_due"] = "A milestone falls between the start and due dates."
    return problems


def _direction_problems(draft: GoalDraft) -> dict[str, str]:
    if draft.direction not in {d.value for d in Direction}:
        return {"direction": "Choose whether the indicator should go up or down."}
    if math.isclose(draft.target, draft.baseline):
        return {"target": "The target must differ from the baseline, or there is nothing to do."}
    if draft.direction == Direction.INCREASE.value and draft.target < draft.baseline:
        return {"target": "The indicator should go up, so the target must be above the baseline."}
    if draft.direction == Direction.DECREASE.value and draft.target > draft.baseline:
        return {"target": "The indicator should go down, so the target must be below the baseline."}
    return {}


def add_goal(
    session: Session,
    plan: DevelopmentPlan,
    draft: GoalDraft,
    instrument: Instrument,
    library: ActionLibrary,
    today: date,
) -> Goal:
    """Check the goal and save it with its milestones; GoalInvalid lists what to fix."""
    require_active(plan)
    if len(plan.goals) >= MAX_GOALS:
        raise PlanError(f"A plan holds at most {MAX_GOALS} goals: finish or drop one first.")
    if len(draft.milestones) > MAX_MILESTONES:
        raise PlanError(f"A goal takes at most {MAX_MILESTONES} milestones.")
    problems = goal_problems(draft, instrument, library, today)
    if problems:
        raise GoalInvalid(problems)
    goal = Goal(
        plan=plan,
        scale_id=draft.scale_id,
        action_id=draft.action_id,
        title=draft.title.strip(),
        indicator=draft.indicator.strip(),
        unit=draft.unit.strip(),
        direction=draft.direction,
        baseline=draft.baseline,
        target=draft.target,
        start_date=draft.start_date,
        due_date=draft.due_date,
    )
    for title, due in sorted(draft.milestones, key=lambda m: m[1]):
        goal.milestones.append(Milestone(title=title.strip(), due_date=due))
    session.add(goal)
    session.commit()
    return goal


def record_checkin(
    session: Session, goal: Goal, value: float, recorded_on: date, note: str, today: date
) -> CheckIn:
    """Record the indicator's value on a date; GoalInvalid says what is wrong."""
    require_active(goal.plan)
    problems: dict[str, str] = {}
    if not math.isfinite(value):
        problems["value"] = "Enter the value as a number."
    if recorded_on > today + CHECKIN_GRACE:
        problems["recorded_on"] = "A check-in cannot be dated in the future."
    elif recorded_on < goal.start_date:
        problems["recorded_on"] = (
            f"The goal starts on {goal.start_date.isoformat()}: date the check-in on or after it."
        )
    if problems:
        raise GoalInvalid(problems)
    checkin = CheckIn(goal=goal, recorded_on=recorded_on, value=value, note=note.strip())
    session.add(checkin)
    session.commit()
    return checkin


def set_goal_done(session: Session, goal: Goal, done: bool) -> None:
    """Mark a goal done (or not done again)."""
    require_active(goal.plan)
    goal.done = done
    session.commit()


def set_milestone_done(session: Session, goal: Goal, milestone_id: str, done: bool) -> None:
    """Tick a milestone of this goal off (or on again), found by its public id."""
    require_active(goal.plan)
    milestone = next((m for m in goal.milestones if m.public_id == milestone_id), None)
    if milestone is None:
        raise PlanError("That milestone is not part of this goal.")
    milestone.done = done
    session.commit()
