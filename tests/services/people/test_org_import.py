"""Importing the org chart: all rows are checked first, and a bad file writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coach.extensions import db
from coach.models import OrgUnit, OutboxMessage, User
from coach.services.people import org_import

BASE = "http://coach.test"
HEADER = "email,name,unit,manager_email,role\n"
CLEAN = HEADER + (
    "ceo@acme.test,Camille Reyes,Acme,,manager\n"
    "ops@acme.test,Jonas Fischer,Acme/Operations,ceo@acme.test,manager\n"
    "log@acme.test,Lucia Costa,Acme/Operations/Logistics,ops@acme.test,manager\n"
    "hr@acme.test,Helena Brandt,Acme/People,ceo@acme.test,hr\n"
)


def _import(text: str | bytes, **kwargs) -> org_import.ImportSummary:  # type: ignore[no-untyped-def]
    data = text.encode() if isinstance(text, str) else text
    return org_import.import_people(db.session, data, base_url=BASE, **kwargs)


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_clean_file_creates_units_people_managers_and_activation_messages(ctx):
    summary = _import(CLEAN)
    assert summary.ok and len(summary.added) == 4
    paths = {u.path() for u in db.session.scalars(select(OrgUnit))}
    assert paths == {"Acme", "Acme/Operations", "Acme/Operations/Logistics", "Acme/People"}
    lucia = db.session.scalar(select(User).where(User.email == "log@acme.test"))
    assert lucia.manager.email == "ops@acme.test" and lucia.unit.path().endswith("Logistics")
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert {m.to_address for m in messages} == {
        "ceo@acme.test",
        "ops@acme.test",
        "log@acme.test",
        "hr@acme.test",
    }
    assert all(m.link.startswith(f"{BASE}/activate/") for m in messages)


def test_importing_the_same_file_again_changes_nothing(ctx):
    _import(CLEAN)
    again = _import(CLEAN)
    assert again.ok and not again.added and not again.changed and again.unchanged == 4
    assert _count(OutboxMessage) == 4  # no second activation message


def test_a_changed_file_moves_renames_and_reports_it(ctx):
    _import(CLEAN)
    moved = CLEAN.replace(
        "log@acme.test,Lucia Costa,Acme/Operations/Logistics,ops@acme.test",
        "log@acme.test,Lucia Costa-Ivanova,Acme/People/Talent,hr@acme.test",
    )
    summary = _import(moved)
    assert summary.changed == ["log@acme.test"] and summary.unchanged == 3
    lucia = db.session.scalar(select(User).where(User.email == "log@acme.test"))
    assert lucia.name == "Lucia Costa-Ivanova"
    assert lucia.unit.path() == "Acme/People/Talent" and lucia.manager.email == "hr@acme.test"


def test_people_missing_from_a_full_import_are_deactivated_only_when_asked(ctx):
    _import(CLEAN)
    without_hr = CLEAN.replace("hr@acme.test,Helena Brandt,Acme/People,ceo@acme.test,hr\n", "")
    assert not _import(without_hr).deactivated
    summary = _import(without_hr, deactivate_missing=True)
    assert summary.deactivated == ["hr@acme.test"]
    helena = db.session.scalar(select(User).where(User.email == "hr@acme.test"))
    assert helena is not None and not helena.active  # kept, not deleted


BAD_FILES = {
    "malformed e-mail": (CLEAN + "not-an-email,Bad,Acme,,manager\n", 6, "email", "malformed"),
    "duplicate e-mail": (CLEAN + "OPS@acme.test,Again,Acme,,manager\n", 6, "email", "duplicate"),
    "unknown manager": (
        CLEAN + "x@acme.test,X,Acme,ghost@acme.test,manager\n",
        6,
        "manager_email",
        "unknown manager",
    ),
    "unknown role": (CLEAN + "x@acme.test,X,Acme,,wizard\n", 6, "role", "unknown role"),
    "empty unit": (CLEAN + "x@acme.test,X,,,manager\n", 6, "unit", "empty"),
    "missing column": ("email,name,manager_email\nx@acme.test,X,\n", 1, "unit", "missing column"),
    "manager loop": (
        HEADER + "a@acme.test,A,Acme,b@acme.test,manager\n"
        "b@acme.test,B,Acme,c@acme.test,manager\nc@acme.test,C,Acme,a@acme.test,manager\n",
        2,
        "manager_email",
        "manager loop",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(ctx, case):
    text, row, column, reason = BAD_FILES[case]
    summary = _import(text)
    assert not summary.ok
    assert any(
        p.row == row and p.column == column and reason in p.reason for p in summary.problems
    ), summary.problems
    assert _count(User) == 0 and _count(OrgUnit) == 0 and _count(OutboxMessage) == 0


def test_a_file_that_is_not_utf8_is_refused_with_its_line(ctx):
    data = (CLEAN + "zoe@acme.test,Zoë Brandt,Acme,,manager\n").encode("latin-1")
    summary = _import(data)
    assert not summary.ok and "wrong encoding" in summary.problems[0].reason
    assert summary.problems[0].row == 6
    assert _count(User) == 0


def test_a_manager_loop_through_people_already_in_the_directory_is_refused(ctx):
    _import(CLEAN)
    loop = HEADER + "ceo@acme.test,Camille Reyes,Acme,log@acme.test,manager\n"
    summary = _import(loop)
    assert not summary.ok and "manager loop" in summary.problems[0].reason
    ceo = db.session.scalar(select(User).where(User.email == "ceo@acme.test"))
    assert ceo.manager is None


def test_every_problem_in_a_file_is_reported_at_once(ctx):
    text = CLEAN + "bad,X,Acme,,manager\ny@acme.test,,Acme,,boss\n"
    summary = _import(text)
    assert {(p.row, p.column) for p in summary.problems} >= {(6, "email"), (7, "name"), (7, "role")}


def test_hr_cannot_grant_the_administrator_role_through_an_import(ctx):
    summary = _import(CLEAN + "root@acme.test,Root,Acme,,admin\n", may_grant_admin=False)
    assert not summary.ok and summary.problems[0].column == "role"
    assert _count(User) == 0


def test_a_500_person_org_chart_imports_in_one_step_as_a_tree(ctx):
    lines = [HEADER, "boss@big.test,Big Boss,Big,,manager\n"]
    for d in range(5):
        lines.append(f"d{d}@big.test,Dept {d},Big/Dept {d},boss@big.test,manager\n")
        for t in range(9):
            lead = f"t{d}-{t}@big.test"
            lines.append(f"{lead},Lead {d}-{t},Big/Dept {d}/Team {t},d{d}@big.test,manager\n")
            for m in range(10):
                lines.append(
                    f"m{d}-{t}-{m}@big.test,Member {d}-{t}-{m},"
                    f"Big/Dept {d}/Team {t},{lead},manager\n"
                )
    summary = _import("".join(lines)[:None])
    assert summary.ok, summary.problems[:3]
    assert len(summary.added) == 1 + 5 + 45 + 450
    assert _count(OrgUnit) == 1 + 5 + 45


def test_a_unit_name_longer_than_the_database_takes_is_a_row_problem(ctx):
    long_name = "x" * 201
    summary = _import(HEADER + f"a@acme.test,A,Acme/{long_name},,manager\n")
    assert not summary.ok and summary.problems[0].column == "unit"
    assert "at most 200 characters" in summary.problems[0].reason
    assert _count(OrgUnit) == 0


def test_a_name_longer_than_the_database_takes_is_a_row_problem(ctx):
    summary = _import(HEADER + f"a@acme.test,{'n' * 201},Acme,,manager\n")
    assert not summary.ok and summary.problems[0].column == "name"
    assert _count(User) == 0
