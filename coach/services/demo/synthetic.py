"""A synthetic organisation for benchmarks and demos at scale (``flask seed-synthetic``).

Realistic structure: units of varied size in a tree of four levels, people with managers,
profiles drawn from a few latent archetypes plus noise, and closed 360 rounds of 3 to 10
raters for people who manage others. Rows go in with set-based bulk inserts; scale scores
are computed with numpy under exactly the scoring rules (keyed means, the 2/3 rule), which
a test checks against coach.scoring on a sample.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import (
    Answer,
    Assessment,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    OrgUnit,
    ResponseScaleScore,
    ScaleScoreRecord,
    User,
)
from coach.models._common import new_public_id, utcnow
from coach.models.user import new_session_token
from coach.scoring import ScaleScore, profile_from_scales
from coach.services.demo.synthetic_answers import (
    answers_from_profiles,
    build_units,
    latent_centres,
    scale_scores,
)
from coach.services.feedback import variance_pool

CHUNK = 5_000
DOMAIN = "synthetic.example"
ITEM_ANSWERS_UP_TO = 10_000  # item-level answers for this many people; scale scores for all


@dataclass(frozen=True)
class SyntheticSummary:
    """What the seeder created."""

    people: int
    units: int
    assessments: int
    rounds: int
    responses: int


def _bulk(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), list(rows[start : start + CHUNK]))


def _next_id(session: Session, column: Any) -> int:
    return int(session.scalar(select(column).order_by(column.desc()).limit(1)) or 0) + 1


def seed_synthetic(
    session: Session,
    instrument: Instrument,
    people: int,
    seed: int = 1,
    progress: Callable[[str], None] = lambda _message: None,
) -> SyntheticSummary:
    """Build the organisation, its assessments and its closed 360 rounds; one commit."""
    rng = np.random.default_rng(seed)
    plan = build_units(rng, people)
    unit_ids = _insert_units(session, plan)
    progress(f"{len(plan)} units")
    owners = _insert_people(session, plan, unit_ids)
    progress(f"{len(owners.ids)} people")
    centres = latent_centres(instrument, rng)
    kinds = rng.integers(len(centres), size=len(owners.ids))
    low, high = instrument.scale_min, instrument.scale_max
    truth = np.clip(centres[kinds] + rng.normal(0, 0.35, (len(kinds), centres.shape[1])), low, high)
    assessments = _insert_assessments(session, instrument, owners.ids, truth, rng)
    progress(f"{assessments} self-assessments")
    rounds, responses = _insert_rounds(session, instrument, owners, truth, rng)
    progress(f"{rounds} closed 360 rounds with {responses} responses")
    _advance_sequences(session)
    variance_pool.rebuild(session)  # the rounds were inserted closed, not closed one by one
    progress("pooled rater variance")
    session.commit()
    return SyntheticSummary(len(owners.ids), len(plan), assessments, rounds, responses)


def _advance_sequences(session: Session) -> None:
    """PostgreSQL: ids were given explicitly, so move each id sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (OrgUnit, User, Assessment, FeedbackRound, Invitation):
        table: Any = model.__table__
        highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
        session.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), highest)))


@dataclass(frozen=True)
class _People:
    ids: list[int]
    manager_of: dict[int, int]
    reports: dict[int, list[int]]
    unit_of: dict[int, int]


def _insert_units(session: Session, plan: list[tuple[str, int | None, int]]) -> list[int]:
    first = _next_id(session, OrgUnit.id)
    ids = [first + i for i in range(len(plan))]
    paths: list[str] = []
    rows = []
    for i, (name, parent, _) in enumerate(plan):
        path = (paths[parent] if parent is not None else "/") + f"{ids[i]}/"
        paths.append(path)
        rows.append(
            {
                "id": ids[i],
                "public_id": new_public_id(),
                "name": name,
                "parent_id": ids[parent] if parent is not None else None,
                "tree_path": path,
            }
        )
    _bulk(session, OrgUnit.__table__, rows)
    return ids


def _insert_people(
    session: Session, plan: list[tuple[str, int | None, int]], unit_ids: list[int]
) -> _People:
    first = _next_id(session, User.id)
    counter = itertools.count(first)
    head_of: dict[int, int] = {}
    manager_of: dict[int, int] = {}
    unit_of: dict[int, int] = {}
    rows = []
    for index, (_, parent, headcount) in enumerate(plan):
        above = head_of.get(parent) if parent is not None else None
        for member in range(headcount):
            person = next(counter)
            boss = above if member == 0 else head_of[index]
            if member == 0:
                head_of[index] = person
            if boss is not None:
                manager_of[person] = boss
            unit_of[person] = unit_ids[index]
            rows.append(_person_row(person, unit_ids[index], boss))
    _bulk(session, User.__table__, rows)
    reports: dict[int, list[int]] = {}
    for person, boss in manager_of.items():
        reports.setdefault(boss, []).append(person)
    return _People([r["id"] for r in rows], manager_of, reports, unit_of)


def _person_row(person: int, unit_id: int, manager_id: int | None) -> dict[str, Any]:
    return {
        "id": person,
        "public_id": new_public_id(),
        "email": f"p{person}@{DOMAIN}",
        "name": f"Person {person:06d}",
        "password_hash": None,
        "role": "manager",
        "active": True,
        "session_token": new_session_token(),
        "unit_id": unit_id,
        "manager_id": manager_id,
        "created_at": utcnow(),
        "failed_sign_ins": 0,
    }


