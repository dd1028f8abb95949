"""Single-use e-mailed links: activating an account and resetting a forgotten password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from coach import mail
from coach.models import AccountToken, TokenPurpose, User
from coach.models._common import as_utc, utcnow
from coach.models.user import new_session_token
from coach.services.accounts import email_change
from coach.services.accounts import sign_in_throttle as throttle
from coach.services.accounts.accounts import AccountError, find_by_email, normalise_email
from coach.services.accounts.link_tokens import new_token, token_hash
from coach.services.accounts.passwords import hash_password, password_problem
from coach.services.records import audit

LIFETIME = {
    TokenPurpose.ACTIVATION: timedelta(days=7),
    TokenPurpose.RESET: timedelta(hours=1),
}
URL_PATH = {TokenPurpose.ACTIVATION: "/activate/", TokenPurpose.RESET: "/reset-password/"}


class LinkError(AccountError):
    """The link cannot be used; the message says why in words a person understands."""


def stage_link(session: Session, user: User, purpose: TokenPurpose, base_url: str) -> str:
    """Create a token for ``user`` and queue the e-mail carrying its link (no commit).

    A new activation link replaces the earlier ones (HR re-sends it). A new reset link does
    not: anyone may ask for one, and that must not cancel the link the owner is about to use.
    """
    if refusal := email_change.link_refusal(user):
        raise LinkError(refusal)
    raw = new_token()
    if purpose is TokenPurpose.ACTIVATION:
        _void_unused(session, user, purpose)
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose.value,
            token_hash=token_hash(raw),
            expires_at=utcnow() + LIFETIME[purpose],
        )
    )
    link = f"{base_url}{URL_PATH[purpose]}{raw}"
    subject, body = _message(user, purpose, link)
    mail.enqueue(session, kind=purpose.value, to=user.email, subject=subject, body=body, link=link)
    return link


def _void_unused(session: Session, user: User, purpose: TokenPurpose) -> None:
    """Every unused link of this kind for ``user`` stops working (no commit)."""
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _message(user: User, purpose: TokenPurpose, link: str) -> tuple[str, str]:
    first = user.name.split(" ")[0]
    if purpose is TokenPurpose.ACTIVATION:
        hours = int(LIFETIME[purpose].total_seconds() // 86400)
        return (
            "Your coach account is ready",
            f"Hello {first},\n\nAn account has been set up for you in coach, the leadership "
            f"self-assessment and feedback tool. Choose your password here:\n\n{link}\n\n"
            f"The link works once and for {hours} days. If you did not expect this message, "
            "you can ignore it.\n",
        )
    return (
        "Reset your coach password",
        f"Hello {first},\n\nSomeone (hopefully you) asked to reset your coach password. "
        f"Choose a new one here:\n\n{link}\n\nThe link works once and for one hour. If you "
        "did not ask for it, ignore this message: your password stays as it is.\n",
    )


def send_activation(session: Session, user: User, base_url: str) -> None:
    """Queue an activation link for one person and commit."""
    stage_link(session, user, TokenPurpose.ACTIVATION, base_url)
    session.commit()


RESETS_PER_HOUR = 3  # reset links sent to one account in an hour; more are dropped silently


def request_reset(session: Session, email: str, base_url: str, ip: str = "") -> None:
    """Queue a reset link when an active account has this address and few were sent lately.

    Known and unknown addresses take the same path: the same look-ups, an audit row and a
    commit for both; only the link and its message are added for a real account, inside the
    same transaction, so the time taken does not tell whether the account exists.
    """
    user = find_by_email(session, email)
    owner = user.id if user is not None and user.active else None
    recent = session.scalar(
        select(func.count())
        .select_from(AccountToken)
        .where(
            AccountToken.user_id == (owner if owner is not None else -1),
            AccountToken.purpose == TokenPurpose.RESET.value,
            AccountToken.created_at > utcnow() - timedelta(hours=1),
        )
    )
    audit.record(session, audit.Event.PASSWORD_RESET_REQUESTED, None, normalise_email(email), ip=ip)
    refused = user is not None and email_change.link_refusal(user) is not None
    if user is not None and owner is not None and (recent or 0) < RESETS_PER_HOUR and not refused:
        stage_link(session, user, TokenPurpose.RESET, base_url)
    session.commit()


@dataclass(frozen=True)
class ValidLink:
    """A link that can still be used, and whose it is."""

    token_id: int
    user: User
    purpose: TokenPurpose


def check_link(session: Session, raw: str, purpose: TokenPurpose) -> ValidLink:
    """The link's owner, or LinkError saying plainly why it cannot be used."""
    token = session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(raw), AccountToken.purpose == purpose.value
        )
    )
    if token is None:
        raise LinkError("This link is not valid. Check that it was copied whole.")
    if token.used_at is not None:
        raise LinkError("This link has already been used or was replaced.")
    if as_utc(token.expires_at) <= utcnow():
        raise LinkError("This link has expired.")
    if not token.user.active:
        raise LinkError("This account is not active. Please ask HR.")
    return ValidLink(token.id, token.user, purpose)


def use_link(session: Session, raw: str, purpose: TokenPurpose, password: str) -> User:
    """Set the password through a link, once; every other session of the person ends."""
    link = check_link(session, raw, purpose)
    if problem := password_problem(password):
        raise AccountError(problem)
    used = session.execute(  # single use is enforced by the database, not only here
        update(AccountToken)
        .where(AccountToken.id == link.token_id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise LinkError("This link has already been used or was replaced.")
    _void_unused(session, link.user, TokenPurpose.RESET)  # using one link voids the rest
    _void_unused(session, link.user, purpose)
    link.user.password_hash = hash_password(password)
    link.user.session_token = new_session_token()
    # The owner proved they hold the mailbox: every wait on their address ends.
    throttle.clear_account(session, link.user.email)
    audit.record(
        session, audit.Event.PASSWORD_SET_BY_LINK, link.user, link.user.email, purpose.value
    )
    session.commit()
    return link.user
