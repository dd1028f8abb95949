"""The demo organisation: units, people and varied, plausible self-assessments."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.instrument import Instrument, Pole, ScaleKind
from coach.models import Answer, Assessment, OrgUnit, Role, User
from coach.services.accounts import NewAccount, add_person
from coach.services.assessments import lock_and_score
from coach.services.directory import ensure_unit

DEMO_DOMAIN = "demo.coach.example"

# Unit tree: department -> teams. Each team has a manager and a few direct reports.
_TREE: dict[str, list[str]] = {
    "Operations": ["Logistics", "Customer Support", "Facilities"],
    "Product": ["Design", "Platform Engineering", "Mobile"],
    "Commercial": ["Enterprise Sales", "Partnerships", "Marketing"],
}
_FIRST = [
    "Amara",
    "Bruno",
    "Chen",
    "Dalia",
    "Emeka",
    "Freya",
    "Goran",
    "Hana",
    "Idris",
    "Jonas",
    "Keiko",
    "Lucia",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tove",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zara",
]
_LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Haddad",
    "Novak",
    "Silva",
    "Kowalski",
    "Mensah",
    "Fischer",
    "Rahman",
    "Costa",
    "Ivanova",
    "Brennan",
    "Nakamura",
    "Duarte",
]

# Latent leanings: (leader-pole shift, manager-pole shift, leadership-skill, management-skill)
_LEANINGS = [
    (0.7, 0.6, 0.6, 0.5),
    (0.8, -0.5, 0.6, -0.4),
    (-0.5, 0.8, -0.3, 0.7),
    (-0.4, -0.3, -0.3, -0.2),
]


@dataclass(frozen=True)
class DemoSignIn:
    """An account the demo prints for people to try."""

    email: str
    role: str
    what: str


def database_is_empty(session: Session) -> bool:
    """True when nobody exists yet, the only state in which the demo is seeded."""
    return session.scalar(select(User.id).limit(1)) is None


def seed_demo(
    session: Session, instrument: Instrument, password: str, seed: int = 7
) -> list[DemoSignIn]:
    """Create the demo organisation in one transaction; returns the sign-ins to print."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    names = _unique_names(rng)
    company = ensure_unit(session, "Brightwater")
    people_unit = ensure_unit(session, "Brightwater/People")
    hr = _add(session, "Helena Brandt", Role.HR, password, people_unit, None, "hr")
    admin = _add(session, "Ade Mensah", Role.ADMIN, password, people_unit, None, "admin")
    ceo = _add(session, "Camille Reyes", Role.MANAGER, password, company, None, "ceo")
    managers: list[User] = [ceo]
    for department, teams in _TREE.items():
        dept_unit = ensure_unit(session, f"Brightwater/{department}")
        head = _add(session, next(names), Role.MANAGER, password, dept_unit, ceo)
        managers.append(head)
        for team in teams:
            team_unit = ensure_unit(session, f"Brightwater/{department}/{team}")
            lead = _add(session, next(names), Role.MANAGER, password, team_unit, head)
            managers.append(lead)
            for _ in range(rng.randint(3, 6)):
                _add(session, next(names), Role.MANAGER, None, team_unit, lead)
    demo_manager = managers[1]
    for manager in managers:
        if manager is not demo_manager:
            _completed_assessment(session, manager, instrument, rng)
    session.commit()
    return [
        DemoSignIn(demo_manager.email, "manager", "takes the self-assessment, reads the report"),
        DemoSignIn(ceo.email, "manager", "has a completed assessment and report"),
        DemoSignIn(hr.email, "hr", "manages people and accounts"),
        DemoSignIn(admin.email, "admin", "administers the site"),
    ]


def _unique_names(rng: random.Random) -> Iterator[str]:
    pairs = [f"{first} {last}" for first in _FIRST for last in _LAST]
    rng.shuffle(pairs)
    used_first: set[str] = set()
    for full in pairs:
        first = full.split()[0]
        if first not in used_first or len(used_first) == len(_FIRST):
            used_first.add(first)
            yield full


def _add(
    session: Session,
    name: str,
    role: Role,
    password: str | None,
    unit: OrgUnit,
    manager: User | None,
    local_part: str | None = None,
) -> User:
    local = local_part or name.lower().replace(" ", ".")
    return add_person(
        session,
        NewAccount(
            email=f"{local}@{DEMO_DOMAIN}",
            name=name,
            role=role,
            password=password,
            unit=unit,
            manager=manager,
        ),
    )


def _completed_assessment(
    session: Session, owner: User, instrument: Instrument, rng: random.Random
) -> None:
    """Answers drawn around a latent leaning, then scored exactly as a real submission."""
    shifts = _LEANINGS[rng.randrange(len(_LEANINGS))]
    middle = (instrument.scale_min + instrument.scale_max) / 2
    assessment = Assessment(
        owner=owner, instrument_id=instrument.id, instrument_version=instrument.version
    )
    session.add(assessment)
    for item in instrument.items:
        scale = instrument.scale(item.scale)
        level = middle + _shift(scale.kind, scale.pole, scale.family, shifts) + rng.gauss(0, 0.35)
        raw = level + rng.gauss(0, 0.6)
        if item.key < 0:  # the person agrees less with a reversed item when the trait is high
            raw = instrument.scale_min + instrument.scale_max - raw
        value = round(min(instrument.scale_max, max(instrument.scale_min, raw)))
        answer_value = None if rng.random() < 0.02 else value
        assessment.answers.append(Answer(item_id=item.id, value=answer_value))
    session.flush()
    lock_and_score(session, assessment, instrument)


def _shift(
    kind: ScaleKind, pole: Pole | None, family: str | None, shifts: tuple[float, ...]
) -> float:
    if kind is ScaleKind.POLE:
        return shifts[0] if pole is Pole.LEADER else shifts[1]
    return shifts[2] if family == "leadership" else shifts[3]
