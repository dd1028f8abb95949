"""Recording and reading security-relevant events."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import AuditEvent, User


class Event(StrEnum):
    """The events the audit log keeps."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    ACCOUNT_LOCKED = "account_locked"  # kept for events written before the throttle
    SIGN_IN_THROTTLED = "sign_in_throttled"
    ACCOUNT_UNLOCKED = "account_unlocked"
    PASSWORD_CHANGE_FAILED = "password_change_failed"  # noqa: S105
    PASSWORD_RESET_REQUESTED = "password_reset_requested"  # noqa: S105
    SIGN_OUT = "sign_out"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (an event name, not a secret)
    PASSWORD_SET_BY_LINK = "password_set_by_link"  # noqa: S105
    ROLE_CHANGED = "role_changed"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    PEOPLE_IMPORTED = "people_imported"
    ROUND_CLOSED = "round_closed"
    RATER_APPROVED = "rater_approved"
    RATER_DECLINED = "rater_declined"
    EXPORT = "export"
    SHARED_REPORT_VIEWED = "shared_report_viewed"
    PERSONAL_DATA_DOWNLOADED = "personal_data_downloaded"
    ERASURE_REQUESTED = "erasure_requested"
    PERSON_ERASED = "person_erased"
    EMAIL_CHANGED = "email_changed"
    EMAIL_CHANGE_CONFIRMED = "email_change_confirmed"
    EMAIL_CHANGE_APPROVED = "email_change_approved"
    SHARED_PLAN_VIEWED = "shared_plan_viewed"
    PLAN_SHARING_ENDED = "plan_sharing_ended"
    OUTBOX_LINK_VIEWED = "outbox_link_viewed"


def record(
    session: Session,
    event: Event,
    actor: User | None,
    target: str = "",
    detail: str = "",
    ip: str = "",
) -> None:
    """Add an event to the caller's transaction, to be committed with the change (no commit)."""
    session.add(
        AuditEvent(
            actor_id=actor.id if actor is not None else None,
            event=event.value,
            target=target[:300],
            detail=detail[:500],
            ip=ip[:64],
        )
    )


def recent(session: Session, limit: int = 200, event: str | None = None) -> list[AuditEvent]:
    """The newest events, optionally of one kind."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if event:
        query = query.where(AuditEvent.event == event)
    return list(session.scalars(query))
