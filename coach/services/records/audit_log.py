"""The audit log in plain words: what happened, by whom, and about whom or what.

Events are stored as short codes with a target (an address, a round's or an invitation's
public id, an export name) so that they never change once written. This module only reads
them and says them the way an administrator would, naming people and rounds instead of ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import AuditEvent, FeedbackRound, Invitation, User
from coach.services.records.audit import Event

WHAT = {
    Event.SIGN_IN: "Signed in",
    Event.SIGN_IN_FAILED: "Sign-in refused",
    Event.ACCOUNT_LOCKED: "Account locked",
    Event.SIGN_IN_THROTTLED: "Sign-ins slowed down after failures",
    Event.ACCOUNT_UNLOCKED: "Account unlocked",
    Event.PASSWORD_CHANGE_FAILED: "Password change refused",
    Event.PASSWORD_RESET_REQUESTED: "Password reset asked for",
    Event.SIGN_OUT: "Signed out",
    Event.PASSWORD_CHANGED: "Password changed",
    Event.PASSWORD_SET_BY_LINK: "Password set from an e-mailed link",
    Event.ROLE_CHANGED: "Role changed",
    Event.ACCOUNT_DEACTIVATED: "Account deactivated",
    Event.ACCOUNT_REACTIVATED: "Account reactivated",
    Event.PEOPLE_IMPORTED: "Import",
    Event.ROUND_CLOSED: "360 round closed",
    Event.RATER_APPROVED: "Outside rater approved",
    Event.RATER_DECLINED: "Outside rater declined",
    Event.EXPORT: "Figures downloaded",
    Event.SHARED_REPORT_VIEWED: "Shared report read",
    Event.PERSONAL_DATA_DOWNLOADED: "Own data downloaded",
    Event.ERASURE_REQUESTED: "Erasure asked for",
    Event.PERSON_ERASED: "Person erased",
    Event.EMAIL_CHANGED: "E-mail address change started",
    Event.EMAIL_CHANGE_CONFIRMED: "E-mail address change confirmed",
    Event.EMAIL_CHANGE_APPROVED: "E-mail address change approved",
    Event.SHARED_PLAN_VIEWED: "Shared plan read",
    Event.PLAN_SHARING_ENDED: "Plan sharing ended",
    Event.OUTBOX_LINK_VIEWED: "Link in an unsent e-mail looked at",
}
CLOSED_BY = {
    "closed by subject": "closed by the manager the round was about",
    "closed by deadline": "closed when its deadline passed",
    "closed by hr": "closed by HR for the whole campaign",
    "closed by import": "closed when its answers were imported",
}
EXPORTS = {
    "hr-dashboard": "organisation figures",
    "hr-archetypes": "archetype cards",
    "hr-psychometrics": "instrument quality figures",
    "export-org": "organisation export",
}
ROLE_CHANGE = re.compile(r"^(\w+) -> (\w+)(?: \(([^)]*)\))?$")
WHERE = {"directory": "in the directory", "import": "by an import"}


@dataclass(frozen=True)
class Entry:
    """One audit event as the log page shows it."""

    event: AuditEvent
    what: str
    by: str
    about: str
    detail: str


def describe(session: Session, events: Sequence[AuditEvent]) -> list[Entry]:
    """The events in plain words, with names for people and rounds (two queries in all)."""
    actors = _names_by_id(session, {e.actor_id for e in events if e.actor_id})
    rounds = _round_subjects(session, _targets(events, Event.ROUND_CLOSED))
    raters = _invitation_names(
        session, _targets(events, Event.RATER_APPROVED) | _targets(events, Event.RATER_DECLINED)
    )
    entries = []
    for e in events:
        kind = _event(e.event)
        about = e.target or ""
        if kind is Event.ROUND_CLOSED:
            about = f"360 round of {rounds[about]}" if about in rounds else "a 360 round"
        elif kind in (Event.RATER_APPROVED, Event.RATER_DECLINED):
            about = raters.get(about, "an outside rater")
        elif kind is Event.EXPORT:
            about = _export(about)
        entries.append(
            Entry(
                event=e,
                what=WHAT.get(kind, e.event.replace("_", " ").capitalize()) if kind else e.event,
                by=actors.get(e.actor_id, "") if e.actor_id else "",
                about=about,
                detail=_detail(kind, e.detail or ""),
            )
        )
    return entries


def _event(code: str) -> Event | None:
    try:
        return Event(code)
    except ValueError:
        return None


def _targets(events: Sequence[AuditEvent], kind: Event) -> set[str]:
    return {e.target for e in events if e.event == kind.value and e.target}


def _names_by_id(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        uid: name
        for uid, name in session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    }


def _round_subjects(session: Session, public_ids: set[str]) -> dict[str, str]:
    if not public_ids:
        return {}
    query = (
        select(FeedbackRound.public_id, User.name)
        .join(User, User.id == FeedbackRound.subject_id)
        .where(FeedbackRound.public_id.in_(public_ids))
    )
    return {pid: name for pid, name in session.execute(query)}


def _invitation_names(session: Session, public_ids: set[str]) -> dict[str, str]:
    if not public_ids:
        return {}
    query = select(Invitation.public_id, Invitation.name, Invitation.email).where(
        Invitation.public_id.in_(public_ids)
    )
    return {pid: f"{name} ({email})" for pid, name, email in session.execute(query)}


def _export(target: str) -> str:
    name, _, part = target.partition(":")
    label = EXPORTS.get(name, name.replace("-", " "))
    return f"{label}: {part.replace('-', ' ')}" if part else label


def _detail(kind: Event | None, detail: str) -> str:
    if kind is Event.ROUND_CLOSED:
        return CLOSED_BY.get(detail, detail)
    if kind is Event.ROLE_CHANGED and (found := ROLE_CHANGE.match(detail)):
        old, new, where = found.groups()
        start = "added as" if old == "new" else f"from {old} to"
        place = WHERE.get(where, f"({where})") if where else ""
        return f"{start} {new} {place}".strip()
    if kind is Event.OUTBOX_LINK_VIEWED:
        return re.sub(r" message \d+$", " e-mail", detail).replace("_", " ")
    return detail
