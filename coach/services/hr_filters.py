"""The HR dashboard's filters: unit, cycle, rater group, archetype, and what they may be set to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, hr_slice_stats
from coach.models.analytics import ANY, ORGANISATION
from coach.services import archetype_models
from coach.services.hr_layout import LATEST
from coach.services.hr_slices import Combo

SOURCES = ("self", "others")
RATER_GROUPS = (
    (ANY, "All raters"),
    ("manager", "Manager"),
    ("peer", "Peers"),
    ("direct_report", "Direct reports"),
    ("other", "Others"),
)


@dataclass(frozen=True)
class Filters:
    """One view: the unit (None = whole organisation) and the three other filters."""

    unit: OrgUnit | None = None
    cycle: int = LATEST
    rater_group: str = ANY
    archetype: str = ANY

    def combo(self, source: str) -> Combo:
        """The slice key of this view for one source (self has no rater groups)."""
        return (self.cycle, self.rater_group if source == "others" else ANY, self.archetype)

    def active(self, source: str, cycle: int | None = None) -> list[str]:
        """The filters that narrow the slice, for the anonymity check."""
        names = []
        if (self.cycle if cycle is None else cycle) != LATEST:
            names.append("cycle")
        if source == "others" and self.rater_group != ANY:
            names.append("rater_group")
        if self.archetype != ANY:
            names.append("archetype")
        return names

    def as_dict(self) -> dict[str, Any]:
        """The filters as given in a URL."""
        return {
            "unit": self.unit.public_id if self.unit else None,
            "cycle": self.cycle,
            "rater_group": self.rater_group,
            "archetype": self.archetype,
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
    run = archetype_models.current_run(session, instrument_id)
    names: list[tuple[str, str]] = []
    if run is not None:
        model = archetype_models.model_of(run)
        names = list(zip(model.keys, model.names, strict=True))
    return Options(sorted(cycles), names)


def parse_filters(args: Mapping[str, str], unit: OrgUnit | None, found: Options) -> Filters:
    """Filters from query parameters; a value that is not on offer falls back to its default."""
    try:
        cycle = int(args.get("cycle") or LATEST)
    except ValueError:
        cycle = LATEST
    group = args.get("rater_group") or ANY
    archetype = args.get("archetype") or ANY
    return Filters(
        unit=unit,
        cycle=cycle if cycle in found.cycles else LATEST,
        rater_group=group if group in dict(RATER_GROUPS) else ANY,
        archetype=archetype if archetype in dict(found.archetypes) else ANY,
    )
