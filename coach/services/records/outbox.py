"""The administrators' view of the outbox: which messages exist, and an audited look at one.

A link in a waiting message is a live secret (a rater's answers, a password). The list
never shows one; a single message's page shows its link only when no SMTP server is
configured, so the link has to be passed on by hand, and every such look is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import MessageStatus, OutboxMessage, User
from coach.services.records import audit


def messages(session: Session, limit: int = 500) -> list[OutboxMessage]:
    """The newest messages, for a list that shows no link and no text."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(session.scalars(query))


@dataclass(frozen=True)
class OpenedMessage:
    """One message as an administrator sees it, and its link when it may be shown."""

    message: OutboxMessage
    link: str | None


def open_message(
    session: Session, message_id: int, admin: User, *, smtp_configured: bool
) -> OpenedMessage | None:
    """One message; its link only without SMTP and while it waits, each showing audited."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return None
    waiting = message.status in {MessageStatus.PENDING.value, MessageStatus.SENDING.value}
    if smtp_configured or not waiting or not message.link:
        return OpenedMessage(message, None)
    audit.record(
        session,
        audit.Event.OUTBOX_LINK_VIEWED,
        admin,
        message.to_address,
        f"{message.kind} message {message.id}",
    )
    session.commit()
    return OpenedMessage(message, message.link)
