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
from itertools import combinations
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, hr_slice_stats
from coach.models.analytics import ANY, ORGANISATION
from coach.services.hr_layout import LATEST, Layout

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


def variants(combo: Combo, active: Iterable[str]) -> list[Combo]:
    """The same slice with every non-empty subset of the active filters removed."""
    cycle, group, archetype = combo
    names = list(active)
    out = []
    for size in range(1, len(names) + 1):
        for removed in combinations(names, size):
            out.append(
                (
                    LATEST if "cycle" in removed else cycle,
                    ANY if "rater_group" in removed else group,
                    ANY if "archetype" in removed else archetype,
                )
            )
    return out


def _least(session: Session, columns: list[Any]) -> Any:
    if len(columns) == 1:
        return columns[0]
    name = session.get_bind().dialect.name
    return func.least(*columns) if name == "postgresql" else func.min(*columns)


def _where(layout: Layout, keys: Iterable[str]) -> list[Any]:
    s = hr_slice_stats.c
    return [s.instrument_id == layout.instrument_id, s.unit_id.in_([int(k) for k in keys])]


def load_counts(
    session: Session,
    layout: Layout,
    keys: Iterable[str],
    cycles: Iterable[int],
    groups: Iterable[str],
    archetypes: Iterable[str] | None,
    trend_keys: Iterable[str] = (),
) -> dict[tuple[str, str, Combo], tuple[int, int]]:
    """(source, unit, combo) -> (people, fewest people on any scale): one query.

    ``trend_keys`` also get every cycle (the trend's visibility needs all of them).
    """
    s = hr_slice_stats.c
    slots = [s[f"n{i}"] for i in range(1, len(layout.scale_ids) + 1)]
    keys, trend_keys = list(keys), list(trend_keys)
    in_view = and_(s.unit_id.in_([int(k) for k in keys]), s.cycle.in_(list(cycles)))
    in_trend = s.unit_id.in_([int(k) for k in trend_keys])
    query = select(
        s.source, s.unit_id, s.cycle, s.rater_group, s.archetype, s.n, _least(session, slots)
    ).where(
        s.instrument_id == layout.instrument_id,
        or_(in_view, in_trend),
        s.rater_group.in_(list(groups)),
    )
    if archetypes is not None:
        query = query.where(s.archetype.in_(list(archetypes)))
    return {
        (source, str(unit), (cycle, group, arch)): (n, least)
        for source, unit, cycle, group, arch, n, least in session.execute(query)
    }


def load_scale_counts(
    session: Session, layout: Layout, keys: Iterable[str], combos: Iterable[Combo]
) -> dict[tuple[str, str, Combo], list[int]]:
    """Per-scale counts where they differ from the slice's (one query, only when needed)."""
    s = hr_slice_stats.c
    combos = list(combos)
    slots = [s[f"n{i}"] for i in range(1, len(layout.scale_ids) + 1)]
    matches = [and_(s.cycle == c, s.rater_group == g, s.archetype == a) for c, g, a in set(combos)]
    rows = session.execute(
        select(s.source, s.unit_id, s.cycle, s.rater_group, s.archetype, *slots).where(
            *_where(layout, keys), or_(*matches)
        )
    )
    return {(r[0], str(r[1]), (r[2], r[3], r[4])): list(r[5:]) for r in rows}


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
