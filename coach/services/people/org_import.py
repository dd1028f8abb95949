"""Importing the org chart from a CSV file: validate everything, then write it all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import OrgUnit, Role, TokenPurpose, User
from coach.services.accounts.account_links import stage_link
from coach.services.accounts.accounts import is_valid_email
from coach.services.accounts.names import email_shell_problem, name_problem
from coach.services.csv_files import Outcome, Problem, read_csv
from coach.services.hr import moves as hr_moves
from coach.services.people.directory import ensure_unit, unit_path_problem, units_by_path
from coach.services.people.person_edits import record_role_change
from coach.services.plans import development_plans as plans
from coach.services.records import audit

COLUMNS = ("email", "name", "unit", "manager_email", "role")
MAX_NAME = 200  # the user_account.name column
REQUIRED = ("email", "name", "unit")


@dataclass(frozen=True)
class PersonRow:
    """One valid row."""

    row: int
    email: str
    name: str
    unit: str
    manager_email: str
    role: Role


@dataclass
class ImportSummary(Outcome):
    """What an import did (or, with problems, why it did nothing)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # administrators' rows left as they were
    unchanged: int = 0

    def done(self) -> str:
        """Added, changed, deactivated and unchanged counts."""
        return (
            f"Added {len(self.added)}, changed {len(self.changed)}, "
            f"deactivated {len(self.deactivated)}, unchanged {self.unchanged}."
            + (f" Administrators kept as they were: {len(self.kept)}." if self.kept else "")
        )


def parse_people_csv(data: bytes) -> tuple[list[PersonRow], list[Problem]]:
    """Decode and check every row; returns the rows, or every problem found."""
    problems: list[Problem] = []
    table = read_csv(data, str.lower, problems)
    if table is None:
        return [], problems
    if missing := [c for c in REQUIRED if c not in table.header]:
        return [], [Problem(1, c, "missing column") for c in missing]
    rows: list[PersonRow] = []
    seen: dict[str, int] = {}
    for number, raw in table.rows:
        if (row := _check_row(number, raw, seen, problems)) is not None:
            rows.append(row)
    return rows, problems


def _check_row(
    number: int, raw: dict[str, str], seen: dict[str, int], problems: list[Problem]
) -> PersonRow | None:
    value = {c: (raw.get(c) or "").strip() for c in COLUMNS}
    before = len(problems)
    email = value["email"].lower()
    if not is_valid_email(email):
        problems.append(Problem(number, "email", f"malformed e-mail {value['email']!r}"))
    elif shell := email_shell_problem(email):
        problems.append(Problem(number, "email", shell))
    elif email in seen:
        problems.append(Problem(number, "email", f"duplicate e-mail, also on row {seen[email]}"))
    else:
        seen[email] = number
    if not value["name"]:
        problems.append(Problem(number, "name", "the name is empty"))
    elif len(value["name"]) > MAX_NAME:
        problems.append(Problem(number, "name", f"a name can have at most {MAX_NAME} characters"))
    elif bad_name := name_problem(value["name"]):
        problems.append(Problem(number, "name", bad_name))
    if unit_problem := unit_path_problem(value["unit"]):
        problems.append(Problem(number, "unit", unit_problem))
    manager = value["manager_email"].lower()
    if manager and not is_valid_email(manager):
        problems.append(Problem(number, "manager_email", f"malformed e-mail {manager!r}"))
    role = value["role"].lower() or Role.MANAGER.value
    if role not in {r.value for r in Role}:
        problems.append(Problem(number, "role", f"unknown role {value['role']!r}"))
    if len(problems) > before:
        return None
    return PersonRow(number, email, value["name"], value["unit"], manager, Role(role))


def check_managers(rows: list[PersonRow], existing: dict[str, User]) -> list[Problem]:
    """Unknown managers, people managing themselves, and reporting loops."""
    problems: list[Problem] = []
    in_file = {r.email: r for r in rows}
    email_of = {user.id: email for email, user in existing.items()}
    manager_of = {
        email: email_of[user.manager_id]
        for email, user in existing.items()
        if user.manager_id in email_of
    }
    manager_of.update({r.email: r.manager_email for r in rows if r.manager_email})
    for r in rows:
        if not r.manager_email:
            manager_of.pop(r.email, None)
            continue
        if r.manager_email == r.email:
            problems.append(Problem(r.row, "manager_email", "a person cannot manage themselves"))
        elif r.manager_email not in in_file and r.manager_email not in existing:
            problems.append(Problem(r.row, "manager_email", f"unknown manager {r.manager_email}"))
    reported: set[str] = set()
    for r in rows:
        cycle = _cycle_from(r.email, manager_of)
        if cycle and not reported.intersection(cycle):
            reported.update(cycle)
            chain = " -> ".join([*cycle, cycle[0]])
            problems.append(Problem(r.row, "manager_email", f"manager loop: {chain}"))
    return problems


