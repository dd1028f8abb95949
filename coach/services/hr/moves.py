"""People moving between units: the HR summary follows them in the same transaction.

A fact carries the unit its person was in when it was written, and every slice row sums the
facts of a unit and everything below it. When people move (the org-chart import, a
directory edit), their facts take the new unit and only the slice rows of the units they
left or joined are rolled up again, with the same set-based SQL a rebuild uses.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from coach.models import OrgUnit, User, hr_fact, hr_slice_stats
from coach.models.analytics import ORGANISATION
from coach.services.hr import rollup as hr_rollup
from coach.services.hr.summary import stored_layout
from coach.services.hr.version import summary_changed


def record_unit_moves(session: Session, person_ids: Collection[int] | None = None) -> None:
    """People changed units: their facts follow them, and every slice row of a unit one of
    them left or joined is rolled up again from the facts (no commit).

    ``person_ids`` limits the check to those people (None: everyone, as after an import).
    Set-based: the same few statements for one person or a whole reorganisation. Units
    above both the old and the new unit keep their rows (the person still counts there).
    """
    if person_ids is not None and not person_ids:
        return
    session.flush()
    f = hr_fact.c
    current = func.coalesce(User.unit_id, ORGANISATION)
    scope = [f.person_id.in_(sorted(set(person_ids)))] if person_ids is not None else []
    moves = session.execute(
        select(f.instrument_id, f.unit_id, current)
        .distinct()
        .join(User, User.id == f.person_id)
        .where(*scope, f.unit_id != current)
    ).all()
    if not moves:
        return
    affected = _units_left_or_joined(session, [(old, new) for _, old, new in moves])
    now = select(current).where(User.id == f.person_id).scalar_subquery()
    session.execute(update(hr_fact).where(*scope, f.unit_id != now).values(unit_id=now))
    hr_rollup.rebuild_closure(session)  # the import may have added the units they joined
    postgres = hr_rollup.postgres(session)
    for instrument_id in sorted({instrument_id for instrument_id, _, _ in moves}):
        layout = stored_layout(session, instrument_id)
        if layout is None:
            continue
        session.execute(
            delete(hr_slice_stats).where(
                hr_slice_stats.c.instrument_id == instrument_id,
                hr_slice_stats.c.unit_id.in_(affected),
            )
        )
        for by_archetype in (False, True):
            session.execute(hr_rollup.rollup(layout, by_archetype, postgres, units=affected))
    summary_changed(session)


def _units_left_or_joined(session: Session, moves: list[tuple[int, int]]) -> list[int]:
    """The units whose membership a move changes: above one unit but not above the other."""
    involved = {unit for move in moves for unit in move}
    paths = dict(
        session.execute(
            select(OrgUnit.id, OrgUnit.tree_path).where(OrgUnit.id.in_(sorted(involved)))
        ).all()
    )
    affected: set[int] = set()
    for old, new in moves:
        before = set(hr_rollup.ancestors_from_path(old, paths.get(old) or ""))
        after = set(hr_rollup.ancestors_from_path(new, paths.get(new) or ""))
        affected |= before ^ after
    return sorted(affected)
