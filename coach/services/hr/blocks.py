"""The dashboard's blocks for one source (self or others): figures the protection allows.

Each function takes slice rows already read (``hr_slices``) and the protected table of
``hr_protection`` and returns plain dicts in which a suppressed figure is simply absent.
Counts of a classification (quadrants, index bands) appear for the whole organisation only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from coach.models.analytics import QUADRANTS
from coach.scoring.quadrants import Quadrant
from coach.services.hr.filters import SOURCES, Filters
from coach.services.hr.layout import Layout, cycle_label
from coach.services.hr.protection import ORG_KEY, Protection, ProtectionCache
from coach.services.hr.protection import protections as protect_all
from coach.services.hr.slices import Combo, Scope, mean_sd

HEAT_BANDS = ((-0.5, "lo2"), (-0.2, "lo1"), (0.2, "mid"), (0.5, "hi1"))
"""Heatmap classes by a child unit's difference from the selected unit (else "hi2")."""
QUADRANT_LABELS = {q.value: q.title for q in Quadrant}
Rows = Mapping[tuple[str, str, Combo], Mapping[str, Any]]


Counts = dict[tuple[str, str, Combo], tuple[int, int]]


def protections(
    session: Session,
    layout: Layout,
    filters: Filters,
    cycles: list[int],
    cache: ProtectionCache | None = None,
) -> tuple[int, dict[tuple[str, int], Protection]]:
    """The summary version and the protected table for each source and half-year needed."""
    wanted = [(source, filters.combo(source, cycle)) for source in SOURCES for cycle in cycles]
    version, table = protect_all(session, layout, wanted, cache)
    return version, {(source, combo[0]): p for (source, combo), p in table.items()}


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
    per_scale: Mapping[str, set[str]],
) -> list[dict[str, Any]]:
    figures = []
    for i, scale_id in enumerate(layout.scale_ids, start=1):
        if key not in per_scale[scale_id] or row[f"n{i}"] == 0:
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


def _index(
    layout: Layout,
    row: Mapping[str, Any],
    index: str,
    shown: bool,
    bands: list[tuple[int, int]] | None,
) -> dict[str, Any] | None:
    n = row[f"{index}_n"]
    if not shown or n == 0:
        return None
    mean, sd = mean_sd(n, row[f"{index}_sum"], row[f"{index}_sq"])
    figures: dict[str, Any] = {
        "n": n,
        "mean": round(mean or 0, 3),
        "sd": round(sd, 3) if sd else None,
    }
    if bands is not None:
        figures["bands"] = [
            {
                "low": round(layout.bin_range(first)[0], 2),
                "high": round(layout.bin_range(last)[1], 2),
                "n": sum(row[f"{index}_b{b}"] for b in range(first, last + 1)),
            }
            for first, last in bands
        ]
    return figures


def _cells(
    cells: Mapping[str, int], shown: set[str], labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    return [{"key": k, "label": labels.get(k, k), "n": cells[k]} for k in cells if k in shown]


def block(
    layout: Layout,
    names: Mapping[str, Any],
    scope: Scope,
    source: str,
    filters: Filters,
    protection: Protection,
    rows: Rows,
) -> dict[str, Any]:
    """One source's figures for the selected unit and its children (absent when hidden)."""
    combo = filters.combo(source)
    row = rows.get((source, scope.current, combo))
    if scope.current not in protection.units or row is None:
        return {"shown": False}
    whole = scope.current == ORG_KEY
    block: dict[str, Any] = {
        "shown": True,
        "n": row["n"],
        "scales": _scale_figures(layout, names, row, scope.current, protection.scales),
        "indexes": {
            name: figures
            for name, index in (("leader", "li"), ("manager", "mi"))
            if (
                figures := _index(
                    layout,
                    row,
                    index,
                    scope.current in protection.indexes[index],
                    protection.bands.get(index) if whole else None,
                )
            )
            is not None
        },
    }
    if whole:
        block["quadrants"] = _cells(
            {q: row[f"q_{q}"] for q in QUADRANTS}, protection.quadrants, QUADRANT_LABELS
        )
        if source == "others":
            rate = row["responded"] / row["invited"] if row["invited"] else None
            block["participation"] = {
                "invited": row["invited"],
                "responded": row["responded"],
                "rate": round(rate, 3) if rate is not None else None,
                "rate_percent": round(rate * 100) if rate is not None else None,
            }
    block["heatmap"] = _heatmap(layout, scope, source, combo, block["scales"], protection, rows)
    return block


def _heatmap(
    layout: Layout,
    scope: Scope,
    source: str,
    combo: Combo,
    own: list[dict[str, Any]],
    protection: Protection,
    rows: Rows,
) -> list[dict[str, Any]]:
    reference = {s["id"]: s["mean"] for s in own}
    units = protection.units
    slots = [
        (scale_id, f"n{i}", f"sum{i}", protection.scales[scale_id])
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
    filters: Filters,
    cycles: list[int],
    rows: Rows,
    protected: Mapping[tuple[str, int], Protection],
) -> dict[str, list[dict[str, Any]]]:
    """Per source, the selected unit's figures in each half-year where they may be shown."""
    out: dict[str, list[dict[str, Any]]] = {}
    for source in SOURCES:
        points = []
        for cycle in cycles:
            protection = protected[(source, cycle)]
            row = rows.get((source, scope.current, filters.combo(source, cycle)))
            if scope.current not in protection.units or row is None:
                continue
            point: dict[str, Any] = {"cycle": cycle, "label": cycle_label(cycle), "n": row["n"]}
            point["scales"] = {
                s["id"]: s["mean"]
                for s in _scale_figures(layout, names, row, scope.current, protection.scales)
            }
            for name, index in (("leader", "li"), ("manager", "mi")):
                shown = scope.current in protection.indexes[index]
                if (figures := _index(layout, row, index, shown, None)) is not None:
                    point[name] = figures["mean"]
            points.append(point)
        out[source] = points
    return out
