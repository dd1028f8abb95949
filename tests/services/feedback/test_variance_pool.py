"""The 360 report's pooled rater variance stays equal to a recomputation from every score."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import (
    FeedbackRound,
    RoundState,
    User,
)
from coach.scoring.uncertainty import MIN_POOLED_DF
from coach.services.demo.synthetic import seed_synthetic
from coach.services.feedback import rater_path, variance_pool
from coach.services.feedback import rounds as feedback_rounds
from coach.services.hr.rater_rows import rater_scale_scores
from coach.services.people import personal_data

from feedback_helpers import invitation_of, open_round_with, raters


def _from_scratch(instrument_id: str) -> dict[tuple[str, str], float]:
    """MSW per (group or "others", scale) from the stored scores, with numpy's variance."""
    rows = db.session.execute(
        rater_scale_scores().where(
            FeedbackRound.state == RoundState.CLOSED.value,
            FeedbackRound.instrument_id == instrument_id,
        )
    ).all()
    cells: dict[tuple[int, str, str], list[float]] = defaultdict(list)
    for round_id, group, scale_id, score in rows:
        cells[(round_id, group, scale_id)].append(score)
    squares: dict[tuple[str, str], float] = defaultdict(float)
    freedom: dict[tuple[str, str], int] = defaultdict(int)
    for (_, group, scale_id), scores in cells.items():
        if len(scores) < 2:
            continue
        within = float(np.var(scores)) * len(scores)
        for key in ((group, scale_id), ("others", scale_id)):
            squares[key] += within
            freedom[key] += len(scores) - 1
    return {k: squares[k] / freedom[k] for k in squares if freedom[k] >= MIN_POOLED_DF}


def _stored(instrument_id: str) -> dict[tuple[str, str], float]:
    return {
        (getattr(group, "value", group), scale): value
        for (group, scale), value in variance_pool.pooled_msw(db.session, instrument_id).items()
    }


def _assert_close(got: dict[tuple[str, str], float], want: dict[tuple[str, str], float]) -> None:
    assert got.keys() == want.keys()
    for key in want:
        assert abs(got[key] - want[key]) < 1e-9 * max(1.0, want[key]), key


def _close_a_round_answered_by(subject_email: str, spec: dict[str, int]) -> None:
    instrument = default_instrument()
    round_id, _ = open_round_with(subject_email, raters(spec))
    for n, (_, email, _) in enumerate(raters(spec)):
        invitation = invitation_of(email)
        answers = {item.id: 1 + (n * 7 + k) % 5 for k, item in enumerate(instrument.items)}
        rater_path.save_draft(
            db.session, invitation, instrument, answers, {}, len(instrument.pages)
        )
        rater_path.submit(db.session, invitation, instrument)
    found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == round_id))
    feedback_rounds.close_round(db.session, found, "subject")


def test_pooled_variance_equals_a_recomputation_after_a_bulk_load(ctx):
    instrument = default_instrument()
    seed_synthetic(db.session, instrument, 120, seed=3)
    want = _from_scratch(instrument.id)
    assert want  # the synthetic rounds give enough degrees of freedom
    _assert_close(_stored(instrument.id), want)


def test_closing_a_round_adds_it_to_the_pooled_variance(ctx, make_user):
    instrument = default_instrument()
    seed_synthetic(db.session, instrument, 60, seed=4)
    before = _stored(instrument.id)
    make_user("subject@example.org")
    _close_a_round_answered_by("subject@example.org", {"peer": 4, "direct_report": 3})
    after = _stored(instrument.id)
    assert after != before
    _assert_close(after, _from_scratch(instrument.id))


def test_an_open_round_does_not_count_until_it_closes(ctx, make_user):
    instrument = default_instrument()
    seed_synthetic(db.session, instrument, 60, seed=4)
    before = _stored(instrument.id)
    make_user("subject@example.org")
    open_round_with("subject@example.org", raters({"peer": 3}))
    for n, (_, email, _) in enumerate(raters({"peer": 3})):
        invitation = invitation_of(email)
        answers = {item.id: 1 + (n + k) % 5 for k, item in enumerate(instrument.items)}
        rater_path.save_draft(
            db.session, invitation, instrument, answers, {}, len(instrument.pages)
        )
        rater_path.submit(db.session, invitation, instrument)
    _assert_close(_stored(instrument.id), before)


def test_erasing_a_subject_takes_their_rounds_out_of_the_pooled_variance(ctx, make_user):
    instrument = default_instrument()
    seed_synthetic(db.session, instrument, 60, seed=5)
    make_user("leaving@example.org")
    _close_a_round_answered_by("leaving@example.org", {"peer": 5})
    person = db.session.scalar(select(User).where(User.email == "leaving@example.org"))
    personal_data.erase_person(db.session, person)
    _assert_close(_stored(instrument.id), _from_scratch(instrument.id))


def test_migration_0008_fills_the_pooled_sums_from_rounds_already_closed(app, loggers_kept):
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        instrument = default_instrument()
        seed_synthetic(db.session, instrument, 80, seed=6)
        want = _from_scratch(instrument.id)
        db.session.remove()
        try:
            downgrade(revision="0007_milestone_public_id")  # the table goes, the rounds stay
        finally:
            upgrade()
        _assert_close(_stored(instrument.id), want)
        db.session.remove()
