"""The HR summary's layout (scales in slots, bins, the quadrant cut) and its cycles.

Cycles are calendar half-years (``20261`` = January to June 2026, ``20262`` = July to
December) of the assessment's submission or the round's closing, in UTC; cycle 0 is each
person's latest. The same expressions run in SQL and, for checking, in Python.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, case, cast, extract, func, null
from sqlalchemy.sql.elements import ColumnElement

from coach.instrument import Instrument, Pole
from coach.models._common import as_utc
from coach.models.analytics import BINS, SLOTS
from coach.scoring.indexes import pole_scale_ids
from coach.scoring.quadrants import strong_threshold

LATEST = 0
"""The cycle code of "each person's latest" (the default view)."""
TOLERANCE = 1e-9
"""The same float tolerance ``coach.scoring.quadrants.is_strong`` allows at the threshold."""


@dataclass(frozen=True)
class Layout:
    """Which scale sits in which slot, and the cut points, for one instrument's summary."""

    instrument_id: str
    version: str
    scale_ids: tuple[str, ...]
    leader_ids: tuple[str, ...]
    manager_ids: tuple[str, ...]
    scale_min: float
    scale_max: float
    strong: float

    @classmethod
    def of(cls, instrument: Instrument) -> Layout:
        """The layout for an instrument (ValueError when it has more scales than slots)."""
        if len(instrument.scales) > SLOTS:
            raise ValueError(
                f"{instrument.id} has {len(instrument.scales)} scales; the HR summary "
                f"holds up to {SLOTS}"
            )
        return cls(
            instrument_id=instrument.id,
            version=instrument.version,
            scale_ids=tuple(s.id for s in instrument.scales),
            leader_ids=pole_scale_ids(instrument, Pole.LEADER),
            manager_ids=pole_scale_ids(instrument, Pole.MANAGER),
            scale_min=float(instrument.scale_min),
            scale_max=float(instrument.scale_max),
            strong=strong_threshold(instrument),
        )

    def to_json(self) -> str:
        """The layout as stored in ``hr_layout``."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Layout:
        """A stored layout."""
        data = json.loads(text)
        for key in ("scale_ids", "leader_ids", "manager_ids"):
            data[key] = tuple(data[key])
        return cls(**data)

    def slot(self, scale_id: str) -> int:
        """The 1-based slot of a scale."""
        return self.scale_ids.index(scale_id) + 1

    @property
    def bin_edges(self) -> tuple[float, ...]:
        """Inner edges of the BINS equal-width bins over the response range."""
        width = (self.scale_max - self.scale_min) / BINS
        return tuple(self.scale_min + width * b for b in range(1, BINS))

    def bin_range(self, b: int) -> tuple[float, float]:
        """The lower and upper edge of bin ``b``."""
        width = (self.scale_max - self.scale_min) / BINS
        return self.scale_min + width * b, self.scale_min + width * (b + 1)


def cycle_of(moment: datetime) -> int:
    """The half-year code of a moment (UTC): 20261 for January to June 2026."""
    utc = as_utc(moment)
    return utc.year * 10 + (1 if utc.month <= 6 else 2)


def cycle_label(code: int) -> str:
    """ "Jan–Jun 2026", or "Latest per person" for cycle 0."""
    if code == LATEST:
        return "Latest per person"
    return f"{'Jan–Jun' if code % 10 == 1 else 'Jul–Dec'} {code // 10}"


def cycle_expr(column: Any, postgres: bool) -> ColumnElement[int]:
    """The half-year code of a timestamp column, in SQL (UTC on both databases)."""
    moment = func.timezone("UTC", column) if postgres else column
    year = cast(extract("year", moment), Integer)
    month = cast(extract("month", moment), Integer)
    return year * 10 + case((month <= 6, 1), else_=2)


def bin_expr(value: Any, layout: Layout) -> ColumnElement[Any]:
    """Which of the BINS bins a value falls in (NULL stays NULL)."""
    whens: list[tuple[Any, Any]] = [(value.is_(None), null())]
    whens += [(value < edge, b) for b, edge in enumerate(layout.bin_edges)]
    return case(*whens, else_=BINS - 1)


def bin_of(value: float | None, layout: Layout) -> int | None:
    """``bin_expr`` in Python (used by tests to check the SQL)."""
    if value is None:
        return None
    return next((b for b, edge in enumerate(layout.bin_edges) if value < edge), BINS - 1)


def quadrant_expr(li: Any, mi: Any, layout: Layout) -> ColumnElement[Any]:
    """``coach.scoring.quadrants.quadrant_of`` in SQL."""
    cut = layout.strong - TOLERANCE
    return case(
        (li.is_(None) | mi.is_(None), null()),
        ((li >= cut) & (mi >= cut), "strong_at_both"),
        (li >= cut, "leader_leaning"),
        (mi >= cut, "manager_leaning"),
        else_="developing",
    )


def mean_of(columns: Sequence[Any]) -> ColumnElement[Any]:
    """The mean of some columns, NULL when any is NULL (as ``pole_index``)."""
    total: Any = columns[0]
    for column in columns[1:]:
        total = total + column  # NULL in any pole leaves the index NULL, as in scoring
    mean: ColumnElement[Any] = total / float(len(columns))
    return mean
