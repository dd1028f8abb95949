"""Changing one person from the directory: details, role, manager, e-mail, active flag.

HR and administrators both keep the directory, but an administrator's account is out of
HR's reach: HR can neither edit, demote nor deactivate one, and only an administrator makes
someone an administrator. A changed address waits for confirmation (``email_change``), a
changed manager ends plan sharing with the previous one, and every role change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from coach.models import OrgUnit, Role, TokenPurpose, User
from coach.models.user import new_session_token
from coach.services.accounts import accounts, email_change
from coach.services.accounts.account_links import stage_link
from coach.services.accounts.accounts import (
    AccountError,
    NewAccount,
    find_by_email,
    normalise_email,
)
from coach.services.accounts.names import email_shell_problem, name_problem
from coach.services.hr import moves as hr_moves
from coach.services.people.directory import ensure_unit
from coach.services.plans import development_plans as plans
from coach.services.records import audit


class FieldProblem(AccountError):
    """A refused edit, with the form field the message belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PersonChange:
    """An edit of one person from the directory pages."""

    name: str
    email: str
    role: Role
    unit_path: str
    manager_email: str


def may_manage(actor: User | None, person: User) -> bool:
    """True when ``actor`` may change ``person``: only administrators touch an administrator.

    No actor is the command line, run by whoever runs the server.
    """
    return actor is None or actor.has_role(Role.ADMIN) or not person.has_role(Role.ADMIN)


def would_loop(person: User, manager: User | None) -> bool:
    """True when making ``manager`` this person's manager would close a reporting loop."""
    seen: set[int] = set()
    current = manager
    while current is not None:
        if current.id == person.id or current.id in seen:
            return True
        seen.add(current.id)
        current = current.manager
    return False


def _check_rights(actor: User | None, person: User | None, role: Role) -> None:
    if person is not None and not may_manage(actor, person):
        raise AccountError("Only an administrator can change an administrator.")
    if role is Role.ADMIN and actor is not None and not actor.has_role(Role.ADMIN):
        raise AccountError("Only an administrator can make someone an administrator.")


def update_person(
    session: Session,
    person: User,
    change: PersonChange,
    actor: User | None = None,
    *,
    base_url: str = "",
) -> None:
    """Edit or move a person; refuses a taken e-mail, an unknown manager, a loop, or a
    change the actor has no right to make."""
    _check_rights(actor, person, change.role)
    email = normalise_email(change.email)
    if problem := name_problem(change.name):
        raise FieldProblem("name", problem)
    if problem := email_shell_problem(email):
        raise FieldProblem("email", problem)
    other = find_by_email(session, email)
    if other is not None and other.id != person.id:
        raise FieldProblem("email", f"{email} already belongs to {other.name}.")
    manager = None
    if change.manager_email.strip():
        manager = find_by_email(session, change.manager_email)
        if manager is None:
            message = f"No one has the e-mail {change.manager_email.strip()}."
            raise FieldProblem("manager_email", message)
        if would_loop(person, manager):
            message = f"{manager.name} reports to {person.name}: that would be a loop."
            raise FieldProblem("manager_email", message)
    if person.role != change.role.value:
        record_role_change(session, actor, person, change.role.value, "directory")
    if email != person.email:
        email_change.stage_change(session, person, email, actor, base_url)
    if person.manager_id != (manager.id if manager else None):
        plans.end_sharing(session, person, actor)
    person.name = change.name.strip()
    person.email = email
    person.role = change.role.value
    person.unit = _unit(session, change.unit_path)
    person.manager = manager
    hr_moves.record_unit_moves(session, [person.id])
    session.commit()


def _unit(session: Session, path: str) -> OrgUnit | None:
    """The unit at ``path`` (created when missing), or None for an empty path."""
    try:
        return ensure_unit(session, path) if path.strip() else None
    except AccountError as exc:
        raise FieldProblem("unit", str(exc)) from exc


def record_role_change(
    session: Session, actor: User | None, person: User, role: str, where: str
) -> None:
    """Audit one role change (no commit), saying which path made it."""
    detail = f"{person.role or 'new'} -> {role} ({where})"
    audit.record(session, audit.Event.ROLE_CHANGED, actor, person.email, detail)


def set_active(session: Session, person: User, active: bool, actor: User | None = None) -> None:
    """Deactivate (keeping history and aggregates) or reactivate a person."""
    if not may_manage(actor, person):
        raise AccountError("Only an administrator can deactivate or reactivate an administrator.")
    person.active = active
    event = audit.Event.ACCOUNT_REACTIVATED if active else audit.Event.ACCOUNT_DEACTIVATED
    audit.record(session, event, actor, person.email)
    if not active:
        person.session_token = new_session_token()  # ends their open sessions at once
    session.commit()


def add_person(
    session: Session,
    new: NewAccount,
    *,
    base_url: str,
    send_activation: bool,
    actor: User | None = None,
) -> User:
    """Add someone to the directory, with an activation e-mail in the same transaction."""
    _check_rights(actor, None, new.role)
    if new.manager is not None and not new.manager.active:
        raise AccountError(f"{new.manager.name} is deactivated and cannot be a manager.")
    user = accounts.add_person(session, new)
    if new.role is not Role.MANAGER:
        audit.record(
            session, audit.Event.ROLE_CHANGED, actor, user.email, f"new -> {user.role} (directory)"
        )
    if send_activation:
        stage_link(session, user, TokenPurpose.ACTIVATION, base_url)
    session.commit()
    return user


def send_password_link(session: Session, person: User, actor: User, base_url: str) -> None:
    """Queue a fresh activation or password link, unless the address awaits confirmation."""
    if not may_manage(actor, person):
        raise AccountError("Only an administrator can send an administrator a link.")
    stage_link(session, person, TokenPurpose.ACTIVATION, base_url)
    session.commit()
