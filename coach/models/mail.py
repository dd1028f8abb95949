"""The outbox: every message is written here in the transaction that causes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coach.extensions import db
from coach.models._common import utcnow


class MessageStatus(enum.StrEnum):
    """Pending messages are retried until delivered or out of attempts (failed)."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One e-mail waiting for, or done with, delivery."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The one link the message carries, so the admin outbox page can show it when no SMTP
    # server is configured and the whole flow still works on one machine. Link and body are
    # emptied once the message is delivered or has failed for good.
    link: Mapped[str | None] = mapped_column(String(1000))
    # The person the message is about (a rater invitation names whose round), so erasing
    # that person removes it too. No foreign key: a message may outlive the person it names.
    about_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.PENDING.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
