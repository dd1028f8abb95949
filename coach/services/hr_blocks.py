"""The dashboard's blocks for one source (self or others): figures that pass the check.

Each function takes slice rows already read (``hr_slices``) and returns plain dicts in
which a suppressed figure is simply absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from coach.models.analytics import ANY, QUADRANTS
from coach.scoring.quadrants import Quadrant
from coach.services import hr_visibility
from coach.services.hr_filters import SOURCES, Filters
from coach.services.hr_layout import Layout, cycle_label
from coach.services.hr_slices import Combo, Scope, load_scale_counts, mean_sd, variants

HEAT_BANDS = ((-0.5, "lo2"), (-0.2, "lo1"), (0.2, "mid"), (0.5, "hi1"))
"""Heatmap classes by a child unit's difference from the selected unit (else "hi2")."""
QUADRANT_LABELS = {q.value: q.title for q in Quadrant}
Rows = Mapping[tuple[str, str, Combo], Mapping[str, Any]]

Counts = dict[tuple[str, str, Combo], tuple[int, int]]


def visible(
    scope_parents: Mapping[str, str | None],
    counts: Counts,
    source: str,
    combo: Combo,
    active: list[str],
    archetype_keys: list[str],
) -> tuple[set[str], list[Combo], set[str]]:
    """Shown units for one source and combo, the variants checked, and units excluded."""

    def n(k: str, c: Combo) -> int:
        return counts.get((source, k, c), (0, 0))[0]

    checked = variants(combo, active)
    exact = {k: n(k, combo) for k in scope_parents}
    unfiltered = [{k: n(k, v) for k in scope_parents} for v in checked]
    excluded: set[str] = set()
    cycle, group, archetype = combo
    if archetype != ANY:
        for k in scope_parents:
            cells = {a: n(k, (cycle, group, a)) for a in archetype_keys}
            if archetype not in hr_visibility.partition_shown(n(k, (cycle, group, ANY)), cells):
                excluded.add(k)
    shown = hr_visibility.shown(scope_parents, exact, unfiltered, excluded)
    return shown, checked, excluded


def differs(counts: Counts, source: str, keys: Any, combos: list[Combo]) -> bool:
    return any(
        counts.get((source, k, c), (0, 0))[1] < counts.get((source, k, c), (0, 0))[0]
        for k in keys
        for c in combos
    )


def scale_visibility(
    session: Session,
    layout: Layout,
    scope: Scope,
    counts: Counts,
    filters: Filters,
    archetype_keys: list[str],
) -> dict[str, tuple[set[str], list[set[str]]]]:
    """Per source: units shown, and per scale slot the units whose scale figure is shown."""
    parents = scope.parents
    out: dict[str, tuple[set[str], list[set[str]]]] = {}
    for source in SOURCES:
        combo = filters.combo(source)
        units, checked, excluded = visible(
            parents, counts, source, combo, filters.active(source), archetype_keys
        )
        per_scale = [units for _ in layout.scale_ids]
        if differs(counts, source, parents, [combo, *checked]):
            by_slot = load_scale_counts(session, layout, parents, [combo, *checked])
            blank = [0] * len(layout.scale_ids)
            per_scale = []
            for i in range(len(layout.scale_ids)):
                exact = {k: by_slot.get((source, k, combo), blank)[i] for k in parents}
                unfiltered = [
                    {k: by_slot.get((source, k, v), blank)[i] for k in parents} for v in checked
                ]
                per_scale.append(hr_visibility.shown(parents, exact, unfiltered, excluded) & units)
        out[source] = (units, per_scale)
    return out


def _band(difference: float) -> str:
    for edge, name in HEAT_BANDS:
        if difference <= edge:
            return name
    return "hi2"


def _scale_figures(
    layout: Layout,
    names: Mapping[str, Any],
    row: Mapping[str, Any],
    key: str,
    per_scale: list[set[str]],
) -> list[dict[str, Any]]:
    figures = []
    for i, scale_id in enumerate(layout.scale_ids, start=1):
        if key not in per_scale[i - 1] or row[f"n{i}"] == 0:
            continue
        mean, sd = mean_sd(row[f"n{i}"], row[f"sum{i}"], row[f"sq{i}"])
        scale = names.get(scale_id)
        figures.append(
            {
                "id": scale_id,
                "name": scale.name if scale else scale_id,
                "kind": scale.kind.value if scale else "skill",
                "pole": scale.pole.value if scale and scale.pole else None,
                "n": row[f"n{i}"],
                "mean": round(mean, 3) if mean is not None else None,
                "sd": round(sd, 3) if sd is not None else None,
            }
        )
    return figures


