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
from coach.models.analytics import ORGANISATION
from coach.scoring.hr_disclosure import shown_units
from coach.scoring.hr_tree import subtree_totals
from coach.services.hr.plan_counts import plan_aggregates
from coach.services.hr.protection import ProtectionCache, cached_tree


@dataclass(frozen=True)
class PlanTree:
    """People with an active plan in each unit and below ("0": everyone), and who is shown."""

    totals: dict[str, int]
    shown: frozenset[str]


def plan_tree(session: Session, cache: ProtectionCache | None = None) -> PlanTree:
    """Every unit's planner count and whether its figures may be shown: two queries."""
    version, tree = cached_tree(session, cache)
    per_unit = session.execute(
        select(User.unit_id, func.count(func.distinct(DevelopmentPlan.owner_id)))
        .join(User, User.id == DevelopmentPlan.owner_id)
        .where(DevelopmentPlan.active.is_(True), User.active.is_(True))
        .group_by(User.unit_id)
    )
    direct = {str(unit_id or ORGANISATION): int(n) for unit_id, n in per_unit}

    def decide() -> PlanTree:
        totals = subtree_totals(tree, direct)
        return PlanTree(totals, frozenset(shown_units(tree, totals)))

    if cache is None:
        return decide()
    return cache.get(("plans", version, frozenset(direct.items())), decide)


def plan_figures(
    session: Session, unit: OrgUnit | None, cache: ProtectionCache | None = None
) -> dict[str, Any]:
    """People with an active plan and their goals by status, or ``{"shown": False}``."""
    key = str(unit.id if unit is not None else ORGANISATION)
    tree = plan_tree(session, cache)
    if key not in tree.shown:
        return {"shown": False}
    here = plan_aggregates(session, unit)
    people = int(here.get("people_with_active_plan") or 0)
    if here.get("suppressed") or people != tree.totals.get(key, 0):
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