def _cycle_from(start: str, manager_of: dict[str, str]) -> list[str]:
    path: list[str] = []
    position: dict[str, int] = {}
    current: str | None = start
    while current is not None and current not in position:
        position[current] = len(path)
        path.append(current)
        current = manager_of.get(current)
    if current is None or current == "" or current not in position:
        return []
    return path[position[current] :] if start in path[position[current] :] else []


def import_people(
    session: Session,
    data: bytes,
    *,
    base_url: str,
    deactivate_missing: bool = False,
    may_grant_admin: bool = True,
    actor: User | None = None,
) -> ImportSummary:
    """Validate the whole file; when it is clean, apply it in one transaction."""
    rows, problems = parse_people_csv(data)
    existing = {u.email: u for u in session.scalars(select(User))}
    admins = {e for e, u in existing.items() if u.has_role(Role.ADMIN)}
    if not may_grant_admin:
        problems += [
            Problem(r.row, "role", "only an administrator can import administrators")
            for r in rows
            if r.role is Role.ADMIN and r.email not in admins
        ]
    problems += check_managers(rows, existing) if not problems else []
    if problems:
        return ImportSummary(problems=sorted(problems, key=lambda p: (p.row, p.column)))
    summary = ImportSummary()
    units = units_by_path(session)
    people: dict[str, User] = dict(existing)
    # HR leaves administrators' rows as they are; nobody changes an administrator's role here.
    untouchable = admins if not may_grant_admin else set()
    for r in rows:
        if r.email in untouchable:
            summary.kept.append(f"{r.email}: an administrator; only an administrator changes them")
            continue
        _apply_row(session, r, people, units, summary, base_url, actor)
    for r in rows:  # managers second, once everyone in the file exists
        person = people[r.email]
        manager = people.get(r.manager_email) if r.manager_email else None
        if r.email not in untouchable and person.manager_id != (manager.id if manager else None):
            if r.email not in summary.added:
                plans.end_sharing(session, person, actor)
            person.manager = manager
            if r.email not in summary.added and r.email not in summary.changed:
                summary.changed.append(r.email)
    skipped = sum(1 for r in rows if r.email in untouchable)
    summary.unchanged = len(rows) - len(summary.added) - len(summary.changed) - skipped
    if deactivate_missing:
        listed = {r.email for r in rows}
        for email, person in existing.items():
            if email in listed or not person.active:
                continue
            if email in admins:
                summary.kept.append(f"{email}: an administrator, not deactivated by an import")
                continue
            person.active = False
            summary.deactivated.append(email)
    if summary.changed:  # some may have moved: the HR figures follow them
        hr_moves.record_unit_moves(session)
    audit.record(session, audit.Event.PEOPLE_IMPORTED, actor, "", summary.lines()[0])
    session.commit()
    return summary


def _apply_row(
    session: Session,
    r: PersonRow,
    people: dict[str, User],
    units: dict[str, OrgUnit],
    summary: ImportSummary,
    base_url: str,
    actor: User | None,
) -> None:
    unit = ensure_unit(session, r.unit, units)
    person = people.get(r.email)
    if person is None:
        person = User(email=r.email, name=r.name, role=r.role.value, unit=unit)
        session.add(person)
        session.flush()
        people[r.email] = person
        summary.added.append(r.email)
        if r.role is not Role.MANAGER:
            audit.record(
                session, audit.Event.ROLE_CHANGED, actor, r.email, f"new -> {r.role} (import)"
            )
        stage_link(session, person, TokenPurpose.ACTIVATION, base_url)
        return
    role = r.role.value
    if person.has_role(Role.ADMIN) and r.role is not Role.ADMIN:
        role = person.role  # an administrator is demoted on their page, never by a file
        summary.kept.append(f"{r.email}: stays an administrator; change that on their page")
    # The active flag is left alone: deactivating is HR's explicit act (or --deactivate-missing).
    if (person.name, person.role, person.unit_id) != (r.name, role, unit.id):
        if person.role != role:
            record_role_change(session, actor, person, role, "import")
        person.name, person.role, person.unit = r.name, role, unit
        summary.changed.append(r.email)
