"""The current archetype model: assigning one assessment, and what a person may read of it.

Web requests import this module, so it needs numpy only (``coach.analytics.assignment`` and
``model``), never scikit-learn: fitting lives in ``coach.services.hr.archetype_refit``.
Archetypes describe where profiles cluster; they do not type people, and every text that
shows one says so.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from coach.analytics.assignment import assign
from coach.analytics.model import ArchetypeModel
from coach.models import ArchetypeAssignment, ArchetypeRun, Assessment, ScaleScoreRecord

NOTE = (
    "Archetypes describe where leadership profiles cluster in this organisation; they do not "
    "type people. A profile can sit between archetypes, and it changes as you do."
)
STRUCTURE_TEXT = {
    "clear": "The profiles form clearly separated groups.",
    "moderate": "The profiles form groups that overlap noticeably.",
    "weak": "Weak structure: the profiles form a continuum rather than distinct groups, so "
    "the archetypes mark regions of it, not types.",
    "not_fitted": "Too few profiles to look for groups: the four archetypes are the "
    "theory's starting points: above or below the average on leading, on managing, or on both.",
}
_MODELS: dict[tuple[Any, ...], ArchetypeModel] = {}


def current_run(session: Session, instrument_id: str) -> ArchetypeRun | None:
    """The newest run for an instrument: the model new assessments are assigned to."""
    return session.scalar(
        select(ArchetypeRun)
        .where(ArchetypeRun.instrument_id == instrument_id)
        .order_by(ArchetypeRun.id.desc())
        .limit(1)
    )


def model_of(run: ArchetypeRun) -> ArchetypeModel:
    """The run's frozen model (parsed once per process; runs never change)."""
    key = (run.id, run.instrument_id, run.version, run.created_at)
    if key not in _MODELS:
        _MODELS[key] = ArchetypeModel.from_dict(json.loads(run.model_json))
    return _MODELS[key]


def members_of(run: ArchetypeRun) -> dict[str, dict[str, float]]:
    """Per archetype key: size at fit time and the median and 90th percentile distance."""
    members: dict[str, dict[str, float]] = json.loads(run.members_json)
    return members


def scores_of(session: Session, assessment_id: int) -> dict[str, float | None]:
    """An assessment's stored scale scores by scale id."""
    rows = session.execute(
        select(ScaleScoreRecord.scale_id, ScaleScoreRecord.score).where(
            ScaleScoreRecord.assessment_id == assessment_id
        )
    )
    return {scale_id: score for scale_id, score in rows}


def assign_assessment(session: Session, assessment: Assessment) -> str | None:
    """Assign a person's newly scored assessment to the current model (no refit, no commit)."""
    run = current_run(session, assessment.instrument_id)
    if run is None:
        return None
    session.execute(
        delete(ArchetypeAssignment).where(
            ArchetypeAssignment.person_id == assessment.owner_id,
            ArchetypeAssignment.instrument_id == assessment.instrument_id,
        )
    )
    model = model_of(run)
    try:
        index, distance = assign(model, scores_of(session, assessment.id))
    except ValueError:  # every scale blank: the person has no archetype
        return None
    session.execute(
        insert(ArchetypeAssignment).values(
            person_id=assessment.owner_id,
            instrument_id=assessment.instrument_id,
            run_id=run.id,
            assessment_id=assessment.id,
            archetype=model.keys[index],
            distance=distance,
        )
    )
    return model.keys[index]


def forget_person(session: Session, person_id: int) -> None:
    """Delete a person's assignments for their erasure (no commit)."""
    session.execute(delete(ArchetypeAssignment).where(ArchetypeAssignment.person_id == person_id))


def closeness(distance: float, typical: float | None, wide: float | None) -> tuple[str, str]:
    """A plain phrase for how near a profile is to its archetype's centre."""
    if typical is not None and distance <= typical:
        return "close", "Close to the centre of this archetype: nearer than most people in it."
    if wide is not None and distance <= wide:
        return "typical", "Within the usual spread of this archetype."
    return "edge", "At the edge of this archetype: the profile sits between archetypes."


def archetype_for_assessment(session: Session, assessment: Assessment) -> dict[str, Any] | None:
    """The archetype a submitted assessment is nearest to under the current model, or None.

    For the person's own report: name, description, how close (distance in standard
    deviations and a phrase), the model's structure in words and the "describe, not type"
    note. Two queries (the current run and the assessment's scores).
    """
    if not assessment.is_submitted:
        return None
    run = current_run(session, assessment.instrument_id)
    if run is None:
        return None
    model = model_of(run)
    try:
        index, distance = assign(model, scores_of(session, assessment.id))
    except ValueError:
        return None
    key = model.keys[index]
    spread = members_of(run).get(key, {})
    level, phrase = closeness(distance, spread.get("median"), spread.get("p90"))
    return {
        "key": key,
        "name": model.names[index],
        "description": model.descriptions[index],
        "distance": round(distance, 2),
        "typical_distance": spread.get("median"),
        "closeness": level,
        "closeness_text": phrase,
        "structure": model.structure,
        "structure_text": STRUCTURE_TEXT.get(model.structure, ""),
        "model_version": model.version,
        "note": NOTE,
    }
