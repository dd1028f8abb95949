"""Building report data in tests: a self-assessment from levels, and a 360 round with a
quiet peer (a hidden figure) and comments on two questionnaire pages."""

from __future__ import annotations

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import User
from coach.services.assessments import self_assessment
from coach.services.feedback import rater_path, rounds

from feedback_helpers import BASE, raters
from hr_builders import answers_for


def self_assessed(email: str, level: int, tilt: int) -> str:
    """Submit a self-assessment for ``email`` (see ``answers_for``); its public id."""
    instrument = default_instrument()
    owner = db.session.scalar(select(User).where(User.email == email))
    answers = answers_for(level, tilt)
    started = self_assessment.start_assessment(db.session, owner, instrument)
    for index, page in enumerate(instrument.pages):
        chunk = {item.id: answers[item.id] for item in instrument.items_on(page)}
        self_assessment.save_page(db.session, started, instrument, index, chunk, index + 1)
    self_assessment.submit_assessment(db.session, started, instrument)
    return started.public_id


def round_with_a_quiet_peer(subject_email: str) -> str:
    """A closed round on the subject's self-assessment; its public id.

    Three peers rate the leader poles 3 and everything else 4; peer 0 leaves Vision
    unanswered (so peers are hidden on it) and comments on two pages.
    """
    instrument = default_instrument()
    subject = db.session.scalar(select(User).where(User.email == subject_email))
    found = rounds.start_round(
        db.session,
        subject,
        instrument,
        rounds.default_deadline(),
        rounds.latest_submitted_assessment(db.session, subject),
    )
    rounds.nominate(db.session, found, raters({"peer": 3}), BASE, trusted=True)
    rounds.open_round(db.session, found, BASE, 3)
    leader = {d.leader_scale for d in instrument.dimensions}
    for n, invitation in enumerate(sorted(found.invitations, key=lambda i: i.email)):
        answers: dict[str, int | None] = {}
        for item in instrument.items:
            value = 3 if item.scale in leader else 4
            answers[item.id] = value if item.key > 0 else 6 - value
            if n == 0 and item.scale == "vision":
                answers[item.id] = None
        comments = (
            {"management-skills": "Plans are always clear.", "direction": "Say where we go."}
            if n == 0
            else {}
        )
        rater_path.save_draft(db.session, invitation, instrument, answers, comments, 7)
        rater_path.submit(db.session, invitation, instrument)
    rounds.close_round(db.session, found, "subject")
    return found.public_id
