"""The demo organisation: units, people and varied, plausible self-assessments."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.instrument import Instrument, Pole, ScaleKind
from coach.models import (
    Answer,
    Assessment,
    FeedbackRound,
    Invitation,
    InvitationState,
    OrgUnit,
    Role,
    RoundState,
    User,
)
from coach.models._common import utcnow
from coach.scoring.anonymity import RaterGroup
from coach.services.accounts.accounts import NewAccount, add_person
from coach.services.assessments.self_assessment import lock_and_score
from coach.services.feedback import variance_pool
from coach.services.feedback.rater_path import stage_imported_response
from coach.services.hr import summary as hr_summary
from coach.services.people.directory import ensure_unit

DEMO_DOMAIN = "demo.coach.example"
DEMO_COMPANY = "Brightwater"

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

# The demo's calendar, in days before today: each self-assessment is submitted first, then
# its 360 round is drafted, opened and closed at its deadline, so every date on every page
# follows from the one before it.
SUBMITTED_DAYS_AGO = 60
DRAFTED_DAYS_AGO = 40
OPENED_DAYS_AGO = 35
CLOSED_DAYS_AGO = 21

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
    company = ensure_unit(session, DEMO_COMPANY)
    people_unit = ensure_unit(session, f"{DEMO_COMPANY}/People")
    hr = _add(session, "Helena Brandt", Role.HR, password, people_unit, None, "hr")
    admin = _add(session, "Ade Mensah", Role.ADMIN, password, people_unit, None, "admin")
    ceo = _add(session, "Camille Reyes", Role.MANAGER, password, company, None, "ceo")
    managers: list[User] = [ceo]  # the CEO, department heads and team leads
    members: list[User] = []  # the people in the teams
    for department, teams in _TREE.items():
        dept_unit = ensure_unit(session, f"{DEMO_COMPANY}/{department}")
        head = _add(session, next(names), Role.MANAGER, password, dept_unit, ceo)
        managers.append(head)
        for team in teams:
            team_unit = ensure_unit(session, f"{DEMO_COMPANY}/{department}/{team}")
            lead = _add(session, next(names), Role.MANAGER, password, team_unit, head)
            managers.append(lead)
            for _ in range(rng.randint(3, 6)):
                members.append(_add(session, next(names), Role.MANAGER, None, team_unit, lead))
    demo_manager = managers[1]
    everyone = [p for p in managers + members if p is not demo_manager]
    assessed = [_completed_assessment(session, p, instrument, rng) for p in everyone]
    for assessment, leaning in assessed:
        _closed_round(session, assessment, managers + members, instrument, leaning, rng)
    session.flush()
    variance_pool.rebuild(session)
    hr_summary.rebuild_summaries(session, {instrument.id: instrument}, commit=False)
    session.commit()
    return [
        DemoSignIn(demo_manager.email, "manager", "takes the self-assessment, reads the report"),
        DemoSignIn(ceo.email, "manager", "has a self-assessment report and a closed 360 round"),
        DemoSignIn(hr.email, "hr", "people, campaigns, the organisation's figures"),
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
) -> tuple[Assessment, tuple[float, ...]]:
    """Answers drawn around a latent leaning, then scored exactly as a real submission.

    Returns the assessment and the leaning, so that colleagues' ratings can be drawn around
    the same person.
    """
    shifts = _LEANINGS[rng.randrange(len(_LEANINGS))]
    assessment = Assessment(
        owner=owner, instrument_id=instrument.id, instrument_version=instrument.version
    )
    session.add(assessment)
    for item_id, value in _answers(instrument, shifts, rng, spread=0.35, missing=0.02).items():
        assessment.answers.append(Answer(item_id=item_id, value=value))
    session.flush()
    lock_and_score(session, assessment, instrument)
    submitted = utcnow() - timedelta(days=SUBMITTED_DAYS_AGO - rng.randint(0, 10))
    assessment.started_at = submitted - timedelta(minutes=25)
    assessment.updated_at = assessment.submitted_at = submitted
    return assessment, shifts


def _answers(
    instrument: Instrument,
    shifts: tuple[float, ...],
    rng: random.Random,
    *,
    spread: float,
    missing: float,
) -> dict[str, int | None]:
    """One respondent's answers around a leaning: a level per scale plus noise per item."""
    middle = (instrument.scale_min + instrument.scale_max) / 2
    levels = {
        scale.id: middle
        + _shift(scale.kind, scale.pole, scale.family, shifts)
        + rng.gauss(0, spread)
        for scale in instrument.scales
    }
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        raw = levels[item.scale] + rng.gauss(0, 0.6)
        if item.key < 0:  # the person agrees less with a reversed item when the trait is high
            raw = instrument.scale_min + instrument.scale_max - raw
        value = round(min(instrument.scale_max, max(instrument.scale_min, raw)))
        answers[item.id] = None if rng.random() < missing else value
    return answers


def _closed_round(
    session: Session,
    assessment: Assessment,
    people: list[User],
    instrument: Instrument,
    shifts: tuple[float, ...],
    rng: random.Random,
) -> None:
    """A 360 round drafted after the self-assessment and closed at its deadline three weeks ago.

    Colleagues see the person a little less extremely than the person does (shifts
    shrunk), each with a bias of their own; peers notice less, so they answer "not able to
    observe" more often. Stored as the import path stores answers.
    """
    subject = assessment.owner
    peers = [p for p in people if p is not subject and p.manager is subject.manager]
    reports = [p for p in people if p.manager is subject]
    raters = [(RaterGroup.DIRECT_REPORT, p, 0.05) for p in reports[:6]]
    raters += [(RaterGroup.PEER, p, 0.12) for p in peers[:4]]
    if subject.manager is not None:
        raters.append((RaterGroup.MANAGER, subject.manager, 0.04))
    if len(raters) < 3:
        return
    today = utcnow()
    closed = today - timedelta(days=CLOSED_DAYS_AGO)
    feedback_round = FeedbackRound(
        subject=subject,
        assessment=assessment,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        state=RoundState.CLOSED.value,
        min_group_n=3,
        deadline=closed,
        created_at=today - timedelta(days=DRAFTED_DAYS_AGO),
        opened_at=today - timedelta(days=OPENED_DAYS_AGO),
        closed_at=closed,
        closed_by="deadline",
    )
    session.add(feedback_round)
    session.flush()
    seen_as = tuple(0.7 * shift for shift in shifts)
    for group, rater, missing in raters:
        # About one invitation in eight went unanswered, as in a real round.
        answered = rng.random() >= 0.125
        session.add(
            Invitation(
                round_id=feedback_round.id,
                name=rater.name,
                email=rater.email,
                relationship_=group.value,
                state=(InvitationState.USED if answered else InvitationState.INVITED).value,
                expires_at=closed,
            )
        )
        if answered:
            answers = _answers(instrument, seen_as, rng, spread=0.45, missing=missing)
            stage_imported_response(session, feedback_round, instrument, group.value, answers)


def _shift(
    kind: ScaleKind, pole: Pole | None, family: str | None, shifts: tuple[float, ...]
) -> float:
    if kind is ScaleKind.POLE:
        return shifts[0] if pole is Pole.LEADER else shifts[1]
    return shifts[2] if family == "leadership" else shifts[3]
