"""The synthetic organisation: realistic shape, and scores exactly as the scoring rules give."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Answer, Assessment, FeedbackRound, OrgUnit, ScaleScoreRecord, User
from coach.scoring import score_scales
from coach.services.accounts import accounts
from coach.services.demo.synthetic import seed_synthetic
from coach.services.demo.synthetic_answers import answers_from_profiles, scale_scores


def test_vectorised_scale_scores_follow_the_scoring_rules(ctx):
    instrument = default_instrument()
    rng = np.random.default_rng(5)
    answers = answers_from_profiles(instrument, rng.uniform(1, 5, (40, 18)), rng).astype(float)
    answers[rng.random(answers.shape) < 0.3] = np.nan  # gaps, so the 2/3 rule bites
    scores, _ = scale_scores(instrument, answers)
    for person in range(40):
        given = {
            item.id: None if np.isnan(answers[person, j]) else int(answers[person, j])
            for j, item in enumerate(instrument.items)
        }
        expected = score_scales(instrument, given)
        for s, scale in enumerate(instrument.scales):
            want = expected[scale.id].score
            got = None if np.isnan(scores[person, s]) else float(scores[person, s])
            assert (want is None and got is None) or abs(want - got) < 1e-9


def test_a_synthetic_organisation_has_units_people_scores_and_closed_rounds(ctx):
    summary = seed_synthetic(db.session, default_instrument(), 300, seed=2)
    assert summary.people == db.session.scalar(select(func.count()).select_from(User)) == 300
    assert summary.units == db.session.scalar(select(func.count()).select_from(OrgUnit))
    assert db.session.scalar(select(func.count()).select_from(ScaleScoreRecord)) == 300 * 18
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 300 * 72
    rounds = db.session.scalar(select(func.count()).select_from(FeedbackRound))
    assert rounds == summary.rounds > 0
    managed = db.session.scalar(
        select(func.count()).select_from(User).where(User.manager_id.is_not(None))
    )
    assert managed == 299  # everyone but the top has a manager
    quadrants = set(db.session.scalars(select(Assessment.quadrant)))
    assert len(quadrants) >= 2  # profiles vary


def test_ordinary_inserts_still_work_after_a_synthetic_load(ctx):
    seed_synthetic(db.session, default_instrument(), 50, seed=4)
    user = accounts.create_user(
        db.session, accounts.NewAccount("late@example.org", "Late Comer", accounts.Role.MANAGER)
    )
    assert user.id > 50


def test_a_large_synthetic_organisation_grows_deeper_not_wider():
    from collections import Counter

    from coach.services.demo.synthetic_answers import TEAM_SIZE, build_units

    plan = build_units(np.random.default_rng(3), 100_000)
    assert sum(headcount for _, _, headcount in plan) == 100_000
    fan_out = Counter(parent for _, parent, _ in plan if parent is not None)
    assert fan_out[0] <= 10  # a handful of divisions, as in a real group
    assert max(fan_out.values()) <= 10
    teams = [n for name, _, n in plan if name.startswith("Team")]
    assert min(teams) >= TEAM_SIZE[0] and max(teams) <= TEAM_SIZE[1]
    assert all(parent is None or parent < index for index, (_, parent, _) in enumerate(plan))
