"""Instrument quality (the psychometrics page): computed by a command, cached per instrument.

Per scale and respondent group (self, manager, peer, direct report, other): n, mean, SD,
% missing, % not observed, Cronbach's alpha with its 95% CI, McDonald's omega, corrected
item-total r and alpha if item deleted (``coach.analytics.psychometrics.scale_quality`` on
the keyed answers), and for the rater groups ICC(1) and ICC(1,k) with each 360 round's
ratee as the target. Flags follow docs/methods.md, "Instrument quality" (alpha < .70,
item-total r < .30).

Why a command and a cache, not the page: the figures need every stored answer (one query per
source, then numpy), and at 100,000 people that is tens of millions of rows, seconds to
minutes of work; scipy also loads slowly, and web requests import no analytics beyond
assignment. ``flask --app coach quality`` (and ``recluster``) stores the result as JSON in
``instrument_quality``; the page reads that row and says when it was computed.

HR anonymity: a group's figures on a scale are left out when fewer than 5 respondents
scored it, and an ICC when fewer than 5 ratees were rated by that group.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    FeedbackResponse,
    FeedbackRound,
    InstrumentQuality,
)
from coach.models._common import utcnow
from coach.scoring.hr_anonymity import HR_MIN_N
from coach.services.hr.rater_rows import rater_answers, rater_scale_scores

GROUPS = ("self", "manager", "peer", "direct_report", "other")
GROUP_LABELS = {
    "self": "Self",
    "manager": "Manager",
    "peer": "Peers",
    "direct_report": "Direct reports",
    "other": "Others",
}
Rows = Iterable[tuple[Any, ...]]


def _matrix(
    rows: Rows, instrument: Instrument
) -> tuple[NDArray[np.float64], NDArray[np.bool_], list[Any]]:
    """Respondents x items of keyed answers (NaN = missing) and the not-observed mask."""
    column = {item.id: j for j, item in enumerate(instrument.items)}
    index: dict[Any, int] = {}
    cells: list[tuple[int, int, float]] = []
    for respondent, item_id, value in rows:
        j = column.get(item_id)
        if j is None:
            continue
        i = index.setdefault(respondent, len(index))
        cells.append((i, j, math.nan if value is None else float(value)))
    matrix = np.full((len(index), len(column)), np.nan)
    answered = np.zeros(matrix.shape, dtype=bool)
    if cells:
        at = np.array(cells)
        rows_i, cols_j = at[:, 0].astype(int), at[:, 1].astype(int)
        matrix[rows_i, cols_j] = at[:, 2]
        answered[rows_i, cols_j] = True
    keys = np.array([item.key for item in instrument.items])
    flipped = instrument.scale_min + instrument.scale_max - matrix
    keyed = np.where(keys < 0, flipped, matrix)
    not_observed = answered & np.isnan(matrix)
    return keyed, not_observed, list(index)


def _self_answers(session: Session, instrument: Instrument) -> Rows:
    return session.execute(
        select(Answer.assessment_id, Answer.item_id, Answer.value)
        .join(Assessment, Assessment.id == Answer.assessment_id)
        .where(
            Assessment.instrument_id == instrument.id,
            Assessment.status == AssessmentStatus.SUBMITTED.value,
        )
    ).all()


def _rater_answers(session: Session, instrument: Instrument) -> dict[str, list[tuple[Any, ...]]]:
    by_group: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for response, group, item_id, value in session.execute(
        rater_answers()
        .join(FeedbackRound, FeedbackRound.id == FeedbackResponse.round_id)
        .where(FeedbackRound.instrument_id == instrument.id)
    ):
        by_group[group].append((response, item_id, value))
    return by_group


def _ratings(session: Session, instrument: Instrument) -> dict[tuple[str, str], list[list[float]]]:
    """Per (group, scale): each ratee-round's list of rater scale scores."""
    nested: dict[tuple[str, str], dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for round_id, group, scale_id, score in session.execute(
        rater_scale_scores().where(FeedbackRound.instrument_id == instrument.id)
    ):
        if score is not None:
            nested[(group, scale_id)][round_id].append(score)
    return {key: list(targets.values()) for key, targets in nested.items()}


def _number(value: float | None, digits: int = 3) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def _figures(quality: Any, items: Sequence[Any], icc: Any) -> dict[str, Any]:
    """One group's figures on one scale, or only ``shown: False`` below 5 respondents."""
    if quality.n < HR_MIN_N:
        return {"shown": False}
    figures: dict[str, Any] = {
        "shown": True,
        "n": quality.n,
        "n_complete": quality.n_complete,
        "mean": _number(quality.mean, 2),
        "sd": _number(quality.sd, 2),
        "pct_missing": _number(quality.pct_missing, 1),
        "pct_not_observed": _number(quality.pct_not_observed, 1),
        "alpha": _number(quality.alpha),
        "alpha_ci": [_number(v) for v in quality.alpha_ci] if quality.alpha_ci else None,
        "omega": _number(quality.omega),
        "items": [
            {
                "id": item.id,
                "text": item.observer_text,
                "reversed": item.key < 0,
                "item_total": _number(r),
                "alpha_if_deleted": _number(a),
                "low": item.id in quality.low_item_total,
            }
            for item, r, a in zip(items, quality.item_total, quality.alpha_if_deleted, strict=True)
        ],
        "flags": list(quality.flags),
    }
    if icc is not None and icc.n_targets >= HR_MIN_N:
        figures["icc"] = {
            "targets": icc.n_targets,
            "ratings": icc.n_ratings,
            "icc1": _number(icc.icc1),
            "icc1k": _number(icc.icc1k),
        }
    return figures


def compute_quality(session: Session, instrument: Instrument) -> dict[str, Any]:
    """Every figure of the psychometrics page for one instrument (three queries)."""
    from coach.analytics.psychometrics import group_icc, scale_quality  # scipy: commands only

    started = time.perf_counter()
    sources = {"self": _self_answers(session, instrument), **_rater_answers(session, instrument)}
    matrices = {group: _matrix(rows, instrument) for group, rows in sources.items()}
    ratings = _ratings(session, instrument)
    scales = []
    for scale in instrument.scales:
        items = instrument.items_of(scale.id)
        columns = [instrument.items.index(item) for item in items]
        by_group = {}
        for group in GROUPS:
            if group not in matrices:
                continue
            keyed, not_observed, _ = matrices[group]
            quality = scale_quality(
                keyed[:, columns],
                not_observed[:, columns],
                scale_id=scale.id,
                item_ids=[item.id for item in items],
            )
            icc = None if group == "self" else group_icc(ratings.get((group, scale.id), []))
            by_group[group] = _figures(quality, items, icc)
        scales.append({"id": scale.id, "name": scale.name, "kind": scale.kind.value, **by_group})
    return {
        "instrument": instrument.id,
        "version": instrument.version,
        "groups": [g for g in GROUPS if g in matrices],
        "respondents": {g: len(matrices[g][2]) for g in GROUPS if g in matrices},
        "scales": scales,
        "seconds": round(time.perf_counter() - started, 2),
    }


def refresh_quality(session: Session, instrument: Instrument) -> dict[str, Any]:
    """Compute and cache one instrument's figures; commits."""
    figures = compute_quality(session, instrument)
    session.execute(
        delete(InstrumentQuality).where(InstrumentQuality.instrument_id == instrument.id)
    )
    session.add(
        InstrumentQuality(
            instrument_id=instrument.id,
            computed_at=utcnow(),
            seconds=figures["seconds"],
            figures_json=json.dumps(figures),
        )
    )
    session.commit()
    return figures


def cached_quality(session: Session, instrument_id: str) -> tuple[dict[str, Any], Any] | None:
    """The stored figures and when they were computed, or None before the first run."""
    row = session.get(InstrumentQuality, instrument_id)
    if row is None:
        return None
    figures: dict[str, Any] = json.loads(row.figures_json)
    return figures, row.computed_at
