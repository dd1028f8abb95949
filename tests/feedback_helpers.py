"""Building 360 rounds in tests through the same services the pages use."""

from __future__ import annotations

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Invitation, OutboxMessage, User
from coach.services.feedback import rounds

BASE = "http://coach.test"


def open_round_with(
    subject_email: str, raters: list[tuple[str, str, str]]
) -> tuple[str, dict[str, str]]:
    """Open a round for ``subject_email``; returns its id and each rater's link path by e-mail."""
    subject = db.session.scalar(select(User).where(User.email == subject_email))
    found = rounds.start_round(db.session, subject, default_instrument(), rounds.default_deadline())
    rounds.nominate(db.session, found, raters, BASE, trusted=True)  # made-up raters
    rounds.open_round(db.session, found, BASE, 3)
    links = {
        m.to_address: m.link.removeprefix(BASE)
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    }
    return found.public_id, links


def invitation_of(email: str) -> Invitation:
    """The invitation sent to ``email``."""
    return db.session.scalar(select(Invitation).where(Invitation.email == email))


def raters(spec: dict[str, int]) -> list[tuple[str, str, str]]:
    """Named raters: {"peer": 2, "direct_report": 3} -> [(name, email, relationship), ...]."""
    return [
        (f"{relationship.title()} {n}", f"{relationship}{n}@example.org", relationship)
        for relationship, count in spec.items()
        for n in range(count)
    ]
