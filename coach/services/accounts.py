"""Accounts: creating people, signing in, changing passwords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, Role, User
from coach.models._common import as_utc, utcnow
from coach.models.user import new_session_token
from coach.services import audit
from coach.services.passwords import hash_password, password_problem, verify_password


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
    """Stage a new person in ``session`` without committing (for bulk use cases)."""
    email = normalise_email(new.email)
    if not is_valid_email(email):
        raise AccountError("Enter a valid e-mail address.")
    if not new.name.strip():
        raise AccountError("Enter the person's name.")
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
    """Create one person and commit."""
    user = add_person(session, new)
    session.commit()
    return user


MAX_FAILED_SIGN_INS = 10
LOCKOUT = timedelta(minutes=15)


def authenticate(session: Session, email: str, password: str, ip: str = "") -> User | None:
    """The active person with these credentials, or None (never says which part was wrong).

    Every attempt is audited; ten failures in a row lock the account for fifteen minutes,
    whatever address they come from, and the answer stays the same generic one.
    """
    user = find_by_email(session, email)
    matches = verify_password(user.password_hash if user else None, password)
    locked = (
        user is not None and user.locked_until is not None and as_utc(user.locked_until) > utcnow()
    )
    if user is not None and matches and user.active and not locked:
        user.failed_sign_ins = 0
        user.locked_until = None
        audit.record(session, audit.Event.SIGN_IN, user, user.email, ip=ip)
        session.commit()
        return user
    if user is not None and not matches:
        user.failed_sign_ins += 1
        if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            user.locked_until = utcnow() + LOCKOUT
            user.failed_sign_ins = 0
            audit.record(session, audit.Event.ACCOUNT_LOCKED, None, user.email, ip=ip)
    audit.record(session, audit.Event.SIGN_IN_FAILED, None, normalise_email(email)[:300], ip=ip)
    session.commit()
    return None


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Replace a password after checking the current one; signs out every other session."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct.")
    if problem := password_problem(new):
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    audit.record(session, audit.Event.PASSWORD_CHANGED, user, user.email)
    session.commit()


def sign_out_everywhere(session: Session, user: User, ip: str = "") -> None:
    """End every session of this person, on every device (a new session token)."""
    user.session_token = new_session_token()
    audit.record(session, audit.Event.SIGN_OUT, user, user.email, ip=ip)
    session.commit()
