"""People: accounts, roles and their place in the organisation."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coach.extensions import db
from coach.models._common import new_public_id, utcnow
from coach.models.org import OrgUnit


class Role(enum.StrEnum):
    """What a person may do; anyone may also rate others."""

    MANAGER = "manager"
    HR = "hr"
    ADMIN = "admin"


def new_session_token() -> str:
    """A fresh per-user session token; replacing it signs out every session."""
    return secrets.token_urlsafe(24)


class User(db.Model):
    """A person with (possibly not yet activated) access to the product."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    # Stored lower-cased, so uniqueness is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.MANAGER.value)
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The address before someone else changed it, until the person confirms the change from
    # it or an administrator approves it; no password link goes out while it is set.
    email_unconfirmed_from: Mapped[str | None] = mapped_column(String(254))

    unit: Mapped[OrgUnit | None] = relationship()
    manager: Mapped[User | None] = relationship(remote_side=[id])

    # Flask-Login protocol. get_id returns the session token, not the primary key, so that
    # rotating the token invalidates every cookie that was issued before.
    @property
    def is_authenticated(self) -> bool:
        """Every loaded user is authenticated; anonymous visitors are another class."""
        return True

    @property
    def is_active(self) -> bool:
        """Deactivated people cannot sign in."""
        return self.active

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous."""
        return False

    def get_id(self) -> str:
        """The value Flask-Login keeps in the session cookie."""
        return self.session_token

    def has_role(self, *roles: Role | str) -> bool:
        """True when the person holds one of ``roles``."""
        return self.role in {str(r) for r in roles}
