"""Asking for one's data to be erased: the administrators are told once per open request."""

from __future__ import annotations

import shlex
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach import mail
from coach.models import AuditEvent, Role, User
from coach.models._common import utcnow
from coach.services.records import audit

REQUEST_PENDING = timedelta(days=30)
"""A person's erasure request stays open this long: asking again within it sends nothing."""


def erasure_requested_lately(session: Session, person: User) -> bool:
    """True when the person asked for erasure within REQUEST_PENDING (still open)."""
    return (
        session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.actor_id == person.id,
                AuditEvent.event == audit.Event.ERASURE_REQUESTED.value,
                AuditEvent.at > utcnow() - REQUEST_PENDING,
            )
            .limit(1)
        )
        is not None
    )


def request_erasure(session: Session, person: User) -> int:
    """Record the request and tell every administrator; returns how many were told.

    One open request per person: asking again while it is open tells no one again. The
    command in the message is quoted for a shell, whatever the stored address holds.
    """
    if erasure_requested_lately(session, person):
        return 0
    admins = list(session.scalars(select(User).where(User.role == Role.ADMIN.value, User.active)))
    command = f"flask --app coach erase-person {shlex.quote(person.email)}"
    for admin in admins:
        mail.enqueue(
            session,
            kind="erasure",
            to=admin.email,
            subject="A request to erase personal data",
            body=f"{person.name} (account {person.public_id}) asked for their personal data to "
            f"be erased.\n\nTo erase it, run this command on the server:\n\n    {command}\n",
            about=person,
        )
    audit.record(session, audit.Event.ERASURE_REQUESTED, person, person.email)
    session.commit()
    return len(admins)
