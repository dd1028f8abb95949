"""Development-plan figures for HR: one decision over the whole unit tree, then one unit's counts.

Which units show plan figures is decided by ``coach.scoring.hr_tree`` over every unit at
once (two queries: the tree, and people with an active plan per unit), never by comparing a
unit with its neighbours on one page. So a unit shows its figures in every view (page, API,
CSV) or in none, and no sum or difference of shown figures isolates 1 to 4 people. Plans
are counted by the owner's current unit only; the cycle, rater-group and archetype filters
do not apply to them, so they cannot be used to narrow a unit down either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.models import DevelopmentPlan, OrgUnit, User
from coach.scoring.hr_tree import shown_units, subtree_totals
from coach.services.plan_aggregates import plan_aggregates

ORGANISATION = 0
"""The key of the whole organisation in the tree (unit ids start at 1)."""


@dataclass(frozen=True)
class PlanTree:
    """The unit tree with people with an active plan in each unit and below, and who is shown."""

    parents: dict[int, int | None]
    totals: dict[int, int]
    shown: frozenset[int]


def plan_tree(session: Session) -> PlanTree:
    """Every unit's planner count and whether its figures may be shown: two queries."""
    parents = {
        unit_id: parent_id or ORGANISATION
        for unit_id, parent_id in session.execute(select(OrgUnit.id, OrgUnit.parent_id))
    }
    per_unit = session.execute(
        select(User.unit_id, func.count(func.distinct(DevelopmentPlan.owner_id)))
        .join(User, User.id == DevelopmentPlan.owner_id)
        .where(DevelopmentPlan.active.is_(True), User.active.is_(True))
        .group_by(User.unit_id)
    )
    direct = {unit_id or ORGANISATION: int(n) for unit_id, n in per_unit}
    tree: dict[int, int | None] = {ORGANISATION: None, **parents}
    totals = subtree_totals(ORGANISATION, tree, direct)
    return PlanTree(tree, totals, frozenset(shown_units(ORGANISATION, tree, direct)))


def plan_figures(session: Session, unit: OrgUnit | None) -> dict[str, Any]:
    """People with an active plan and their goals by status, or ``{"shown": False}``."""
    key = unit.id if unit is not None else ORGANISATION
    tree = plan_tree(session)
    if key not in tree.shown:
        return {"shown": False}
    here = plan_aggregates(session, unit)
    people = int(here.get("people_with_active_plan") or 0)
    if here.get("suppressed") or people != tree.totals[key]:
        return {"shown": False}  # the tree and the unit's own count disagree: show nothing
    share = here.get("share_on_track")
    return {
        "shown": True,
        "people": people,
        "goals": here.get("goals"),
        "goals_by_status": here.get("goals_by_status") or {},
        "share_on_track": share,
        "share_on_track_percent": round(share * 100) if share is not None else None,
    }
