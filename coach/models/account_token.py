"""Single-use links for activating an account and resetting a password."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coach.extensions import db
from coach.models._common import utcnow
from coach.models.user import User


class TokenPurpose(enum.StrEnum):
    """What a link lets its holder do."""

    ACTIVATION = "activation"
    RESET = "reset"
    EMAIL_CHANGE = "email_change"  # confirms, from the old address, that a change was right


class AccountToken(db.Model):
    """A link's token, stored only as its SHA-256 hash, with expiry and single use."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