def _index(layout: Layout, row: Mapping[str, Any], index: str) -> dict[str, Any] | None:
    n = row[f"{index}_n"]
    if n != row["n"] or n == 0:
        return None  # a blank pole for someone: the index would describe a different group
    mean, sd = mean_sd(n, row[f"{index}_sum"], row[f"{index}_sq"])
    counts = [row[f"{index}_b{b}"] for b in range(len(layout.bin_edges) + 1)]
    bands = [
        {
            "low": round(layout.bin_range(first)[0], 2),
            "high": round(layout.bin_range(last)[1], 2),
            "n": people,
        }
        for first, last, people in hr_visibility.merged_bands(counts)
    ]
    return {"n": n, "mean": round(mean or 0, 3), "sd": round(sd, 3) if sd else None, "bands": bands}


def _cells(total: int, cells: Mapping[str, int], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    shown = hr_visibility.partition_shown(total, cells)
    return [{"key": k, "label": labels.get(k, k), "n": cells[k]} for k in cells if k in shown]


def block(
    layout: Layout,
    names: Mapping[str, Any],
    scope: Scope,
    source: str,
    filters: Filters,
    visibility: tuple[set[str], list[set[str]]],
    rows: Mapping[tuple[str, str, Combo], Mapping[str, Any]],
    archetype_names: Mapping[str, str],
) -> dict[str, Any]:
    units, per_scale = visibility
    combo = filters.combo(source)
    row = rows.get((source, scope.current, combo))
    if scope.current not in units or row is None:
        return {"shown": False}
    block: dict[str, Any] = {
        "shown": True,
        "n": row["n"],
        "scales": _scale_figures(layout, names, row, scope.current, per_scale),
        "indexes": {
            name: figures
            for name, index in (("leader", "li"), ("manager", "mi"))
            if (figures := _index(layout, row, index)) is not None
        },
        "quadrants": _cells(row["n"], {q: row[f"q_{q}"] for q in QUADRANTS}, QUADRANT_LABELS),
    }
    if filters.archetype == ANY and archetype_names:
        cells = {
            key: rows[(source, scope.current, (combo[0], combo[1], key))]["n"]
            for key in archetype_names
            if (source, scope.current, (combo[0], combo[1], key)) in rows
        }
        block["archetypes"] = _cells(row["n"], cells, archetype_names)
    if source == "others":
        rate = row["responded"] / row["invited"] if row["invited"] else None
        block["participation"] = {
            "invited": row["invited"],
            "responded": row["responded"],
            "rate": round(rate, 3) if rate is not None else None,
            "rate_percent": round(rate * 100) if rate is not None else None,
        }
    block["heatmap"] = _heatmap(
        layout, scope, source, combo, block["scales"], units, per_scale, rows
    )
    return block


def _heatmap(
    layout: Layout,
    scope: Scope,
    source: str,
    combo: Combo,
    own: list[dict[str, Any]],
    units: set[str],
    per_scale: list[set[str]],
    rows: Mapping[tuple[str, str, Combo], Mapping[str, Any]],
) -> list[dict[str, Any]]:
    reference = {s["id"]: s["mean"] for s in own}
    slots = [
        (scale_id, f"n{i}", f"sum{i}", per_scale[i - 1])
        for i, scale_id in enumerate(layout.scale_ids, start=1)
        if scale_id in reference
    ]
    out = []
    for key in scope.children:
        unit = scope.units[key]
        entry: dict[str, Any] = {"id": unit.public_id, "name": unit.name, "shown": False}
        row = rows.get((source, key, combo))
        if key in units and row is not None:
            cells = {}
            for scale_id, count, total, shown in slots:
                n = row[count]
                if n and key in shown:
                    mean = row[total] / n
                    band = _band(mean - reference[scale_id])
                    cells[scale_id] = {"n": n, "mean": round(mean, 2), "band": band}
            entry = {**entry, "shown": True, "n": row["n"], "cells": cells}
        out.append(entry)
    return out


def trends(
    layout: Layout,
    names: Mapping[str, Any],
    scope: Scope,
    counts: Counts,
    filters: Filters,
    cycles: list[int],
    rows: Mapping[tuple[str, str, Combo], Mapping[str, Any]],
    archetype_keys: list[str],
) -> dict[str, list[dict[str, Any]]]:
    """Per source, the selected unit's figures in each cycle that may be shown."""
    parents = scope.without_children()
    out: dict[str, list[dict[str, Any]]] = {}
    for source in SOURCES:
        points = []
        for cycle in cycles:
            _, group, archetype = filters.combo(source)
            combo = (cycle, group, archetype)
            active = filters.active(source, cycle)
            units, checked, _ = visible(parents, counts, source, combo, active, archetype_keys)
            row = rows.get((source, scope.current, combo))
            if scope.current not in units or row is None:
                continue
            point: dict[str, Any] = {"cycle": cycle, "label": cycle_label(cycle), "n": row["n"]}
            if not differs(counts, source, parents, [combo, *checked]):
                everyone = [units for _ in layout.scale_ids]
                point["scales"] = {
                    s["id"]: s["mean"]
                    for s in _scale_figures(layout, names, row, scope.current, everyone)
                }
                for name, index in (("leader", "li"), ("manager", "mi")):
                    if (figures := _index(layout, row, index)) is not None:
                        point[name] = figures["mean"]
            points.append(point)
        out[source] = points
    return out
