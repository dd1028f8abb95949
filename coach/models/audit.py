"""The audit log: security-relevant events, written by the app and never edited by it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coach.extensions import db
from coach.models._common import utcnow


class AuditEvent(db.Model):
    """Who did what to what, when, and from where."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")


class RateLimitCounter(db.Model):
    """A fixed-window counter shared by every worker (used when no Redis is configured)."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(index=True)


class SignInThrottle(db.Model):
    """Failed password checks of one kind of key, and until when that key must wait.

    ``key`` is ``pair:<account>:<source>`` (one e-mail address from one client) or
    ``source:<source>`` (one client, whatever address it tries); ``account`` is a hash of the
    e-mail address tried, known or not, so that a whole account's rows can be cleared.
    """

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    account: Mapped[str | None] = mapped_column(String(64), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
