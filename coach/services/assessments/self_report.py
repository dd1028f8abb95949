"""Finished report values for templates and the API: no scoring happens in either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coach.instrument import Instrument, Scale
from coach.models import Assessment
from coach.scoring import (
    Profile,
    Quadrant,
    ScaleScore,
    profile_from_scales,
    strengths_and_development,
    strong_threshold,
)
from coach.services.archetypes.assignment import archetype_for_assessment
from coach.services.assessments.headlines import Headline, NextStep, self_headline, self_next_step

NOT_ENOUGH = "not enough answers"


@dataclass(frozen=True)
class ScaleLine:
    """One scale as the report shows it."""

    id: str
    name: str
    description: str
    score: float | None
    answered: int
    items: int

    @property
    def display(self) -> str:
        """The score with one decimal, or why there is none."""
        return NOT_ENOUGH if self.score is None else f"{self.score:.1f}"


@dataclass(frozen=True)
class DimensionLine:
    """A dimension's two pole scores and their tilt."""

    name: str
    leader: ScaleLine
    manager: ScaleLine
    tilt: float | None

    @property
    def tilt_phrase(self) -> str:
        """Which pole is ahead, in words; the tilt is never read without both scores."""
        if self.tilt is None:
            return "no tilt: a pole has not enough answers"
        if abs(self.tilt) < 0.25:
            return "balanced"
        side = self.leader.name if self.tilt > 0 else self.manager.name
        return f"leans to {side.lower()}"


@dataclass(frozen=True)
class ArchetypeLine:
    """The archetype a person's profile is nearest to, in words a manager can read."""

    name: str
    description: str
    closeness: str
    closeness_text: str
    distance: float
    typical_distance: float | None
    structure_text: str
    note: str
    scales: int


@dataclass(frozen=True)
class SelfReport:
    """Everything the self-assessment report page shows."""

    assessment_id: str
    instrument_title: str
    submitted_at: datetime | None
    scale_min: int
    scale_max: int
    leader_index: float | None
    manager_index: float | None
    strong_threshold: float
    quadrant: Quadrant | None
    dimensions: list[DimensionLine]
    skills: list[ScaleLine]
    strengths: list[ScaleLine]
    development: list[ScaleLine]
    blank: list[ScaleLine]
    chart_data: dict[str, Any]
    headline: Headline
    next_step: NextStep
    archetype: ArchetypeLine | None = None


def stored_profile(assessment: Assessment, instrument: Instrument) -> Profile:
    """The profile from the scores stored at submission (never recomputed from answers)."""
    stored = {r.scale_id: r for r in assessment.scale_scores}
    scales = {
        s.id: ScaleScore(
            s.id,
            stored[s.id].score if s.id in stored else None,
            stored[s.id].answered if s.id in stored else 0,
            stored[s.id].items if s.id in stored else len(instrument.items_of(s.id)),
        )
        for s in instrument.scales
    }
    return profile_from_scales(instrument, scales)


def _line(scale: Scale, score: ScaleScore) -> ScaleLine:
    return ScaleLine(
        scale.id, scale.name, scale.description, score.score, score.answered, score.items
    )


def self_report(session: Session, assessment: Assessment, instrument: Instrument) -> SelfReport:
    """The report of one submitted self-assessment, with its archetype once a model exists."""
    profile = stored_profile(assessment, instrument)
    lines = {s.id: _line(s, profile.scales[s.id]) for s in instrument.scales}
    strengths, development = strengths_and_development(profile, instrument)
    dimensions = [
        DimensionLine(d.name, lines[d.leader_scale], lines[d.manager_scale], profile.tilts[d.id])
        for d in instrument.dimensions
    ]
    skills = [lines[s.id] for s in instrument.skill_scales]
    verdict = profile.quadrant.title if profile.quadrant else "No overall pattern yet"
    return SelfReport(
        assessment_id=assessment.public_id,
        instrument_title=instrument.title,
        submitted_at=assessment.submitted_at,
        scale_min=instrument.scale_min,
        scale_max=instrument.scale_max,
        leader_index=profile.leader_index,
        manager_index=profile.manager_index,
        strong_threshold=strong_threshold(instrument),
        quadrant=profile.quadrant,
        dimensions=dimensions,
        skills=skills,
        strengths=[lines[s.scale_id] for s in strengths],
        development=[lines[s.scale_id] for s in development],
        blank=[line for line in lines.values() if line.score is None],
        chart_data=_chart_data(instrument, lines),
        headline=self_headline(
            verdict,
            [lines[s.scale_id].name for s in strengths],
            [lines[s.scale_id].name for s in development],
        ),
        next_step=self_next_step(session, assessment),
        archetype=nearest_archetype(session, assessment, len(instrument.scales)),
    )


def nearest_archetype(
    session: Session, assessment: Assessment, scales: int
) -> ArchetypeLine | None:
    """The archetype under the current model; None before HR has run the analysis."""
    assigned = archetype_for_assessment(session, assessment)
    if assigned is None:
        return None
    return ArchetypeLine(
        name=assigned["name"],
        description=assigned["description"],
        closeness=assigned["closeness"],
        closeness_text=assigned["closeness_text"],
        distance=assigned["distance"],
        typical_distance=assigned["typical_distance"],
        structure_text=assigned["structure_text"],
        note=assigned["note"],
        scales=scales,
    )


def _chart_data(instrument: Instrument, lines: dict[str, ScaleLine]) -> dict[str, Any]:
    """Finished values for the charts; the browser only draws them.

    Poles go as one pair per dimension (leader and manager side by side), never as one
    line joining the two kinds of pole.
    """
    skills = [lines[s.id] for s in instrument.skill_scales]
    dims = instrument.dimensions
    return {
        "min": instrument.scale_min,
        "max": instrument.scale_max,
        "dimensions": {
            "labels": [d.name for d in dims],
            "leader": [lines[d.leader_scale].score for d in dims],
            "manager": [lines[d.manager_scale].score for d in dims],
            "leader_names": [lines[d.leader_scale].name for d in dims],
            "manager_names": [lines[d.manager_scale].name for d in dims],
        },
        "skills": {
            "labels": [s.name for s in skills],
            "values": [s.score for s in skills],
            "families": [instrument.scale(s.id).family for s in skills],
        },
    }


def assessment_scores(assessment: Assessment, instrument: Instrument) -> list[dict[str, Any]]:
    """Each scale's stored score and answered count, for the API (empty before submission)."""
    if not assessment.is_submitted:
        return []
    profile = stored_profile(assessment, instrument)
    return [
        {
            "id": s.id,
            "name": s.name,
            "score": profile.scales[s.id].score,
            "answered": profile.scales[s.id].answered,
            "items": profile.scales[s.id].items,
        }
        for s in instrument.scales
    ]
