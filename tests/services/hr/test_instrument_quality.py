"""Instrument quality from stored answers: the same figures as the analytics package gives."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from sqlalchemy import select

from coach.analytics.psychometrics import group_icc, scale_quality
from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import (
    Answer,
    FeedbackResponse,
    InstrumentQuality,
    ResponseScaleScore,
)
from coach.services.hr import instrument_quality

from hr_builders import closed_round, person, synthetic_org


def _self_matrix(instrument):  # type: ignore[no-untyped-def]
    """Keyed answers and the not-observed mask, built here without the service's helpers."""
    rows = defaultdict(dict)
    for assessment_id, item_id, value in db.session.execute(
        select(Answer.assessment_id, Answer.item_id, Answer.value)
    ):
        rows[assessment_id][item_id] = value
    items = instrument.items
    matrix = np.full((len(rows), len(items)), np.nan)
    observed = np.zeros(matrix.shape, dtype=bool)
    for i, answers in enumerate(rows.values()):
        for j, item in enumerate(items):
            if item.id in answers and answers[item.id] is None:
                observed[i, j] = True
            elif item.id in answers:
                raw = answers[item.id]
                matrix[i, j] = raw if item.key > 0 else 6 - raw
    return matrix, observed


def test_self_figures_equal_scale_quality_on_the_same_answers(ctx):
    synthetic_org(60, seed=3)
    instrument = default_instrument()
    figures = instrument_quality.compute_quality(db.session, instrument)
    matrix, observed = _self_matrix(instrument)
    assert figures["respondents"]["self"] == 60
    for scale in instrument.scales[:6]:
        columns = [instrument.items.index(i) for i in instrument.items_of(scale.id)]
        expected = scale_quality(
            matrix[:, columns],
            observed[:, columns],
            scale_id=scale.id,
            item_ids=[i.id for i in instrument.items_of(scale.id)],
        )
        got = next(s for s in figures["scales"] if s["id"] == scale.id)["self"]
        assert got["n"] == expected.n and got["n_complete"] == expected.n_complete
        assert got["alpha"] == pytest.approx(expected.alpha, abs=1e-3)
        assert got["alpha_ci"] == pytest.approx(list(expected.alpha_ci), abs=1e-3)
        assert got["omega"] == pytest.approx(expected.omega, abs=1e-3)
        assert got["mean"] == pytest.approx(expected.mean, abs=0.01)
        assert got["sd"] == pytest.approx(expected.sd, abs=0.01)
        assert [i["item_total"] for i in got["items"]] == pytest.approx(
            list(expected.item_total), abs=1e-3
        )
        assert [i["alpha_if_deleted"] for i in got["items"]] == pytest.approx(
            list(expected.alpha_if_deleted), abs=1e-3
        )
        assert got["flags"] == list(expected.flags)
        assert "icc" not in got


def test_rater_groups_get_icc_and_a_group_of_fewer_than_five_is_absent(ctx):
    subjects = [person(f"s{i}@example.org", "Acme") for i in range(6)]
    for i, someone in enumerate(subjects):
        ratings = [("manager", 2 + i % 3), ("peer", 2 + i % 3), ("peer", 3), ("peer", 4)]
        closed_round(someone, ratings + ([("other", 3)] if i < 2 else []))
    instrument = default_instrument()
    figures = instrument_quality.refresh_quality(db.session, instrument)
    assert set(figures["groups"]) == {"self", "manager", "peer", "other"}
    vision = next(s for s in figures["scales"] if s["id"] == "vision")
    assert vision["other"] == {"shown": False}  # 2 respondents
    assert vision["self"] == {"shown": False}  # nobody took the self-assessment
    peers = vision["peer"]
    assert peers["shown"] and peers["n"] == 18 and peers["icc"]["targets"] == 6
    by_round = defaultdict(list)
    for round_id, score in db.session.execute(
        select(FeedbackResponse.round_id, ResponseScaleScore.score)
        .join(ResponseScaleScore, ResponseScaleScore.response_id == FeedbackResponse.id)
        .where(FeedbackResponse.rater_group == "peer", ResponseScaleScore.scale_id == "vision")
    ):
        by_round[round_id].append(score)
    expected = group_icc(list(by_round.values()))
    assert peers["icc"]["icc1"] == pytest.approx(expected.icc1, abs=1e-3)
    assert peers["icc"]["icc1k"] == pytest.approx(expected.icc1k, abs=1e-3)
    stored, computed_at = instrument_quality.cached_quality(db.session, instrument.id)
    assert stored == figures and computed_at is not None
    assert db.session.scalar(select(InstrumentQuality.instrument_id)) == instrument.id
