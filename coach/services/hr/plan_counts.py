"""What HR may see of development plans: counts across people, never goal text.

Goal figures for a slice of fewer than ``HR_MIN_N`` people are withheld, like any other HR
figure: fewer would let HR read one person's progress. Which units HR may see at all is
decided over the whole tree by ``hr_plans``. Bounded queries: a count, the latest check-in
per goal (a window function), and the goals' own figures.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.coaching import Direction, GoalState, goal_status
from coach.models import CheckIn, DevelopmentPlan, Goal, OrgUnit, User
from coach.scoring.hr_anonymity import HR_MIN_N


def plan_aggregates(
    session: Session, unit: OrgUnit | None = None, today: date | None = None
) -> dict[str, Any]:
    """Counts for HR: people with an active plan, goals by status, share on track; no text.

    ``share_on_track`` is (on track + done) / goals under way (not "not started"). Below
    HR_MIN_N people the goal figures are None and ``suppressed`` is True.
    """
    today = today or date.today()
    owners = select(DevelopmentPlan.id).join(User, User.id == DevelopmentPlan.owner_id)
    owners = owners.where(DevelopmentPlan.active.is_(True), User.active.is_(True))
    if unit is not None:
        owners = owners.join(OrgUnit, OrgUnit.id == User.unit_id).where(
            OrgUnit.tree_path.startswith(unit.tree_path, autoescape=True)
        )
    plan_ids = owners.subquery()
    people = session.scalar(
        select(func.count(func.distinct(DevelopmentPlan.owner_id))).where(
            DevelopmentPlan.id.in_(select(plan_ids.c.id))
        )
    )
    people = int(people or 0)
    result: dict[str, Any] = {
        "people_with_active_plan": people,
        "goals": None,
        "goals_by_status": None,
        "share_on_track": None,
        "suppressed": people < HR_MIN_N,
        "min_people": HR_MIN_N,
    }
    if result["suppressed"]:
        return result
    states = _goal_states(session, select(plan_ids.c.id), today)
    under_way = sum(n for s, n in states.items() if s is not GoalState.NOT_STARTED)
    good = states[GoalState.ON_TRACK] + states[GoalState.DONE]
    result["goals"] = sum(states.values())
    result["goals_by_status"] = {s.value: states[s] for s in GoalState}
    result["share_on_track"] = good / under_way if under_way else None
    return result


def _goal_states(session: Session, plan_ids: Any, today: date) -> Counter[GoalState]:
    """Each goal's state from its figures and its latest check-in on or before today: 2 queries."""
    ranked = (
        select(
            CheckIn.goal_id,
            CheckIn.recorded_on,
            CheckIn.value,
            func.row_number()
            .over(
                partition_by=CheckIn.goal_id,
                order_by=(CheckIn.recorded_on.desc(), CheckIn.id.desc()),
            )
            .label("rank"),
        )
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(Goal.plan_id.in_(plan_ids), CheckIn.recorded_on <= today)
        .subquery()
    )
    latest = {
        goal_id: (on, value)
        for goal_id, on, value in session.execute(
            select(ranked.c.goal_id, ranked.c.recorded_on, ranked.c.value).where(ranked.c.rank == 1)
        )
    }
    states: Counter[GoalState] = Counter()
    for goal_id, baseline, target, start, due, done, direction in session.execute(
        select(
            Goal.id,
            Goal.baseline,
            Goal.target,
            Goal.start_date,
            Goal.due_date,
            Goal.done,
            Goal.direction,
        ).where(Goal.plan_id.in_(plan_ids))
    ):
        checkins = [latest[goal_id]] if goal_id in latest else []
        status = goal_status(
            baseline, target, due, start, checkins, today, done, direction=Direction(direction)
        )
        states[status.state] += 1
    return states
