"""The demo's dates tell one story: assessed, then a round drafted, opened and closed on time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackRound
from coach.models._common import utcnow
from coach.services.demo import organisation as demo_organisation


def _aware(moment):  # type: ignore[no-untyped-def]
    """SQLite hands back naive UTC times; PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def test_every_demo_round_starts_after_its_self_assessment_and_ends_at_its_deadline(app):
    with app.app_context():
        demo_organisation.seed_demo(db.session, default_instrument(), "demo-password-1")
        db.session.expire_all()
        found = list(db.session.scalars(select(FeedbackRound)))
        assert len(found) > 20
        now = utcnow()
        for r in found:
            submitted = _aware(r.assessment.submitted_at)
            created, opened = _aware(r.created_at), _aware(r.opened_at)
            closed, deadline = _aware(r.closed_at), _aware(r.deadline)
            assert submitted < created < opened < closed <= now, r.public_id
            assert deadline == closed, r.public_id
            assert opened < deadline, r.public_id
            assert now - submitted < timedelta(days=90)
        db.session.remove()
