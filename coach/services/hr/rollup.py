"""Moving facts in and out of the HR slice sums, and rolling them all up from scratch.

``refresh_person`` is the incremental path: it derives one person's facts again with the
same SELECTs a rebuild uses, and for each fact that changed takes the old one out of every
slice row it was added to (its unit, every unit above, the organisation; archetype ``*`` and
its own) and adds the new one. ``rollup`` is the set-based path used by a rebuild.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import (
    String,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from coach.models import OrgUnit, hr_fact, hr_slice_stats, hr_unit_ancestor
from coach.models.analytics import ANY, BINS, ORGANISATION, QUADRANTS, SLOTS
from coach.services.hr.facts import FACT_COLUMNS, others_facts, self_facts
from coach.services.hr.layout import Layout
from coach.services.hr.version import summary_changed

Fact = dict[str, Any]
_CHUNK = 5_000


def postgres(session: Session) -> bool:
    """True on PostgreSQL (a few SQL expressions differ)."""
    return session.get_bind().dialect.name == "postgresql"


def analyse(session: Session, tables: Iterable[str]) -> None:
    """Refresh the planner's statistics (PostgreSQL; SQLite plans well without them).

    After a bulk load the statistics still describe the empty tables, and PostgreSQL then
    picks nested loops that turn a 20,000-person rebuild from seconds into many minutes.
    """
    if postgres(session):
        for table in tables:
            # Table names come from this package's own constants, never from input.
            session.execute(text(f"ANALYZE {table}"))  # nosemgrep: coach-no-sql-from-strings


def roomy(session: Session) -> None:
    """Give this transaction's big roll-ups room to aggregate in memory (PostgreSQL).

    With the default 4 MB of work_mem the sort behind a large organisation's grouping
    spills to disk; and JIT compiling the 70 aggregates costs seconds on every run of a
    statement that is planned afresh each time. ``SET LOCAL`` ends with the transaction.
    """
    if postgres(session):
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        session.execute(text("SET LOCAL jit = off"))


def ancestors_from_path(unit_id: int, tree_path: str) -> list[int]:
    """The organisation (0), every unit above ``unit_id`` and the unit itself."""
    above = [int(part) for part in tree_path.strip("/").split("/") if part.isdigit()]
    return sorted({ORGANISATION, unit_id, *above})


def chain(session: Session, unit_id: int, cache: dict[int, list[int]]) -> list[int]:
    if unit_id not in cache:
        path = ""
        if unit_id != ORGANISATION:
            path = session.scalar(select(OrgUnit.tree_path).where(OrgUnit.id == unit_id)) or ""
        cache[unit_id] = ancestors_from_path(unit_id, path)
    return cache[unit_id]


def _delta(fact: Mapping[str, Any], sign: int) -> dict[str, float]:
    """What one fact adds to every slice row it belongs to."""
    add: dict[str, float] = {
        "n": fact["has_figure"],
        "invited": fact["invited"],
        "responded": fact["responded"],
    }
    if fact["quadrant"] in QUADRANTS:
        add[f"q_{fact['quadrant']}"] = 1
    for index in ("li", "mi"):
        value = fact[index]
        if value is not None:
            add |= {f"{index}_n": 1, f"{index}_sum": value, f"{index}_sq": value * value}
            add[f"{index}_b{fact[f'{index}_bin']}"] = 1
    for slot in range(1, SLOTS + 1):
        value = fact[f"s{slot}"]
        if value is not None:
            add |= {f"n{slot}": 1, f"sum{slot}": value, f"sq{slot}": value * value}
    return {column: sign * value for column, value in add.items() if value}


FIGURES = tuple(c.name for c in hr_slice_stats.columns if not c.primary_key)
"""Every summed column of a slice row, in table order."""


def _slice_keys() -> tuple[Any, ...]:
    c = hr_slice_stats.c
    return (
        c.instrument_id == bindparam("k_instrument"),
        c.cycle == bindparam("k_cycle"),
        c.source == bindparam("k_source"),
        c.rater_group == bindparam("k_group"),
        c.unit_id.in_(bindparam("k_units", expanding=True)),
        c.archetype.in_(bindparam("k_archetypes", expanding=True)),
    )


@functools.cache
def _statements() -> tuple[Any, Any, Any]:
    """The three statements ``apply`` runs, built once so each run is a cached compile."""
    c = hr_slice_stats.c
    existing = select(c.unit_id, c.archetype).where(*_slice_keys())
    add = (
        update(hr_slice_stats)
        .where(*_slice_keys())
        .values({c[name]: c[name] + bindparam(f"d_{name}") for name in FIGURES})
    )
    empty = delete(hr_slice_stats).where(*_slice_keys(), c.n == 0, c.invited == 0, c.responded == 0)
    return existing, add, empty


def apply(session: Session, fact: Fact, sign: int, archetypes: list[str], units: list[int]) -> None:
    """Add (sign 1) or take out (sign -1) one fact from its slice rows."""
    delta = _delta(fact, sign)
    if not delta or not archetypes:
        return
    existing, add, empty = _statements()
    keys = {
        "k_instrument": fact["instrument_id"],
        "k_cycle": fact["cycle"],
        "k_source": fact["source"],
        "k_group": fact["rater_group"],
        "k_units": units,
        "k_archetypes": archetypes,
    }
    if sign > 0:
        found = set(session.execute(existing, keys).all())
        row = {k: fact[k] for k in ("instrument_id", "cycle", "source", "rater_group")}
        missing = [
            {**row, "unit_id": unit, "archetype": archetype}
            for unit in units
            for archetype in archetypes
            if (unit, archetype) not in found
        ]
        if missing:
            session.execute(insert(hr_slice_stats), missing)
    session.execute(add, {**keys, **{f"d_{name}": delta.get(name, 0) for name in FIGURES}})
    if sign < 0:  # a row nobody contributes to any more goes, as a rebuild would not make it
        session.execute(empty, keys)
    summary_changed(session)


def archetypes_of(fact: Fact) -> list[str]:
    return [ANY, fact["archetype"]] if fact["archetype"] else [ANY]


def _derive(session: Session, layout: Layout, person: int) -> dict[tuple[Any, ...], Fact]:
    pg = postgres(session)
    facts: dict[tuple[Any, ...], Fact] = {}
    for statement in (self_facts(layout, pg, True), others_facts(layout, pg, True)):
        for row in session.execute(statement, {"person": person}):
            fact = dict(zip(FACT_COLUMNS, row, strict=True))
            facts[(fact["source"], fact["rater_group"], fact["cycle"])] = fact
    return facts


def refresh_person(session: Session, person_id: int, layout: Layout) -> None:
    """Recompute one person's facts for one instrument and move the slice sums with them.

    Runs inside the caller's transaction (and may run inside a flush: it never flushes).
    """
    old = {
        (f["source"], f["rater_group"], f["cycle"]): f
        for f in (
            dict(row._mapping)
            for row in session.execute(
                select(hr_fact).where(
                    hr_fact.c.person_id == person_id,
                    hr_fact.c.instrument_id == layout.instrument_id,
                )
            )
        )
    }
    new = _derive(session, layout, person_id)
    chains: dict[int, list[int]] = {}
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if before is not None and after is not None and _same_but_archetype(before, after):
            _move_archetype(session, before, after, chains)
            continue
        if before is not None:
            take_out(session, before, chains)
            session.execute(delete(hr_fact).where(*_fact_key(before)))
        if after is not None:
            session.execute(insert(hr_fact).values(after))
            add_in(session, after, chains)


def take_out(session: Session, fact: Fact, chains: dict[int, list[int]]) -> None:
    """Subtract a fact from every slice row it counts in."""
    apply(session, fact, -1, archetypes_of(fact), chain(session, fact["unit_id"], chains))


def add_in(session: Session, fact: Fact, chains: dict[int, list[int]]) -> None:
    """Add a fact to every slice row it counts in (creating missing rows)."""
    apply(session, fact, 1, archetypes_of(fact), chain(session, fact["unit_id"], chains))


def _same_but_archetype(before: Fact, after: Fact) -> bool:
    return {k: v for k, v in before.items() if k != "archetype"} == {
        k: v for k, v in after.items() if k != "archetype"
    }


def _move_archetype(
    session: Session, before: Fact, after: Fact, chains: dict[int, list[int]]
) -> None:
    units = chain(session, before["unit_id"], chains)
    if before["archetype"]:
        apply(session, before, -1, [before["archetype"]], units)
    if after["archetype"]:
        apply(session, after, 1, [after["archetype"]], units)
    session.execute(update(hr_fact).where(*_fact_key(before)).values(archetype=after["archetype"]))


def _fact_key(fact: Fact) -> tuple[Any, ...]:
    c = hr_fact.c
    return (
        c.person_id == fact["person_id"],
        c.instrument_id == fact["instrument_id"],
        c.cycle == fact["cycle"],
        c.source == fact["source"],
        c.rater_group == fact["rater_group"],
    )


def rebuild_closure(session: Session) -> int:
    session.execute(delete(hr_unit_ancestor))
    rows = session.execute(select(OrgUnit.id, OrgUnit.tree_path)).all()
    pairs = [{"unit_id": ORGANISATION, "ancestor_id": ORGANISATION}]
    for unit_id, path in rows:
        pairs += [
            {"unit_id": unit_id, "ancestor_id": a} for a in ancestors_from_path(unit_id, path)
        ]
    for start in range(0, len(pairs), _CHUNK):
        session.execute(insert(hr_unit_ancestor), pairs[start : start + _CHUNK])
    return len(rows)


def _sums(column: Any, pg: bool) -> list[Any]:
    # SQLite's total() is a sum that is 0.0 over no rows, and cheaper than coalesce(sum()).
    if pg:
        return [func.coalesce(func.sum(column), 0), func.coalesce(func.sum(column * column), 0)]
    return [func.total(column), func.total(column * column)]


def _counts(column: Any, values: Iterable[Any]) -> list[Any]:
    return [func.sum(case((column == v, 1), else_=0)) for v in values]


def rollup(
    layout: Layout,
    by_archetype: bool,
    pg: bool,
    people: Any = None,
    units: Collection[int] | None = None,
) -> Any:
    """INSERT ... SELECT of the instrument's slice rows from its facts and the unit closure.

    Only the slots the instrument uses are summed (the others keep their default 0).
    ``people`` (a SELECT of person ids) limits the facts, for a partial rebuild; ``units``
    limits the slice rows to those units (each still summing everyone in it and below).
    """
    f, a = hr_fact.c, hr_unit_ancestor.c
    archetype = f.archetype if by_archetype else literal(ANY, String)
    keys = [a.ancestor_id, f.instrument_id, f.cycle, f.source, f.rater_group]
    names = ["unit_id", "instrument_id", "cycle", "source", "rater_group", "archetype"]
    figures: list[Any] = [func.sum(f.has_figure), func.sum(f.invited), func.sum(f.responded)]
    names += ["n", "invited", "responded"]
    figures += _counts(f.quadrant, QUADRANTS)
    names += [f"q_{q}" for q in QUADRANTS]
    for index in ("li", "mi"):
        figures += [func.count(f[index]), *_sums(f[index], pg)]
        figures += _counts(f[f"{index}_bin"], range(BINS))
        names += [f"{index}_n", f"{index}_sum", f"{index}_sq"]
        names += [f"{index}_b{b}" for b in range(BINS)]
    for slot in range(1, len(layout.scale_ids) + 1):
        figures += [func.count(f[f"s{slot}"]), *_sums(f[f"s{slot}"], pg)]
        names += [f"n{slot}", f"sum{slot}", f"sq{slot}"]
    statement = (
        select(*keys, archetype, *figures)
        .join(hr_unit_ancestor, a.unit_id == f.unit_id)
        .where(f.instrument_id == layout.instrument_id)
        .group_by(*keys, *([f.archetype] if by_archetype else []))
    )
    if by_archetype:
        statement = statement.where(f.archetype.is_not(None))
    if units is not None:
        statement = statement.where(a.ancestor_id.in_(sorted(units)))
    return insert(hr_slice_stats).from_select(names, statement)
