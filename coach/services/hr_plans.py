"""Development-plan figures for the HR dashboard, from the plans service's own aggregates.

``plan_aggregates(session, unit)`` (built with the development plans) counts people with an
active plan and their goals by status, and withholds goal figures below 5 people. On top of
that the unit is checked against its parent with ``hr_anonymity``: when the two differ by 1
to 4 planners, the unit's figures would reveal those few, so they are left out. Plans are
counted by the owner's current unit only; the cycle, rater-group and archetype filters do
not apply to them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from coach.models import OrgUnit
from coach.scoring.hr_anonymity import Slice, visible_slices

Aggregates = Callable[..., dict[str, Any]]
_PROVIDERS = (
    "coach.services.plan_aggregates",
    "coach.services.plans",
    "coach.services.plan_report",
)


def _provider() -> Aggregates | None:
    for name in _PROVIDERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        found = getattr(module, "plan_aggregates", None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def plan_figures(session: Session, unit: OrgUnit | None) -> dict[str, Any] | None:
    """People with an active plan and their goals by status; None without a plans service."""
    aggregates = _provider()
    if aggregates is None:
        return None
    here = aggregates(session, unit)
    people = int(here.get("people_with_active_plan") or 0)
    slices = [Slice("here", "above" if unit is not None else None, people)]
    if unit is not None:
        parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
        above = aggregates(session, parent)
        slices.append(Slice("above", None, int(above.get("people_with_active_plan") or 0)))
    if here.get("suppressed") or "here" not in visible_slices(slices):
        return {"shown": False}
    share = here.get("share_on_track")
    return {
        "shown": True,
        "people": people,
        "goals": here.get("goals"),
        "goals_by_status": here.get("goals_by_status") or {},
        "share_on_track": share,
        "share_on_track_percent": round(share * 100) if share is not None else None,
    }
