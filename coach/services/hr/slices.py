"""Reading slice rows for one HR view: the scope, the counts and the figures, in SQL.

Bounded by the view, never by the organisation: the scope is the path from the top to the
selected unit with each path unit's children; every query below is one statement however
many people the units hold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, hr_slice_stats
from coach.models.analytics import ORGANISATION
from coach.services.hr.layout import Layout

ORG_KEY = str(ORGANISATION)
_SLOT_COLUMN = re.compile(r"(?:n|sum|sq)(\d+)")
Combo = tuple[int, str, str]
"""(cycle, rater group, archetype) of a slice."""


@dataclass(frozen=True)
class ScopeUnit:
    """A unit in the view's scope."""

    key: str
    public_id: str | None
    name: str
    parent: str | None


@dataclass
class Scope:
    """The selected unit, its path from the top, and every unit the anonymity check needs."""

    current: str
    path: list[str]
    units: dict[str, ScopeUnit]
    children: list[str] = field(default_factory=list)

    @property
    def parents(self) -> dict[str, str | None]:
        """Parent key of every scope unit ("0", the organisation, has none)."""
        return {k: u.parent for k, u in self.units.items()}

    def without_children(self) -> dict[str, str | None]:
        """The scope of the selected unit alone (for trends: its children do not matter)."""
        return {k: p for k, p in self.parents.items() if k not in self.children}


def load_scope(session: Session, unit: OrgUnit | None) -> Scope:
    """One query: the path units and all their children (top-level units for the top)."""
    above = [int(p) for p in unit.tree_path.strip("/").split("/") if p.isdigit()] if unit else []
    if unit is not None and unit.id not in above:
        above.append(unit.id)
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.public_id, OrgUnit.name, OrgUnit.parent_id)
        .where(
            or_(OrgUnit.id.in_(above), OrgUnit.parent_id.in_(above), OrgUnit.parent_id.is_(None))
        )
        .order_by(OrgUnit.name, OrgUnit.id)
    ).all()
    units = {ORG_KEY: ScopeUnit(ORG_KEY, None, "Whole organisation", None)}
    for uid, public_id, name, parent in rows:
        units[str(uid)] = ScopeUnit(str(uid), public_id, name, str(parent or ORGANISATION))
    path = [ORG_KEY] + [str(u) for u in above if str(u) in units]
    current = path[-1]
    children = [k for k, u in units.items() if u.parent == current]
    return Scope(current, path, units, children)


def _where(layout: Layout, keys: Iterable[str]) -> list[Any]:
    s = hr_slice_stats.c
    return [s.instrument_id == layout.instrument_id, s.unit_id.in_([int(k) for k in keys])]


def load_rows(
    session: Session, layout: Layout, keys: Iterable[str], condition: Any
) -> dict[tuple[str, str, Combo], dict[str, Any]]:
    """Slice rows with every figure of the instrument's slots, for some units: one query."""
    used = len(layout.scale_ids)
    columns = [
        c
        for c in hr_slice_stats.columns
        if not (slot := _SLOT_COLUMN.fullmatch(c.name)) or int(slot.group(1)) <= used
    ]
    rows = session.execute(select(*columns).where(*_where(layout, keys), condition))
    names = [c.name for c in columns]
    out = {}
    for row in rows:
        data = dict(zip(names, row, strict=True))
        combo = (data["cycle"], data["rater_group"], data["archetype"])
        out[(data["source"], str(data["unit_id"]), combo)] = data
    return out


def mean_sd(n: int, total: float, squares: float) -> tuple[float | None, float | None]:
    """Mean and sample SD from a count, a sum and a sum of squares."""
    if n <= 0:
        return None, None
    mean = total / n
    if n < 2:
        return mean, None
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    return mean, math.sqrt(variance)
