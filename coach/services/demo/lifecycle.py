"""When the demo organisation may be seeded, and removing it again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, User
from coach.services.demo.organisation import DEMO_COMPANY, DEMO_DOMAIN
from coach.services.people import personal_data, unit_cleanup

_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}


def embedded_database(database_url: str, instance_dir: Path) -> bool:
    """True for the SQLite file coach uses when no COACH_DATABASE_URL is given."""
    return database_url == f"sqlite:///{instance_dir / 'coach.db'}"


def seeding_allowed(database_url: str, instance_dir: Path, demo_setting: str | None) -> bool:
    """Whether ``make run`` may seed the demo: COACH_DEMO decides when it is set; otherwise
    only the embedded SQLite database gets it, never a database the operator named."""
    choice = (demo_setting or "").strip().lower()
    if choice in _YES:
        return True
    if choice in _NO:
        return False
    return embedded_database(database_url, instance_dir)


@dataclass(frozen=True)
class DemoRemoval:
    """What removing the demo took away."""

    people: int
    assessments: int
    rounds: int
    plans: int
    units: int


def demo_people(session: Session) -> list[User]:
    """Every account of the demo organisation (by its reserved e-mail domain)."""
    return list(
        session.scalars(select(User).where(User.email.endswith(f"@{DEMO_DOMAIN}", autoescape=True)))
    )


def remove_demo(session: Session) -> DemoRemoval:
    """Erase every demo person with their data (the erasure service, one person at a time),
    then the demo's units that nobody and no campaign uses any more."""
    assessments = rounds = plans = 0
    people = demo_people(session)
    for person in people:
        erased = personal_data.erase_person(session, person)
        assessments += erased.assessments
        rounds += erased.rounds
        plans += erased.plans
    units = _remove_unused_demo_units(session)
    return DemoRemoval(len(people), assessments, rounds, plans, units)


def _remove_unused_demo_units(session: Session) -> int:
    """The demo company's units, except those (and their parents) still in use."""
    root = session.scalar(
        select(OrgUnit).where(OrgUnit.parent_id.is_(None), OrgUnit.name == DEMO_COMPANY)
    )
    return 0 if root is None else unit_cleanup.remove_unused_units(session, root)
