"""The protected HR table: which unit figures and which organisation counts may be shown.

The rule itself is pure (``coach.scoring.hr_disclosure``); this module reads what it needs.
For one source (self or others), half-year and rater group it reads every unit's counts in
two statements (the unit tree, and the slice rows of that cycle and group) and decides, for
the whole tree at once, which units' figures are shown for each variable: the people
counted (``n``), each scale (its own n, since a blank scale leaves a person out of that
scale only) and the two indexes. Every view (a unit's page, its children in the heatmap,
the API, the CSV files, the trend of a unit across half-years) is served from this one
decision, so a figure is shown in every view or in none, and no combination of views can
isolate fewer than the floor.

Counts of a classification (the four quadrants, the index bands) are shown for the whole
organisation only, and only the categories that ``shown_categories`` keeps next to this
unit family. Archetype sizes are not part of this table: they are shown on the archetypes
page only, for everyone assigned (``hr_archetypes``), and no unit or half-year figure is
broken down by archetype.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, hr_slice_stats
from coach.models.analytics import ANY, BINS, ORGANISATION, QUADRANTS
from coach.scoring.hr_anonymity import HR_MIN_N
from coach.scoring.hr_disclosure import Tree, atoms, shown_categories, shown_units
from coach.services.hr.layout import Layout
from coach.services.hr.version import summary_version

ORG_KEY = str(ORGANISATION)
Combo = tuple[int, str, str]
T = TypeVar("T")


class ProtectionCache:
    """Protected tables already computed, by summary version (the app owns one per process).

    An entry is keyed by the summary version it was computed at; a change of the summary
    makes a new version, so an entry never outlives the counts it was computed from. The
    oldest entries go first beyond ``size``.
    """

    def __init__(self, size: int = 64) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The entry for ``key``, computed (outside the lock) when missing."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


@dataclass
class Protection:
    """One (source, cycle, rater group): what may be shown, for every unit at once."""

    units: set[str]
    scales: dict[str, set[str]]
    indexes: dict[str, set[str]]
    quadrants: set[str] = field(default_factory=set)
    bands: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def unit_tree(session: Session) -> dict[str, str | None]:
    """Every unit's parent key; the organisation ("0") is the top."""
    tree: dict[str, str | None] = {ORG_KEY: None}
    for uid, parent in session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        tree[str(uid)] = str(parent or ORGANISATION)
    return tree


def cached_tree(session: Session, cache: ProtectionCache | None) -> tuple[int, Tree[str]]:
    """The summary version and the unit tree, walked once per version: creating or removing
    a unit changes the version (``directory.ensure_unit``, ``unit_cleanup``), and units are
    never moved to another parent. (The tree's size and highest id would not do: SQLite
    gives a removed unit's id to the next one.)"""
    if cache is None:  # nothing kept: no version needed
        return 0, Tree.of(unit_tree(session))
    version = summary_version(session)
    return version, cache.get(("tree", version), lambda: Tree.of(unit_tree(session)))


def _rows(session: Session, layout: Layout, source: str, combo: Combo) -> dict[str, dict[str, Any]]:
    s = hr_slice_stats.c
    cycle, group, _ = combo
    used = len(layout.scale_ids)
    columns = [s.unit_id, s.n, s.li_n, s.mi_n]
    columns += [s[f"n{i}"] for i in range(1, used + 1)]
    columns += [s[f"q_{q}"] for q in QUADRANTS]
    columns += [s[f"{index}_b{b}"] for index in ("li", "mi") for b in range(BINS)]
    query = select(*columns).where(
        s.instrument_id == layout.instrument_id,
        s.source == source,
        s.cycle == cycle,
        s.rater_group == group,
        s.archetype == ANY,
    )
    names = [c.name for c in columns]
    return {str(r[0]): dict(zip(names, r, strict=True)) for r in session.execute(query)}


def _family(tree: Tree[str], rows: Mapping[str, Mapping[str, Any]], column: str) -> set[str]:
    return shown_units(tree, {k: int(r[column] or 0) for k, r in rows.items()}, HR_MIN_N)


