"""Change over time: scores per cycle, others from closed rounds, the RCI verdict and its SEM."""

from __future__ import annotations

import random
import statistics
from datetime import date

import numpy as np
import pytest
from sqlalchemy import select

from coach.coaching import DEFAULT_RELIABILITY, default_sd, reliable_change
from coach.extensions import db
from coach.instruments_registry import (
    action_libraries,
    action_library,
    default_instrument,
    instruments,
)
from coach.models import Answer, Assessment, ScaleScoreRecord
from coach.scoring.scales import keyed_value
from coach.services.assessments import self_assessment
from coach.services.plans import development_plans as plans
from coach.services.plans import goals as plan_goals
from coach.services.plans.report import plan_view
from coach.services.plans.trends import MIN_ASSESSMENTS, measurements, trends_of

from plan_helpers import closed_round, submit_assessment, user

OWNER = "maya@example.org"


def _trends():  # type: ignore[no-untyped-def]
    return trends_of(db.session, user(OWNER), default_instrument())


def test_one_cycle_has_scores_but_no_verdict(ctx, make_user):
    make_user(OWNER)
    submit_assessment(OWNER, {"delegation": 2})
    trends = _trends()
    assert len(trends.cycles) == 1 and trends.cycles[0].label.startswith("Cycle 1 · ")
    delegation = trends.of("delegation")
    assert delegation.self_scores == [2.0] and delegation.others == [None]
    assert delegation.change is None and delegation.verdict is None


def test_a_second_cycle_says_no_reliable_change_inside_the_band_and_improved_beyond(ctx, make_user):
    make_user(OWNER)
    submit_assessment(OWNER, {"delegation": 2.0, "vision": 2.0, "communication": 4.0})
    submit_assessment(OWNER, {"delegation": 2.5, "vision": 4.0, "communication": 2.0})
    trends = _trends()
    band = reliable_change(0, 0).band  # 1.96 * sqrt(2) * 0.7 * sqrt(1 - .75) = 0.97
    assert band == pytest.approx(0.970, abs=0.001)
    inside, beyond, down = trends.of("delegation"), trends.of("vision"), trends.of("communication")
    assert inside.self_scores == [2.0, 2.5]
    assert inside.verdict == "No reliable change" and inside.change.band == pytest.approx(band)
    assert inside.change.explanation == (
        "No reliable change: 0.5 points is within the ±0.97 "
        "that measurement error alone can produce"
    )
    assert beyond.verdict == "Improved" and beyond.kind == "improved"
    assert beyond.change.rci > 1.96
    assert down.verdict == "Declined"
    assert trends.of("execution").verdict == "No reliable change"  # 4.0 both times


def test_only_the_latest_two_cycles_are_compared(ctx, make_user):
    make_user(OWNER)
    for score in (2.0, 4.0, 4.25):
        submit_assessment(OWNER, {"vision": score})
    vision = _trends().of("vision")
    assert vision.self_scores == [2.0, 4.0, 4.25]
    assert vision.change.before == 4.0 and vision.verdict == "No reliable change"


def test_others_come_from_the_closed_round_of_each_cycle_and_are_never_tested(ctx, make_user):
    make_user(OWNER)
    submit_assessment(OWNER, {"vision": 3})
    closed_round(OWNER, {"peer": {"vision": 2}, "direct_report": {"vision": 2}})
    submit_assessment(OWNER, {"vision": 3})
    trends = _trends()
    vision = trends.of("vision")
    assert vision.others == [pytest.approx(2.0), None]
    assert trends.cycles[0].round is not None and trends.cycles[1].round is None
    assert vision.verdict == "No reliable change"  # self 3 -> 3; others carry no verdict


def test_the_chart_data_is_finished_values_per_scale(ctx, make_user):
    make_user(OWNER)
    submit_assessment(OWNER, {"vision": 2})
    submit_assessment(OWNER, {"vision": 4})
    data = _trends().chart_data()
    assert data["min"] == 1 and data["max"] == 5 and len(data["labels"]) == 2
    vision = next(s for s in data["scales"] if s["id"] == "trend-vision")
    assert vision == {
        "id": "trend-vision",
        "name": "Vision and direction",
        "self": [2.0, 4.0],
        "others": [None, None],
    }


