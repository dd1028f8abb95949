"""The HR dashboard's figures for one view: a unit (and its child units) under filters.

Every figure comes from ``hr_slice_stats`` rows (see ``hr_summary``) through a fixed number
of queries, and every slice, scale, count and trend point is one that ``hr_protection``
allows. A suppressed figure is *absent* from the result (no key, no zero),
so pages, the API and the CSV files, which all read this dict, can never show it.

Filters: the unit (with everything below it), the cycle (a calendar half-year; default the
newest with data) and the rater group (others' figures only). What is shown is decided by
``hr_protection`` for the whole table HR can reach, not for this view alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import OrgUnit, hr_slice_stats
from coach.models.analytics import ANY
from coach.services.hr import blocks as hr_blocks
from coach.services.hr.filters import (
    RATER_GROUPS,
    SOURCES,
    Filters,
    Options,
    newest_cycle,
    options,
    parse_filters,
)
from coach.services.hr.layout import Layout, cycle_label
from coach.services.hr.plans import plan_figures
from coach.services.hr.protection import ProtectionCache
from coach.services.hr.slices import Scope, load_rows, load_scope
from coach.services.hr.summary import stored_layout
from coach.services.hr.version import summary_version

__all__ = ["Filters", "Options", "opening_unit", "options", "parse_filters", "summary"]


def opening_unit(session: Session) -> OrgUnit | None:
    """The unit the dashboard opens at: the first level down with several units.

    With a single top unit (the company holding everything), the organisation view would
    list that one unit below it; opening there lists its divisions instead. None means
    the whole organisation.
    """
    unit: OrgUnit | None = None
    for _ in range(8):  # a chain of single units deeper than this is not worth following
        parent = OrgUnit.parent_id.is_(None) if unit is None else OrgUnit.parent_id == unit.id
        below = session.scalars(select(OrgUnit).where(parent).limit(2)).all()
        if len(below) != 1 or not _has_children(session, below[0]):
            return unit
        unit = below[0]
    return unit


def _has_children(session: Session, unit: OrgUnit) -> bool:
    query = select(func.count()).select_from(OrgUnit).where(OrgUnit.parent_id == unit.id)
    return bool(session.scalar(query))


ATTEMPTS = 3
"""Reads of one view before giving up while the summary keeps changing under it."""


def summary(
    session: Session,
    instrument: Instrument,
    filters: Filters,
    choices: Options | None = None,
    cache: ProtectionCache | None = None,
) -> dict[str, Any]:
    """Every dashboard figure for one view, with suppressed figures absent.

    The figures are read after the protected table; when the summary changed in between
    (another transaction committed), the view is read again, so a decision taken on some
    counts is never paired with other counts' figures.
    """
    choices = choices or options(session, instrument.id)
    if filters.cycle not in choices.cycles:
        filters = replace(filters, cycle=newest_cycle(choices))
    layout = stored_layout(session, instrument.id)
    head = _head(instrument, filters, choices)
    if layout is None or not choices.cycles:
        return {**head, "available": False}
    for _ in range(ATTEMPTS):
        version, payload = _read(session, instrument, layout, filters, choices, head, cache)
        if summary_version(session) == version:
            return payload
    return {**head, "available": False}


def _read(
    session: Session,
    instrument: Instrument,
    layout: Layout,
    filters: Filters,
    choices: Options,
    head: dict[str, Any],
    cache: ProtectionCache | None,
) -> tuple[int, dict[str, Any]]:
    scope = load_scope(session, filters.unit)
    version, protected = hr_blocks.protections(session, layout, filters, choices.cycles, cache)
    s = hr_slice_stats.c
    view = or_(
        *[
            and_(s.source == src, s.cycle == c, s.rater_group == g, s.archetype == a)
            for src in SOURCES
            for c, g, a in [filters.combo(src)]
        ]
    )
    rows = load_rows(session, layout, [scope.current, *scope.children], view)
    trend = or_(
        *[
            and_(s.source == src, s.rater_group == filters.combo(src)[1], s.archetype == ANY)
            for src in SOURCES
        ]
    )
    rows |= load_rows(session, layout, [scope.current], trend)
    names = {scale.id: scale for scale in instrument.scales}
    payload = {
        **head,
        "available": True,
        "unit": _unit(scope),
        "children": [
            {"id": scope.units[k].public_id, "name": scope.units[k].name} for k in scope.children
        ],
        "scales": [
            {
                "id": sid,
                "name": names[sid].name if sid in names else sid,
                "kind": names[sid].kind.value if sid in names else "skill",
                # A pole's dimension and pole pair it with its other pole in the charts.
                "dimension": names[sid].dimension if sid in names else None,
                "pole": names[sid].pole.value if sid in names and names[sid].pole else None,
            }
            for sid in layout.scale_ids
        ],
        "plans": plan_figures(session, filters.unit, cache),
    }
    for source in SOURCES:
        payload[source] = hr_blocks.block(
            layout,
            names,
            scope,
            source,
            filters,
            protected[(source, filters.cycle)],
            rows,
        )
    payload["trends"] = hr_blocks.trends(
        layout, names, scope, filters, choices.cycles, rows, protected
    )
    return version, payload


def _head(instrument: Instrument, filters: Filters, choices: Options) -> dict[str, Any]:
    return {
        "instrument": {
            "id": instrument.id,
            "title": instrument.title,
            "scale_min": instrument.scale_min,
            "scale_max": instrument.scale_max,
        },
        "filters": filters.as_dict(),
        "options": {
            "cycles": [{"code": c, "label": cycle_label(c)} for c in choices.cycles],
            "rater_groups": [{"key": k, "label": label} for k, label in RATER_GROUPS],
        },
    }


def _unit(scope: Scope) -> dict[str, Any]:
    current = scope.units[scope.current]
    return {
        "id": current.public_id,
        "name": current.name,
        "path": [{"id": scope.units[k].public_id, "name": scope.units[k].name} for k in scope.path],
    }