def _per_variable(
    tree: Tree[str], rows: Mapping[str, Mapping[str, Any]], columns: Sequence[str]
) -> dict[str, set[str]]:
    """Each column's family; columns with the same counts everywhere share one walk."""
    by_counts: dict[tuple[int, ...], set[str]] = {}
    out = {}
    listed = list(rows.values())
    for column in columns:
        signature = tuple(int(r[column] or 0) for r in listed)
        if signature not in by_counts:
            by_counts[signature] = _family(tree, rows, column)
        out[column] = by_counts[signature]
    return out


def _band_categories(org_counts: Sequence[int]) -> list[tuple[int, int]]:
    """Adjacent bins merged, from the bottom, until each band holds the floor."""
    bands: list[tuple[int, int]] = []
    start, running = 0, 0
    for b, n in enumerate(org_counts):
        running += n
        if running >= HR_MIN_N:
            bands.append((start, b))
            start, running = b + 1, 0
    if bands:  # the bins above the last full band join it
        first, _ = bands.pop()
        bands.append((first, len(org_counts) - 1))
    return bands


def _shown_bands(
    tree: Tree[str],
    units: set[str],
    rows: Mapping[str, Mapping[str, Any]],
    index: str,
) -> list[tuple[int, int]]:
    org = rows.get(ORG_KEY)
    if org is None:
        return []
    bands = _band_categories([int(org[f"{index}_b{b}"] or 0) for b in range(BINS)])
    band_of = {b: band for band in bands for b in range(band[0], band[1] + 1)}
    cells: dict[str, dict[Any, int]] = {}
    for key in units:  # the atoms need the shown units' counts only
        row = rows[key]
        counts: dict[Any, int] = {"none": int(row["n"] or 0) - int(row[f"{index}_n"] or 0)}
        for b in range(BINS):
            band = band_of.get(b, "none")
            counts[band] = counts.get(band, 0) + int(row[f"{index}_b{b}"] or 0)
        cells[key] = counts
    kept = shown_categories(atoms(tree, units, cells), bands, HR_MIN_N)
    return [band for band in bands if band in kept]


def protect(
    session: Session,
    layout: Layout,
    source: str,
    combo: Combo,
    tree: Tree[str] | None = None,
) -> Protection:
    """What may be shown for one source, half-year and rater group (module doc)."""
    tree = tree if tree is not None else Tree.of(unit_tree(session))
    rows = _rows(session, layout, source, combo)
    units = _family(tree, rows, "n")
    slots = [f"n{i}" for i in range(1, len(layout.scale_ids) + 1)]
    families = _per_variable(tree, rows, [*slots, "li_n", "mi_n"])
    protection = Protection(
        units=units,
        scales={sid: families[f"n{i}"] & units for i, sid in enumerate(layout.scale_ids, 1)},
        indexes={index: families[f"{index}_n"] & units for index in ("li", "mi")},
    )
    if ORG_KEY not in units:
        return protection
    quadrant_cells = {
        k: {**{q: int(rows[k][f"q_{q}"] or 0) for q in QUADRANTS}, "none": _no_quadrant(rows[k])}
        for k in units
    }
    protection.quadrants = shown_categories(atoms(tree, units, quadrant_cells), QUADRANTS)
    protection.bands = {index: _shown_bands(tree, units, rows, index) for index in ("li", "mi")}
    return protection


def _no_quadrant(row: Mapping[str, Any]) -> int:
    return int(row["n"] or 0) - sum(int(row[f"q_{q}"] or 0) for q in QUADRANTS)


def protections(
    session: Session,
    layout: Layout,
    wanted: Sequence[tuple[str, Combo]],
    cache: ProtectionCache | None = None,
) -> tuple[int, dict[tuple[str, Combo], Protection]]:
    """The summary version and the protected table of each (source, combo) asked for."""
    cache = cache or ProtectionCache()
    key = (layout.instrument_id, layout.version)
    version, tree = cached_tree(session, cache)

    def one(source: str, combo: Combo) -> Protection:
        return cache.get(
            (version, *key, source, combo), lambda: protect(session, layout, source, combo, tree)
        )

    return version, {(source, combo): one(source, combo) for source, combo in wanted}
