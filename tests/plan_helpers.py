"""Building assessments, 360 rounds and plans for the plan tests through the real services."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import select

from coach.extensions import db
from coach.instrument import Instrument
from coach.instruments_registry import default_instrument
from coach.models import Assessment, DevelopmentPlan, FeedbackRound, User
from coach.services.accounts import accounts
from coach.services.assessments import self_assessment
from coach.services.feedback import rater_path, rounds
from coach.services.plans import goals as plan_goals

from feedback_helpers import BASE, raters


def user(email: str) -> User:
    """The person with this address."""
    found = accounts.find_by_email(db.session, email)
    assert found is not None
    return found


def item_answers(instrument: Instrument, scores: Mapping[str, float], default: float) -> dict:
    """Raw answers whose keyed scale means are ``scores`` (multiples of 1/items), else default."""
    answers: dict[str, int] = {}
    for scale in instrument.scales:
        items = instrument.items_of(scale.id)
        wanted = scores.get(scale.id, default)
        high = round((wanted - math.floor(wanted)) * len(items))
        for n, item in enumerate(items):
            keyed = math.floor(wanted) + (1 if n < high else 0)
            raw = keyed if item.key == 1 else instrument.scale_min + instrument.scale_max - keyed
            answers[item.id] = raw
    return answers


def submit_assessment(
    email: str, scores: Mapping[str, float] | None = None, default: float = 4
) -> Assessment:
    """A submitted self-assessment of ``email`` with these scale scores (others at default)."""
    instrument = default_instrument()
    owner = user(email)
    assessment = self_assessment.start_assessment(db.session, owner, instrument)
    answers = item_answers(instrument, scores or {}, default)
    for index, page in enumerate(instrument.pages):
        on_page = {i.id: answers[i.id] for i in instrument.items_on(page)}
        self_assessment.save_page(db.session, assessment, instrument, index, on_page, index + 1)
    self_assessment.submit_assessment(db.session, assessment, instrument)
    return assessment


def closed_round(
    email: str, scores_by_group: Mapping[str, Mapping[str, float]], default: float = 4
) -> FeedbackRound:
    """A closed 360 round on the latest assessment; each group answers with its scale scores."""
    instrument = default_instrument()
    subject = user(email)
    latest = rounds.latest_submitted_assessment(db.session, subject)
    found = rounds.start_round(
        db.session, subject, instrument, rounds.default_deadline(), assessment=latest
    )
    spec = {group: 3 for group in scores_by_group}
    rounds.nominate(db.session, found, raters(spec), BASE, trusted=True)  # made-up raters
    rounds.open_round(db.session, found, BASE, 3)
    for invitation in list(found.invitations):
        answers = item_answers(instrument, scores_by_group[invitation.relationship_], default)
        rater_path.save_draft(db.session, invitation, instrument, answers, {}, 7)
        rater_path.submit(db.session, invitation, instrument)
    rounds.close_round(db.session, found, "subject")
    return found


def set_manager(email: str, manager_email: str) -> None:
    """Record ``manager_email`` as the manager of ``email``."""
    person = user(email)
    person.manager_id = user(manager_email).id
    db.session.commit()


def plan_of(email: str) -> DevelopmentPlan:
    """The person's newest plan."""
    plan = db.session.scalar(
        select(DevelopmentPlan)
        .where(DevelopmentPlan.owner_id == user(email).id)
        .order_by(DevelopmentPlan.id.desc())
    )
    assert plan is not None
    return plan


def goal_form(scale: str = "delegation", **changes: str) -> dict[str, str]:
    """A valid goal form: 0 -> 10 over 8 weeks from today."""
    today = date.today()
    form = {
        "title": "Delegate one decision a week",
        "scale": scale,
        "indicator": "decisions delegated with a clear brief",
        "unit": "decisions",
        "direction": "increase",
        "baseline": "0",
        "target": "10",
        "start_date": today.isoformat(),
        "due_date": date.fromordinal(today.toordinal() + 56).isoformat(),
    }
    form.update(changes)
    return form


def goal_draft(*milestones: str, start: date | None = None) -> plan_goals.GoalDraft:
    """A measurable eight-week goal on delegation from ``start`` (today), with a milestone
    every two weeks."""
    start = start or date.today()
    return plan_goals.GoalDraft(
        title="Delegate one decision a week",
        scale_id="delegation",
        indicator="decisions delegated",
        unit="decisions",
        direction="increase",
        baseline=0.0,
        target=10.0,
        start_date=start,
        due_date=start + timedelta(days=56),
        milestones=[(m, start + timedelta(days=14 * (n + 1))) for n, m in enumerate(milestones)],
    )
