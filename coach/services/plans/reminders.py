"""E-mail reminders, through the outbox, for goals whose check-in is due.

Only plans whose owner opted in are considered. A goal is due when its last check-in (or
its start, without one) is ``CHECKIN_INTERVAL`` or more ago, it is not done and not past
its due date. Each person gets one message listing their due goals, and at most one
every ``REMINDER_GAP``, so running the command twice a day, or daily, never nags.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach import mail
from coach.models import CheckIn, DevelopmentPlan, Goal, OutboxMessage, User
from coach.services.plans.goals import CHECKIN_INTERVAL

REMINDER_KIND = "checkin-reminder"
REMINDER_GAP = timedelta(days=7)
"""A week between reminders: a nudge, not a nag, for someone who is busy this week."""


def queue_checkin_reminders(session: Session, today: date, base_url: str) -> int:
    """Queue one reminder per opted-in person with a due check-in; returns how many (one commit)."""
    last_checkin = (
        select(CheckIn.goal_id, func.max(CheckIn.recorded_on).label("last"))
        .group_by(CheckIn.goal_id)
        .subquery()
    )
    rows = session.execute(
        select(User, Goal.title, Goal.start_date, last_checkin.c.last)
        .join(DevelopmentPlan, DevelopmentPlan.owner_id == User.id)
        .join(Goal, Goal.plan_id == DevelopmentPlan.id)
        .outerjoin(last_checkin, last_checkin.c.goal_id == Goal.id)
        .where(
            DevelopmentPlan.active.is_(True),
            DevelopmentPlan.reminders.is_(True),
            User.active.is_(True),
            Goal.done.is_(False),
            Goal.start_date <= today,
            Goal.due_date >= today,
        )
        .order_by(User.id, Goal.id)
    ).all()
    due: dict[int, list[str]] = defaultdict(list)
    people: dict[int, User] = {}
    for person, title, start, last in rows:
        if (last or start) <= today - CHECKIN_INTERVAL:
            due[person.id].append(title)
            people[person.id] = person
    recent = _recently_reminded(session, today, [p.email for p in people.values()])
    queued = 0
    for person_id, titles in due.items():
        person = people[person_id]
        if person.email in recent:
            continue
        _enqueue(session, person, titles, base_url)
        queued += 1
    session.commit()
    return queued


def _recently_reminded(session: Session, today: date, addresses: list[str]) -> set[str]:
    """Addresses that got a check-in reminder within REMINDER_GAP before the end of today."""
    if not addresses:
        return set()
    since = datetime.combine(today, time.min, tzinfo=UTC) - REMINDER_GAP + timedelta(days=1)
    return set(
        session.scalars(
            select(OutboxMessage.to_address).where(
                OutboxMessage.kind == REMINDER_KIND,
                OutboxMessage.to_address.in_(addresses),
                OutboxMessage.created_at >= since,
            )
        )
    )


def _enqueue(session: Session, person: User, titles: list[str], base_url: str) -> None:
    listed = "\n".join(f"- {title}" for title in titles)
    link = f"{base_url.rstrip('/')}/plans/"
    body = (
        f"Hello {person.name},\n\n"
        "It has been two weeks or more since your last check-in on:\n\n"
        f"{listed}\n\n"
        "Record where each indicator stands now; it takes a minute and keeps your plan honest:\n"
        f"{link}\n\n"
        "You asked for these reminders on your development plan; you can turn them off there."
    )
    mail.enqueue(
        session,
        kind=REMINDER_KIND,
        to=person.email,
        subject="Time for a check-in on your development plan",
        body=body,
        link=link,
    )