def _insert_assessments(
    session: Session,
    instrument: Instrument,
    owners: list[int],
    truth: NDArray[np.float64],
    rng: np.random.Generator,
) -> int:
    first = _next_id(session, Assessment.id)
    detailed = min(len(owners), ITEM_ANSWERS_UP_TO)
    raw = answers_from_profiles(instrument, truth[:detailed], rng)
    scores = np.vstack([scale_scores(instrument, raw.astype(float))[0], truth[detailed:]])
    scale_ids = [s.id for s in instrument.scales]
    items = {s.id: len(instrument.items_of(s.id)) for s in instrument.scales}
    now = utcnow()
    assessment_rows, score_rows, answer_rows = [], [], []
    for n, owner in enumerate(owners):
        aid = first + n
        row_scores = {
            sid: ScaleScore(sid, None if np.isnan(v) else float(v), items[sid], items[sid])
            for sid, v in zip(scale_ids, scores[n], strict=True)
        }
        profile = profile_from_scales(instrument, row_scores)
        when = now - timedelta(days=int(rng.integers(1, 300)))
        assessment_rows.append(
            {
                "id": aid,
                "public_id": new_public_id(),
                "owner_id": owner,
                "instrument_id": instrument.id,
                "instrument_version": instrument.version,
                "status": "submitted",
                "current_page": len(instrument.pages),
                "started_at": when,
                "updated_at": when,
                "submitted_at": when,
                "leader_index": profile.leader_index,
                "manager_index": profile.manager_index,
                "quadrant": profile.quadrant.value if profile.quadrant else None,
            }
        )
        score_rows += [
            {
                "assessment_id": aid,
                "scale_id": sid,
                "score": s.score,
                "answered": s.answered,
                "items": s.items,
            }
            for sid, s in row_scores.items()
        ]
        if n < detailed:
            answer_rows += [
                {"assessment_id": aid, "item_id": item.id, "value": int(raw[n, j])}
                for j, item in enumerate(instrument.items)
            ]
    _bulk(session, Assessment.__table__, assessment_rows)
    _bulk(session, ScaleScoreRecord.__table__, score_rows)
    _bulk(session, Answer.__table__, answer_rows)
    return len(assessment_rows)


def _raters(subject: int, people: _People, rng: np.random.Generator) -> Iterator[tuple[str, int]]:
    if subject in people.manager_of:
        yield "manager", people.manager_of[subject]
    reports = people.reports.get(subject, [])
    for report in list(rng.permutation(reports))[: int(rng.integers(2, 7))]:
        yield "direct_report", int(report)
    boss = people.manager_of.get(subject)
    peers = [p for p in people.reports.get(boss, []) if p != subject] if boss else []
    for peer in list(rng.permutation(peers))[: int(rng.integers(0, 4))]:
        yield "peer", int(peer)


def _insert_rounds(
    session: Session,
    instrument: Instrument,
    people: _People,
    truth: NDArray[np.float64],
    rng: np.random.Generator,
) -> tuple[int, int]:
    bias = {"manager": -0.15, "direct_report": 0.1, "peer": 0.0}
    index_of = {person: n for n, person in enumerate(people.ids)}
    first_round, first_invitation = (
        _next_id(session, FeedbackRound.id),
        _next_id(session, Invitation.id),
    )
    now = utcnow()
    round_rows, invitation_rows, response_rows, score_rows = [], [], [], []
    low, high = instrument.scale_min, instrument.scale_max
    scale_ids = [s.id for s in instrument.scales]
    items = {s.id: len(instrument.items_of(s.id)) for s in instrument.scales}
    for subject in people.ids:
        raters = list(_raters(subject, people, rng))[:10]
        if len(raters) < 3:
            continue
        rid = first_round + len(round_rows)
        round_rows.append(
            {
                "id": rid,
                "public_id": new_public_id(),
                "subject_id": subject,
                "instrument_id": instrument.id,
                "instrument_version": instrument.version,
                "state": "closed",
                "min_group_n": 3,
                "deadline": now - timedelta(days=5),
                "created_at": now - timedelta(days=30),
                "opened_at": now - timedelta(days=29),
                "closed_at": now - timedelta(days=5),
                "closed_by": "deadline",
            }
        )
        for relationship, rater in raters:
            answered = rng.random() < 0.85  # some invited raters never answer
            invitation_rows.append(
                {
                    "id": first_invitation + len(invitation_rows),
                    "public_id": new_public_id(),
                    "round_id": rid,
                    "name": f"Person {rater:06d}",
                    "email": f"p{rater}@{DOMAIN}",
                    "relationship": relationship,
                    "state": "used" if answered else "invited",
                    "reminders_sent": 0,
                }
            )
            if not answered:
                continue
            response_id = new_public_id()
            seen = (
                truth[index_of[subject]] + bias[relationship] + rng.normal(0, 0.5, len(scale_ids))
            )
            response_rows.append({"id": response_id, "round_id": rid, "rater_group": relationship})
            score_rows += [
                {
                    "response_id": response_id,
                    "scale_id": sid,
                    "score": float(np.clip(v, low, high)),
                    "answered": items[sid],
                }
                for sid, v in zip(scale_ids, seen, strict=True)
            ]
    _bulk(session, FeedbackRound.__table__, round_rows)
    _bulk(session, Invitation.__table__, invitation_rows)
    _bulk(session, FeedbackResponse.__table__, response_rows)
    _bulk(session, ResponseScaleScore.__table__, score_rows)
    return len(round_rows), len(response_rows)
