"""HR analytics: summary tables, archetype runs and assignments, cached instrument quality.

The HR summary is two wide tables (``hr_fact``, ``hr_slice_stats``) with one column triple
per scale *slot* rather than one row per scale: an instrument's scales are mapped to slots
1..SLOTS in its order (the mapping used is kept in ``hr_layout``). That keeps the roll-up
at one row per (unit, cycle, source, rater group, archetype), about 18 times fewer rows than
a row per scale, which is what lets a 100,000-person organisation be summarised and read in
milliseconds. See ``coach.services.hr.summary`` for what each row means.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coach.extensions import db
from coach.models._common import utcnow

SLOTS = 32
"""Scales an instrument may have for the HR summary (the built-in one has 18)."""
BINS = 8
"""Histogram bins over the response range, for the leader and manager index distributions."""
QUADRANTS = ("strong_at_both", "leader_leaning", "manager_leaning", "developing")
"""The values of ``coach.scoring.quadrants.Quadrant`` (a test keeps the two equal)."""

ORGANISATION = 0
"""``unit_id`` of the whole organisation (everyone, with or without a unit)."""
ANY = "*"
"""Rater group or archetype "any": the slice without that filter."""


def _key_columns() -> list[Column[object]]:
    return [
        Column("instrument_id", String(100), primary_key=True),
        Column("cycle", Integer, primary_key=True),
        Column("source", String(10), primary_key=True),
        Column("rater_group", String(20), primary_key=True),
    ]


def _zero(name: str, kind: type[Integer] | type[Float] = Integer) -> Column[object]:
    return Column(name, kind, nullable=False, server_default="0", default=0)


def _slice_figures() -> list[Column[object]]:
    columns = [_zero("n"), _zero("invited"), _zero("responded")]
    columns += [_zero(f"q_{q}") for q in QUADRANTS]
    for index in ("li", "mi"):
        columns += [_zero(f"{index}_n"), _zero(f"{index}_sum", Float), _zero(f"{index}_sq", Float)]
        columns += [_zero(f"{index}_b{b}") for b in range(BINS)]
    for slot in range(1, SLOTS + 1):
        columns += [_zero(f"n{slot}"), _zero(f"sum{slot}", Float), _zero(f"sq{slot}", Float)]
    return columns


hr_fact = Table(
    "hr_fact",
    db.metadata,
    Column("person_id", Integer, primary_key=True),
    *_key_columns(),
    Column("unit_id", Integer, nullable=False, index=True),
    Column("archetype", String(40)),
    Column("ref_id", Integer, nullable=False),
    Column("has_figure", SmallInteger, nullable=False),
    Column("invited", Integer, nullable=False),
    Column("responded", Integer, nullable=False),
    Column("quadrant", String(40)),
    Column("li", Float),
    Column("mi", Float),
    Column("li_bin", SmallInteger),
    Column("mi_bin", SmallInteger),
    *[Column(f"s{slot}", Float) for slot in range(1, SLOTS + 1)],
)
"""One person's contribution to the summary: a self profile or an others' profile (per
rater group) for one cycle, or for cycle 0, the person's latest. Kept so that a new score
can take the old contribution out of the roll-up exactly."""

hr_slice_stats = Table(
    "hr_slice_stats",
    db.metadata,
    Column("unit_id", Integer, primary_key=True),
    *_key_columns(),
    Column("archetype", String(40), primary_key=True),
    *_slice_figures(),
)
"""Sums over the facts of everyone in a unit or below it (unit 0: everyone)."""

hr_summary_version = Table(
    "hr_summary_version",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False),
)
"""One row (id 1) whose number grows with every change of the summary tables, in the same
transaction: what HR may see is computed once per version (``hr_protection``)."""

hr_unit_ancestor = Table(
    "hr_unit_ancestor",
    db.metadata,
    Column("unit_id", Integer, primary_key=True),
    Column("ancestor_id", Integer, primary_key=True),
)
"""Each unit with itself, every unit above it and 0, rebuilt with the summary."""


class HrLayout(db.Model):
    """The scale-to-slot mapping and cut points the summary of one instrument was built with."""

    __tablename__ = "hr_layout"

    instrument_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    layout_json: Mapped[str] = mapped_column(Text)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ArchetypeRun(db.Model):
    """One fitted (or prototype) archetype model, frozen: the newest per instrument is current."""

    __tablename__ = "archetype_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    k: Mapped[int] = mapped_column(SmallInteger)
    structure: Mapped[str] = mapped_column(String(20))
    n_profiles: Mapped[int] = mapped_column(Integer)
    n_excluded: Mapped[int] = mapped_column(Integer)
    silhouette: Mapped[float | None] = mapped_column(Float)
    stability: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float)
    parameters_json: Mapped[str] = mapped_column(Text)
    members_json: Mapped[str] = mapped_column(Text)
    model_json: Mapped[str] = mapped_column(Text)


class ArchetypeAssignment(db.Model):
    """Which archetype a person's latest self profile is nearest to, under one run."""

    __tablename__ = "archetype_assignment"

    # Derived data without foreign keys to people: erasing a person deletes these rows with
    # ``hr_summary.forget_person`` and nothing here stands in the way.
    person_id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("archetype_run.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(Integer)
    archetype: Mapped[str] = mapped_column(String(40))
    distance: Mapped[float] = mapped_column(Float)


class InstrumentQuality(db.Model):
    """The psychometrics page's figures for one instrument, computed by a command."""

    __tablename__ = "instrument_quality"

    instrument_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seconds: Mapped[float] = mapped_column(Float)
    figures_json: Mapped[str] = mapped_column(Text)
