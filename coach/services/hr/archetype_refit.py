"""Refitting the archetype model (``flask recluster``): fit, store a versioned run, assign all.

What is clustered: each person's *latest submitted self-assessment* on the instrument, its
scale scores as features (z-scored by the analytics package, docs/methods.md "Archetypes").
Others' profiles are not clustered: they differ from self-ratings in level and in who was
asked, so mixing the two would find "self" and "others" clusters rather than leadership
patterns; HR can still filter the others' figures by the ratee's archetype.

Each fit is stored as an ``ArchetypeRun`` (parameters, quality figures, members' distances
and the model as JSON), passes the previous run as ``previous=`` so names stay with their
clusters across refits, and falls back to the four theory prototypes below 500 complete
profiles. Everyone is then re-assigned and the HR summary's archetype slices rolled up
again, in one transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from coach.analytics.assignment import assign_many
from coach.analytics.model import ArchetypeModel
from coach.instrument import Instrument
from coach.models import (
    ArchetypeAssignment,
    ArchetypeRun,
    Assessment,
    AssessmentStatus,
    ScaleScoreRecord,
)
from coach.services.archetypes import assignment as archetype_assignment
from coach.services.hr import summary as hr_summary

MIN_POPULATION = 500
"""Below this many complete profiles theory prototypes replace clustering (docs/methods.md)."""
_CHUNK = 5_000


@dataclass(frozen=True)
class Profiles:
    """Everyone's latest self profile: people, the assessment used, scores (NaN = blank)."""

    person_ids: list[int]
    assessment_ids: list[int]
    scores: NDArray[np.float64]


@dataclass(frozen=True)
class ReclusterResult:
    """What a recluster stored."""

    run: ArchetypeRun
    model: ArchetypeModel
    assigned: int
    seconds: float


def latest_profiles(session: Session, instrument: Instrument) -> Profiles:
    """Each person's latest submitted self profile, pivoted in SQL: one query."""
    ranked = (
        select(
            Assessment.id,
            Assessment.owner_id,
            func.row_number()
            .over(
                partition_by=Assessment.owner_id,
                order_by=(Assessment.submitted_at.desc(), Assessment.id.desc()),
            )
            .label("rank"),
        )
        .where(
            Assessment.instrument_id == instrument.id,
            Assessment.status == AssessmentStatus.SUBMITTED.value,
            Assessment.submitted_at.is_not(None),
        )
        .subquery()
    )
    score = ScaleScoreRecord.score
    pivot = [
        func.max(case((ScaleScoreRecord.scale_id == scale.id, score)))
        for scale in instrument.scales
    ]
    rows = session.execute(
        select(ranked.c.owner_id, ranked.c.id, *pivot)
        .join(ScaleScoreRecord, ScaleScoreRecord.assessment_id == ranked.c.id)
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.owner_id, ranked.c.id)
        .order_by(ranked.c.owner_id)
    ).all()
    scores = np.array(
        [[np.nan if v is None else v for v in row[2:]] for row in rows], dtype=np.float64
    ).reshape(len(rows), len(instrument.scales))
    return Profiles([r[0] for r in rows], [r[1] for r in rows], scores)


def _members(model: ArchetypeModel, index: NDArray[np.int64], distance: NDArray[np.float64]) -> Any:
    members = {}
    for i, key in enumerate(model.keys):
        mine = distance[index == i]
        members[key] = {
            "size": int(mine.size),
            "median": float(np.median(mine)) if mine.size else None,
            "p90": float(np.percentile(mine, 90)) if mine.size else None,
        }
    return members


def recluster(
    session: Session,
    instrument: Instrument,
    *,
    seed: int = 0,
    min_population: int = MIN_POPULATION,
    progress: Callable[[str], None] | None = None,
) -> ReclusterResult:
    """Fit a new archetype model on everyone's latest self profile, store it, assign everyone.

    Commits once, after the HR summary is rebuilt with the new assignments.
    """
    from threadpoolctl import threadpool_limits

    from coach.analytics.archetypes import fit_archetypes  # scikit-learn: commands only

    say = progress or (lambda _message: None)
    started = time.perf_counter()
    profiles = latest_profiles(session, instrument)
    say(f"{len(profiles.person_ids)} latest self profiles on {instrument.id}")
    previous_run = archetype_assignment.current_run(session, instrument.id)
    previous = archetype_assignment.model_of(previous_run) if previous_run else None
    parameters = {"seed": seed, "min_population": min_population, "shape": False, "k": [2, 8]}
    # One OpenMP thread: the default spins on shared cores and was 3-7 times slower.
    with threadpool_limits(1):
        model = fit_archetypes(
            profiles.scores,
            [s.id for s in instrument.scales],
            pole_of={s.id: s.pole.value if s.pole else None for s in instrument.scales},
            scale_names={s.id: s.name for s in instrument.scales},
            seed=seed,
            min_population=min_population,
            scale_range=(float(instrument.scale_min), float(instrument.scale_max)),
            previous=previous,
            progress=say,
        )
    index, distance = assign_many(model, profiles.scores)
    run = _store_run(session, instrument, model, parameters, _members(model, index, distance))
    assigned = _assign_all(session, instrument, run, model, profiles, index, distance)
    say(f"run {run.id} (model version {model.version}): {assigned} people assigned")
    hr_summary.refresh_archetypes(session, instrument, progress=say)
    run.seconds = time.perf_counter() - started
    session.commit()
    return ReclusterResult(run, model, assigned, run.seconds)


def _store_run(
    session: Session,
    instrument: Instrument,
    model: ArchetypeModel,
    parameters: dict[str, Any],
    members: Any,
) -> ArchetypeRun:
    quality = model.quality
    run = ArchetypeRun(
        instrument_id=instrument.id,
        version=model.version,
        kind=model.kind,
        k=model.k,
        structure=model.structure,
        n_profiles=model.n_profiles,
        n_excluded=model.n_excluded,
        silhouette=quality.silhouette if quality else None,
        stability=quality.stability if quality else None,
        seconds=0.0,
        parameters_json=json.dumps(parameters),
        members_json=json.dumps(members),
        model_json=json.dumps(model.to_dict()),
    )
    session.add(run)
    session.flush()
    return run


def _assign_all(
    session: Session,
    instrument: Instrument,
    run: ArchetypeRun,
    model: ArchetypeModel,
    profiles: Profiles,
    index: NDArray[np.int64],
    distance: NDArray[np.float64],
) -> int:
    session.execute(
        delete(ArchetypeAssignment).where(ArchetypeAssignment.instrument_id == instrument.id)
    )
    rows = [
        {
            "person_id": person,
            "instrument_id": instrument.id,
            "run_id": run.id,
            "assessment_id": assessment,
            "archetype": model.keys[int(i)],
            "distance": float(d),
        }
        for person, assessment, i, d in zip(
            profiles.person_ids, profiles.assessment_ids, index, distance, strict=True
        )
        if i >= 0
    ]
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(ArchetypeAssignment), rows[start : start + _CHUNK])
    return len(rows)
