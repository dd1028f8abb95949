"""Accounts: creating people, signing in, changing passwords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.client_address import source_key
from coach.models import OrgUnit, Role, User
from coach.models.user import new_session_token
from coach.services.accounts import sign_in_throttle as throttle
from coach.services.accounts.names import email_shell_problem, name_problem
from coach.services.accounts.passwords import hash_password, password_problem, verify_password
from coach.services.records import audit


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for people."""


@dataclass(frozen=True)
class NewAccount:
    """What it takes to create a person."""

    email: str
    name: str
    role: Role
    password: str | None = None
    unit: OrgUnit | None = None
    manager: User | None = None


# Deliberately plain: one "@", a dot in the domain, no spaces or list separators. Internal
# domains (corp.local, acme.test) are common in self-hosted installs, so none is refused.
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.][^@\s,;<>]*$")


def is_valid_email(email: str) -> bool:
    """True for an address the product can store and write to."""
    return len(email) <= 254 and bool(EMAIL_PATTERN.match(email.strip()))


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively: stored trimmed and lower-cased."""
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    """The person with this address, whatever its case."""
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def add_person(session: Session, new: NewAccount) -> User:
    """Stage a new person in ``session`` for bulk use cases (no commit)."""
    email = normalise_email(new.email)
    if not is_valid_email(email):
        raise AccountError("Enter a valid e-mail address.")
    if not new.name.strip():
        raise AccountError("Enter the person's name.")
    if problem := name_problem(new.name) or email_shell_problem(email):
        raise AccountError(problem)
    if find_by_email(session, email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    if new.password is not None and (problem := password_problem(new.password)):
        raise AccountError(problem)
    user = User(
        email=email,
        name=new.name.strip(),
        role=new.role.value,
        password_hash=hash_password(new.password) if new.password else None,
        unit=new.unit,
        manager=new.manager,
    )
    session.add(user)
    session.flush()
    return user


def create_user(session: Session, new: NewAccount) -> User:
    """Create one person and commit; a role above manager is audited."""
    user = add_person(session, new)
    if new.role is not Role.MANAGER:
        audit.record(session, audit.Event.ROLE_CHANGED, None, user.email, f"created as {user.role}")
    session.commit()
    return user


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the person, or nobody and how long to wait (if at all)."""

    user: User | None
    wait: timedelta | None = None


def wait_message(wait: timedelta) -> str:
    """What a person is told while wrong passwords make them wait."""
    count = throttle.minutes(wait)
    return (
        "Too many wrong passwords were tried for this address from your network. Please try "
        f"again in {count} minute{'s' if count != 1 else ''}, or ask for a reset link."
    )


def authenticate(session: Session, email: str, password: str, ip: str = "") -> SignIn:
    """The active person with these credentials, or nobody (never says which part was wrong).

    Every attempt is audited. Wrong passwords slow further tries for this address from this
    client, and from this client overall (services/sign_in_throttle.py); an attempt made
    while waiting is refused unchecked and uncounted, whether or not the account exists.
    """
    source = source_key(ip)
    target = normalise_email(email)[:300]
    if (wait := throttle.remaining_wait(session, email, source)) is not None:
        audit.record(session, audit.Event.SIGN_IN_FAILED, None, target, "waiting", ip=ip)
        session.commit()
        return SignIn(None, wait)
    user = find_by_email(session, email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is not None and matches and user.active:
        throttle.record_success(session, email, source)
        audit.record(session, audit.Event.SIGN_IN, user, user.email, ip=ip)
        session.commit()
        return SignIn(user)
    _count_wrong_password(session, email, ip, audit.Event.SIGN_IN_FAILED)
    session.commit()
    return SignIn(None)


def _count_wrong_password(session: Session, email: str, ip: str, event: audit.Event) -> None:
    """Audit a wrong password and count it; a wait that starts is audited too (no commit)."""
    target = normalise_email(email)[:300]
    audit.record(session, event, None, target, ip=ip)
    started = throttle.record_failure(session, email, source_key(ip))
    if started is not None:
        detail = f"waits {throttle.minutes(started)} min"
        audit.record(session, audit.Event.SIGN_IN_THROTTLED, None, target, detail, ip=ip)


def change_password(session: Session, user: User, current: str, new: str, ip: str = "") -> None:
    """Replace a password after checking the current one; signs out every other session.

    A wrong current password counts like a wrong password at sign-in, with the same waits.
    """
    if (wait := throttle.remaining_wait(session, user.email, source_key(ip))) is not None:
        raise AccountError(wait_message(wait))
    if not verify_password(user.password_hash, current):
        _count_wrong_password(session, user.email, ip, audit.Event.PASSWORD_CHANGE_FAILED)
        session.commit()
        raise AccountError("Your current password is not correct.")
    if problem := password_problem(new):
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    throttle.record_success(session, user.email, source_key(ip))
    audit.record(session, audit.Event.PASSWORD_CHANGED, user, user.email, ip=ip)
    session.commit()


def unlock_account(session: Session, admin: User | None, email: str) -> int:
    """Let an account be tried again at once from every client; audited. Returns rows cleared."""
    user = find_by_email(session, email)
    if user is None:
        raise AccountError(f"No account uses {normalise_email(email)}.")
    cleared = throttle.clear_account(session, user.email)
    user.failed_sign_ins, user.locked_until = 0, None
    detail = "by the unlock-account command" if admin is None else ""
    audit.record(session, audit.Event.ACCOUNT_UNLOCKED, admin, user.email, detail)
    session.commit()
    return cleared


def sign_out_everywhere(session: Session, user: User, ip: str = "") -> None:
    """End every session of this person, on every device (a new session token)."""
    user.session_token = new_session_token()
    audit.record(session, audit.Event.SIGN_OUT, user, user.email, ip=ip)
    session.commit()
