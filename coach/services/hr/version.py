"""The HR summary's version: a number that changes with every change of the summary tables.

Whoever writes ``hr_slice_stats`` or ``hr_fact`` calls ``summary_changed`` in the same
transaction (the roll-up primitives do, so their callers need not), and readers key what
they compute from the summary by ``summary_version``: a reader never pairs a decision taken
on older counts with newer figures. Each change draws a fresh random number rather than
adding one, so a version is never seen twice even when the tables are emptied and filled
again (as tests do). The row is created by migration 0012; the update takes the row lock
until commit, which the writers' org-level summary rows already take anyway.
"""

from __future__ import annotations

import secrets

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from coach.models import hr_summary_version

_ROW = 1


def summary_changed(session: Session) -> None:
    """Give the summary a new version (within the caller's transaction)."""
    v = hr_summary_version.c
    version = secrets.randbits(62) + 1
    changed = session.execute(
        update(hr_summary_version).where(v.id == _ROW).values(version=version)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]  # the row was removed: put it back
        session.execute(insert(hr_summary_version).values(id=_ROW, version=version))


def summary_version(session: Session) -> int:
    """The summary's current version (0 before any change)."""
    v = hr_summary_version.c
    return int(session.scalar(select(v.version).where(v.id == _ROW)) or 0)
