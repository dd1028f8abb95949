"""A changed e-mail address waits for its owner (or an administrator) before links use it.

Whoever changes a person's address in the directory, the person hears of it at the old
address, with a link to confirm the change. Until they confirm, or an administrator
approves, no activation or password link goes to the new address: otherwise changing an
address and asking for a password link would hand the account to whoever reads the new one.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coach import mail
from coach.models import AccountToken, Role, TokenPurpose, User
from coach.models._common import as_utc, utcnow
from coach.services.accounts.accounts import AccountError
from coach.services.accounts.link_tokens import new_token, token_hash
from coach.services.records import audit

LIFETIME = timedelta(days=14)
URL_PATH = "/directory/confirm-email/"


def link_refusal(user: User) -> str | None:
    """Why no password or activation link may go to this person's address now, or None."""
    if user.email_unconfirmed_from is None:
        return None
    return (
        f"{user.name}'s e-mail address was changed from {user.email_unconfirmed_from} and the "
        "change is not confirmed: no password or activation link goes to the new address "
        "until they confirm it from the old one or an administrator approves it."
    )


def stage_change(
    session: Session, person: User, new_email: str, actor: User | None, base_url: str
) -> None:
    """Record and audit a new address; tell the old one, with a confirmation link (no commit)."""
    old = person.email
    confirmed = person.email_unconfirmed_from or old
    _retire_links(session, person)
    audit.record(session, audit.Event.EMAIL_CHANGED, actor, new_email, f"{old} -> {new_email}")
    if new_email == confirmed:  # changed back to the address the person confirmed
        person.email_unconfirmed_from = None
        return
    person.email_unconfirmed_from = confirmed
    raw = new_token()
    session.add(
        AccountToken(
            user_id=person.id,
            purpose=TokenPurpose.EMAIL_CHANGE.value,
            token_hash=token_hash(raw),
            expires_at=utcnow() + LIFETIME,
        )
    )
    link = f"{base_url}{URL_PATH}{raw}"
    first = person.name.split(" ")[0]
    who = actor.name if actor is not None else "An administrator"
    mail.enqueue(
        session,
        kind=TokenPurpose.EMAIL_CHANGE.value,
        to=confirmed,
        subject="Your coach e-mail address was changed",
        body=(
            f"Hello {first},\n\n{who} changed the e-mail address of your coach account from "
            f"{confirmed} to {new_email}.\n\nIf that is right, confirm it here:\n\n{link}\n\n"
            "Until you do, no password link is sent to the new address. If you did not expect "
            "this change, do not confirm it, and tell your administrator.\n"
        ),
        link=link,
        about=person,
    )


def _retire_links(session: Session, person: User) -> None:
    """Every unused link of the person stops working: it went to an address now replaced."""
    session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == person.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def pending_confirmation(session: Session, raw: str) -> User:
    """The person a confirmation link is for, or AccountError saying why it cannot be used."""
    token = session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(raw),
            AccountToken.purpose == TokenPurpose.EMAIL_CHANGE.value,
        )
    )
    if token is None or token.used_at is not None:
        raise AccountError("This link is not valid any more: it was used or replaced.")
    if as_utc(token.expires_at) <= utcnow():
        raise AccountError("This link has expired. Please ask an administrator.")
    person: User = token.user
    return person


def confirm(session: Session, raw: str) -> User:
    """The owner confirms the change from the old address: links may go to the new one."""
    person = pending_confirmation(session, raw)
    old = person.email_unconfirmed_from or ""
    _retire_links(session, person)
    person.email_unconfirmed_from = None
    audit.record(session, audit.Event.EMAIL_CHANGE_CONFIRMED, person, person.email, old)
    session.commit()
    return person


def approve(session: Session, person: User, admin: User) -> None:
    """An administrator vouches for the new address (audited); HR cannot."""
    if not admin.has_role(Role.ADMIN):
        raise AccountError("Only an administrator can approve a changed e-mail address.")
    if person.email_unconfirmed_from is None:
        return
    old = person.email_unconfirmed_from
    _retire_links(session, person)
    person.email_unconfirmed_from = None
    audit.record(session, audit.Event.EMAIL_CHANGE_APPROVED, admin, person.email, old)
    session.commit()