def test_defaults_are_used_below_thirty_assessments(ctx, make_user):
    make_user(OWNER)
    submit_assessment(OWNER)
    measure = measurements(db.session, default_instrument())["vision"]
    assert measure.sd == default_sd(1, 5) and measure.reliability == DEFAULT_RELIABILITY
    assert not measure.from_database
    assert "Until 30 assessments" in _trends().measurement_note


def _population(count: int, seed: int = 3) -> None:
    """``count`` submitted assessments whose items hang together (a person's level + noise)."""
    instrument = default_instrument()
    rng = random.Random(seed)
    owner = user("norm@example.org")
    for _ in range(count):
        assessment = Assessment(
            owner=owner, instrument_id=instrument.id, instrument_version=instrument.version
        )
        for scale in instrument.scales:
            level = rng.choice([2, 3, 3, 4, 4, 5])
            for item in instrument.items_of(scale.id):
                keyed = min(5, max(1, level + rng.choice([-1, 0, 0, 0, 1])))
                raw = keyed if item.key == 1 else 6 - keyed
                assessment.answers.append(Answer(item_id=item.id, value=raw))
        db.session.add(assessment)
        db.session.flush()
        self_assessment.submit_assessment(db.session, assessment, instrument)


def _alpha(matrix: np.ndarray) -> float:
    k = matrix.shape[1]
    return k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))


def test_from_thirty_assessments_sd_and_alpha_come_from_the_database(ctx, make_user):
    make_user("norm@example.org", name="Norma Group")
    _population(MIN_ASSESSMENTS)
    instrument = default_instrument()
    measure = measurements(db.session, instrument)["delegation"]
    scores = db.session.scalars(
        select(ScaleScoreRecord.score).where(ScaleScoreRecord.scale_id == "delegation")
    ).all()
    items = instrument.items_of("delegation")
    rows = []
    for assessment in db.session.scalars(select(Assessment)):
        given = {a.item_id: a.value for a in assessment.answers}
        rows.append([keyed_value(instrument, i, given[i.id]) for i in items])
    assert measure.from_database and measure.n == MIN_ASSESSMENTS
    assert measure.sd == pytest.approx(statistics.stdev(scores))
    assert measure.reliability == pytest.approx(_alpha(np.array(rows, dtype=float)))
    assert 0 < measure.reliability < 1


def test_the_measurement_is_recomputed_when_an_assessment_is_submitted(ctx, make_user):
    make_user("norm@example.org", name="Norma Group")
    _population(MIN_ASSESSMENTS - 1)
    instrument = default_instrument()
    assert not measurements(db.session, instrument)["vision"].from_database
    _population(1, seed=9)
    assert measurements(db.session, instrument)["vision"].from_database


def test_a_goal_shows_its_scale_change_beside_the_indicator(ctx, make_user):
    make_user(OWNER)
    submit_assessment(OWNER, {"delegation": 2})
    submit_assessment(OWNER, {"delegation": 4})
    owner = user(OWNER)
    start = plans.plan_start(db.session, owner, instruments(), action_libraries())
    plan = plans.start_plan(db.session, owner, start, ["delegation"])
    library = action_library(default_instrument().id)
    draft = plan_goals.GoalDraft(
        "Delegate",
        "delegation",
        "decisions delegated",
        "decisions",
        "increase",
        0,
        10,
        date.today(),
        date.fromordinal(date.today().toordinal() + 30),
    )
    plan_goals.add_goal(db.session, plan, draft, default_instrument(), library, date.today())
    view = plan_view(plan, default_instrument(), library, date.today(), _trends(), True)
    goal = view.goals[0]
    assert goal.scale_verdict == "Improved" and goal.scale_kind == "improved"
    assert goal.scale_change.startswith("Improved by 2.0 points")


def test_a_managers_change_page_explains_the_band_without_naming_cronbachs_alpha(ctx, make_user):
    make_user(OWNER)
    submit_assessment(OWNER)
    make_user("norm@example.org", name="Norma Group")
    _population(MIN_ASSESSMENTS)
    note = _trends().measurement_note
    assert "how consistently its questions agree with each other" in note
    assert "Cronbach" not in note and "alpha" not in note
