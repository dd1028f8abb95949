"""Wrong passwords slow the guesser down without locking the real person out.

Two counters take every wrong password (at sign-in and on the password-change form):

* a *pair*: one e-mail address tried from one client (coach/client_address.py). Five wrong
  passwords are free; the fifth and each later one make that pair wait 1 minute, then 2, 4,
  8, and at most 15 minutes. The same person signing in from another client is not slowed.
* a *source*: one client, whatever addresses it tries. Thirty are free, then the same waits.

An attempt made while its pair or source waits is refused before the password is checked
and is not counted, so hammering never lengthens a wait. When ten or more clients are
waiting on the same address at once (an attack spread over many machines), every client
gets one free wrong password instead of five; a correct password still always works from a
client that is not waiting. Counts are forgotten a day after the last wrong password, a
correct password clears its pair, and a reset link or an administrator's unlock clears every
pair of the account. Rows are keyed by a hash of the address tried, existing or not, so the
answers never tell whether an account exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coach.models._common import as_utc, utcnow
from coach.models.audit import SignInThrottle


@dataclass(frozen=True)
class Rule:
    """How many wrong passwords are free, and how long the waits after them are."""

    free: int
    first_wait: timedelta
    longest_wait: timedelta


PAIR = Rule(free=5, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15))
SOURCE = Rule(free=30, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15))
CROWDED_PAIR = Rule(free=1, first_wait=PAIR.first_wait, longest_wait=PAIR.longest_wait)
CROWD = 10  # clients waiting on one address at once that make every client's pair strict
FORGET_AFTER = timedelta(days=1)


def wait_after(rule: Rule, failures: int) -> timedelta | None:
    """The wait that starts after the ``failures``-th wrong password in a row, if any."""
    if failures < rule.free:
        return None
    doublings = min(failures - rule.free, 16)
    return min(rule.first_wait * (1 << doublings), rule.longest_wait)


def account_key(email: str) -> str:
    """The address tried, hashed: the same for an existing and an unknown account."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _pair(email: str, source: str) -> str:
    return f"pair:{account_key(email)}:{source}"


def _source(source: str) -> str:
    return f"source:{source}"


def remaining_wait(session: Session, email: str, source: str) -> timedelta | None:
    """How long this address must wait before trying from this client, or None."""
    now = utcnow()
    until = session.scalars(
        select(SignInThrottle.blocked_until).where(
            SignInThrottle.key.in_([_pair(email, source), _source(source)]),
            SignInThrottle.blocked_until.is_not(None),
        )
    ).all()
    latest = max((as_utc(moment) for moment in until if moment is not None), default=now)
    return latest - now if latest > now else None


def _crowded(session: Session, account: str, now: datetime) -> bool:
    waiting = session.scalar(
        select(func.count())
        .select_from(SignInThrottle)
        .where(SignInThrottle.account == account, SignInThrottle.blocked_until > now)
    )
    return (waiting or 0) >= CROWD


def _count(session: Session, key: str, account: str | None, rule: Rule) -> timedelta | None:
    """Add one wrong password to ``key`` (forgetting an old run) and start its wait if due."""
    now = utcnow()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    fresh = SignInThrottle.last_failure_at < now - FORGET_AFTER
    statement = dialect.insert(SignInThrottle).values(
        key=key, account=account, failures=1, last_failure_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=[SignInThrottle.key],
        set_={
            "failures": case((fresh, 1), else_=SignInThrottle.failures + 1),
            "last_failure_at": now,
        },
    ).returning(SignInThrottle.failures)
    failures = int(session.execute(statement).scalar_one())
    wait = wait_after(rule, failures)
    if wait is not None:
        session.execute(
            update(SignInThrottle)
            .where(SignInThrottle.key == key)
            .values(blocked_until=now + wait)
            .execution_options(synchronize_session=False)
        )
    return wait


def record_failure(session: Session, email: str, source: str) -> timedelta | None:
    """Count one wrong password for this address and client (no commit); the wait it starts."""
    account, now = account_key(email), utcnow()
    rule = CROWDED_PAIR if _crowded(session, account, now) else PAIR
    pair_wait = _count(session, _pair(email, source), account, rule)
    source_wait = _count(session, _source(source), None, SOURCE)
    forget_stale(session)
    waits = [wait for wait in (pair_wait, source_wait) if wait is not None]
    return max(waits) if waits else None


def record_success(session: Session, email: str, source: str) -> None:
    """A correct password clears its pair; the client's own count stays (no commit)."""
    session.execute(delete(SignInThrottle).where(SignInThrottle.key == _pair(email, source)))


def clear_account(session: Session, email: str) -> int:
    """Forget every wrong password tried for this address, from any client (no commit)."""
    result = session.execute(
        delete(SignInThrottle).where(SignInThrottle.account == account_key(email))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def forget_stale(session: Session) -> int:
    """Remove rows whose wait is over and whose last wrong password is a day old (no commit)."""
    now = utcnow()
    result = session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.last_failure_at < now - FORGET_AFTER,
            or_(SignInThrottle.blocked_until.is_(None), SignInThrottle.blocked_until <= now),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def minutes(wait: timedelta) -> int:
    """A wait in whole minutes, rounded up, for people to read."""
    return max(1, -(-int(wait.total_seconds()) // 60))
