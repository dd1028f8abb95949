"""Change over time: each scale's score per cycle, and whether the last change is reliable.

A cycle is one submitted self-assessment; the others' mean of a cycle comes from the latest
closed 360 round that belongs to it (the round started on that assessment, else the latest
assessment submitted before the round began), always the widest figure the round shows.

Reliable change (docs/methods.md, "Reliable change") needs each scale's SD and reliability.
Both come from the database once at least ``MIN_ASSESSMENTS`` self-assessments on the instrument are
submitted: the SD of the scale's scores across those assessments, and Cronbach's alpha of
its keyed item answers. Below that, or when a figure cannot be computed, the documented
defaults of ``coach.coaching.change`` are used, and the page says so. The verdict is given
for self scores only: others' means change with who was asked as well as with behaviour,
which the RCI does not cover, so they are shown without one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.analytics.psychometrics import InsufficientData, cronbach_alpha
from coach.coaching import DEFAULT_RELIABILITY, Change, ChangeKind, default_sd, reliable_change
from coach.instrument import Instrument
from coach.models import Answer, Assessment, FeedbackRound, RoundState, ScaleScoreRecord, User
from coach.models._common import as_utc
from coach.scoring.scales import keyed_value
from coach.services.assessments.self_report import stored_profile
from coach.services.feedback.report import round_result
from coach.services.feedback.rounds import rounds_of
from coach.services.plans.development_plans import others_views

MIN_ASSESSMENTS = 30
"""Below 30 submitted assessments an SD or an alpha is too unstable to trust; use defaults."""

VERDICTS = {
    ChangeKind.IMPROVED: "Improved",
    ChangeKind.DECLINED: "Declined",
    ChangeKind.NO_RELIABLE_CHANGE: "No reliable change",
}

_MEASURES: dict[str, tuple[tuple[int, int, str], dict[str, Measurement]]] = {}


@dataclass(frozen=True)
class Measurement:
    """The SD and reliability a scale's reliable change is judged with, and where they came from."""

    sd: float
    reliability: float
    from_database: bool
    n: int


@dataclass(frozen=True)
class Cycle:
    """One cycle: a submitted self-assessment and the 360 round that belongs to it, if any."""

    number: int
    assessment: Assessment
    round: FeedbackRound | None

    @property
    def label(self) -> str:
        """ "Cycle 2 · Mar 2026", for charts and tables."""
        submitted = self.assessment.submitted_at
        return f"Cycle {self.number} · {submitted:%b %Y}" if submitted else f"Cycle {self.number}"


@dataclass(frozen=True)
class ScaleTrend:
    """One scale across cycles, and the verdict on its latest change of self score."""

    scale_id: str
    name: str
    self_scores: list[float | None]
    others: list[float | None]
    change: Change | None
    measurement: Measurement

    @property
    def verdict(self) -> str | None:
        """ "Improved", "Declined" or "No reliable change"; None without two self scores."""
        return VERDICTS[self.change.kind] if self.change else None

    @property
    def kind(self) -> str | None:
        """The change kind's stable value, for styles and the API."""
        return self.change.kind.value if self.change else None


@dataclass(frozen=True)
class Trends:
    """Every scale's trend for one person on one instrument."""

    instrument: Instrument
    cycles: list[Cycle]
    scales: list[ScaleTrend]
    from_database: bool
    assessments_in_database: int

    @property
    def measurement_note(self) -> str:
        """Where the SD and reliability behind the bands come from, in one plain paragraph."""
        if self.from_database:
            return (
                f"The band comes from {self.assessments_in_database} submitted assessments: "
                "for each scale, how much scores differ between people (SD) and how "
                "consistently its questions agree with each other."
            )
        first = self.scales[0].measurement if self.scales else None
        spread = f"{first.sd:.2g} points" if first else "a default spread"
        reliability = f"{first.reliability:.2f}".lstrip("0") if first else "a default"
        return (
            f"Until {MIN_ASSESSMENTS} assessments are submitted, the band uses conservative "
            f"defaults (a spread of {spread} between people and a reliability of "
            f"{reliability}), so only clear changes count."
        )

    def of(self, scale_id: str) -> ScaleTrend | None:
        """The trend of one scale."""
        return next((s for s in self.scales if s.scale_id == scale_id), None)

    def chart_data(self) -> dict[str, Any]:
        """Finished values for one small line chart per scale; the browser only draws."""
        return {
            "min": self.instrument.scale_min,
            "max": self.instrument.scale_max,
            "labels": [c.label for c in self.cycles],
            "scales": [
                {
                    "id": f"trend-{s.scale_id}",
                    "name": s.name,
                    "self": s.self_scores,
                    "others": s.others,
                }
                for s in self.scales
            ],
        }


def trends_of(session: Session, owner: User, instrument: Instrument) -> Trends:
    """The owner's cycles on this instrument with each scale's scores and latest change."""
    assessments = list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.owner_id == owner.id,
                Assessment.instrument_id == instrument.id,
                Assessment.submitted_at.is_not(None),
            )
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )
    cycles = _cycles(session, owner, instrument, assessments)
    measures = measurements(session, instrument)
    profiles = [stored_profile(c.assessment, instrument) for c in cycles]
    others = [
        others_views(round_result(session, c.round, instrument)) if c.round else {} for c in cycles
    ]
    scales = []
    for scale in instrument.scales:
        own = [p.scales[scale.id].score for p in profiles]
        seen = [o[scale.id].mean if scale.id in o else None for o in others]
        measure = measures[scale.id]
        change = None
        if len(own) >= 2 and own[-2] is not None and own[-1] is not None:
            change = reliable_change(own[-2], own[-1], measure.sd, measure.reliability)
        scales.append(ScaleTrend(scale.id, scale.name, own, seen, change, measure))
    from_db = any(m.from_database for m in measures.values())
    count = max((m.n for m in measures.values()), default=0)
    return Trends(instrument, cycles, scales, from_db, count)


