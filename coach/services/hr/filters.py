"""The HR dashboard's filters: unit, cycle and rater group, and what they may be set to.

What HR can ask for is kept to what can be protected exactly (docs/disclosure.md): each
cycle is a calendar half-year (the people assessed in different half-years are different
records, so one cycle's figures can never be subtracted from another's), the rater group is
one group's own figures (never the manager alone: one manager's ratings of their team are
one rater's answers), and archetypes are counted for the whole organisation only, not used
as a filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, hr_slice_stats
from coach.models.analytics import ANY, ORGANISATION
from coach.services.archetypes import assignment as archetype_assignment
from coach.services.hr.layout import LATEST
from coach.services.hr.slices import Combo

SOURCES = ("self", "others")
RATER_GROUPS = (
    (ANY, "All raters"),
    ("peer", "Peers"),
    ("direct_report", "Direct reports"),
    ("other", "Others"),
)


@dataclass(frozen=True)
class Filters:
    """One view: the unit (None = whole organisation), the half-year and the rater group."""

    unit: OrgUnit | None = None
    cycle: int = LATEST
    rater_group: str = ANY

    def combo(self, source: str, cycle: int | None = None) -> Combo:
        """The slice key of this view for one source (self has no rater groups)."""
        group = self.rater_group if source == "others" else ANY
        return (self.cycle if cycle is None else cycle, group, ANY)

    def as_dict(self) -> dict[str, Any]:
        """The filters as given in a URL."""
        return {
            "unit": self.unit.public_id if self.unit else None,
            "cycle": self.cycle,
            "rater_group": self.rater_group,
        }


@dataclass(frozen=True)
class Options:
    """What the filters can be set to."""

    cycles: list[int]
    archetypes: list[tuple[str, str]]


def options(session: Session, instrument_id: str) -> Options:
    """The cycles with data and the current model's archetypes: two queries."""
    s = hr_slice_stats.c
    cycles = session.scalars(
        select(s.cycle)
        .distinct()
        .where(s.instrument_id == instrument_id, s.unit_id == ORGANISATION, s.cycle != LATEST)
    ).all()
    run = archetype_assignment.current_run(session, instrument_id)
    names: list[tuple[str, str]] = []
    if run is not None:
        model = archetype_assignment.model_of(run)
        names = list(zip(model.keys, model.names, strict=True))
    return Options(sorted(cycles), names)


def newest_cycle(choices: Options) -> int:
    """The default view's half-year: the newest with data (LATEST when there is none)."""
    return choices.cycles[-1] if choices.cycles else LATEST


def parse_filters(args: Mapping[str, str], unit: OrgUnit | None, choices: Options) -> Filters:
    """Filters from query parameters; a value that is not on offer falls back to its default."""
    try:
        cycle = int(args.get("cycle") or 0)
    except ValueError:
        cycle = 0
    group = args.get("rater_group") or ANY
    return Filters(
        unit=unit,
        cycle=cycle if cycle in choices.cycles else newest_cycle(choices),
        rater_group=group if group in dict(RATER_GROUPS) else ANY,
    )