def _cycles(
    session: Session, owner: User, instrument: Instrument, assessments: list[Assessment]
) -> list[Cycle]:
    """Number the assessments and give each the latest closed round that belongs to it."""
    by_id = {a.id: a for a in assessments}
    rounds: dict[int, FeedbackRound] = {}
    closed = [
        r
        for r in rounds_of(session, owner)
        if r.state == RoundState.CLOSED.value and r.instrument_id == instrument.id
    ]
    for feedback_round in sorted(
        closed, key=lambda r: (_moment(r.closed_at or r.created_at), r.id)
    ):
        home = by_id.get(feedback_round.assessment_id) if feedback_round.assessment_id else None
        if home is None:
            earlier = [
                a
                for a in assessments
                if _moment(a.submitted_at) <= _moment(feedback_round.created_at)
            ]
            home = earlier[-1] if earlier else None
        if home is not None:
            rounds[home.id] = feedback_round  # later rounds replace earlier ones of the same cycle
    return [Cycle(n, a, rounds.get(a.id)) for n, a in enumerate(assessments, start=1)]


def _moment(value: datetime | None) -> datetime:
    return as_utc(value) if value is not None else datetime.min.replace(tzinfo=UTC)


def measurements(session: Session, instrument: Instrument) -> dict[str, Measurement]:
    """Each scale's SD and reliability: from the database with enough data, else the defaults."""
    count, last_id, last_at = session.execute(
        select(
            func.count(Assessment.id), func.max(Assessment.id), func.max(Assessment.submitted_at)
        ).where(Assessment.instrument_id == instrument.id, Assessment.submitted_at.is_not(None))
    ).one()
    stamp = (int(count), int(last_id or 0), str(last_at))
    key = f"{instrument.id}@{instrument.version}"
    cached = _MEASURES.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    fallback_sd = default_sd(instrument.scale_min, instrument.scale_max)
    measures = {
        s.id: Measurement(fallback_sd, DEFAULT_RELIABILITY, False, count) for s in instrument.scales
    }
    if count >= MIN_ASSESSMENTS:
        sds = _score_sds(session, instrument)
        alphas = _alphas(session, instrument)
        for scale in instrument.scales:
            sd, alpha = sds.get(scale.id), alphas.get(scale.id)
            if sd is not None and alpha is not None:
                measures[scale.id] = Measurement(sd, alpha, True, count)
    _MEASURES[key] = (stamp, measures)  # recomputed only when a new assessment is submitted
    return measures


def _score_sds(session: Session, instrument: Instrument) -> dict[str, float]:
    """The sample SD of each scale's submitted scores, in one aggregate query."""
    rows = session.execute(
        select(
            ScaleScoreRecord.scale_id,
            func.count(ScaleScoreRecord.score),
            func.sum(ScaleScoreRecord.score),
            func.sum(ScaleScoreRecord.score * ScaleScoreRecord.score),
        )
        .join(Assessment, Assessment.id == ScaleScoreRecord.assessment_id)
        .where(Assessment.instrument_id == instrument.id, Assessment.submitted_at.is_not(None))
        .group_by(ScaleScoreRecord.scale_id)
    ).all()
    sds: dict[str, float] = {}
    for scale_id, n, total, squares in rows:
        if n < MIN_ASSESSMENTS or total is None or squares is None:
            continue
        variance = (float(squares) - float(total) ** 2 / n) / (n - 1)
        if variance > 0:
            sds[scale_id] = math.sqrt(variance)
    return sds


def _alphas(session: Session, instrument: Instrument) -> dict[str, float]:
    """Cronbach's alpha of each scale over every submitted assessment's keyed answers."""
    rows = session.execute(
        select(Answer.assessment_id, Answer.item_id, Answer.value)
        .join(Assessment, Assessment.id == Answer.assessment_id)
        .where(Assessment.instrument_id == instrument.id, Assessment.submitted_at.is_not(None))
    ).all()
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    for assessment_id, item_id, value in rows:
        if value is not None:
            answers[assessment_id][item_id] = value
    alphas: dict[str, float] = {}
    for scale in instrument.scales:
        items = instrument.items_of(scale.id)
        matrix = np.array(
            [
                [keyed_value(instrument, i, a[i.id]) if i.id in a else np.nan for i in items]
                for a in answers.values()
            ],
            dtype=np.float64,
        ).reshape(len(answers), len(items))
        try:
            alpha = cronbach_alpha(matrix)
        except InsufficientData:
            continue
        # Alpha can come out negative for an incoherent scale: no reliability at all (0),
        # which makes change harder, never easier, to declare. 1 would mean no error at all.
        if math.isfinite(alpha) and alpha < 1:
            alphas[scale.id] = max(0.0, alpha)
    return alphas


def change_json(trend: ScaleTrend) -> dict[str, Any] | None:
    """The latest change of self score as the API shows it."""
    change = trend.change
    if change is None:
        return None
    return {
        "verdict": trend.verdict,
        "kind": change.kind.value,
        "before": change.before,
        "after": change.after,
        "delta": change.delta,
        "rci": change.rci,
        "band": change.band,
        "sem": change.sem,
        "explanation": change.explanation,
    }
