"""The demo goes only where it is wanted, prints its password once, and can be removed."""

from __future__ import annotations

import shlex
import stat
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from coach.extensions import db
from coach.models import Assessment, FeedbackRound, OrgUnit, User
from coach.services.accounts import accounts
from coach.services.demo.lifecycle import seeding_allowed
from coach.services.people import directory

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-pass-7f3k"


def _make_run_seed_command() -> list[str]:
    """The flask arguments of the seed step of `make run`, read from make itself."""
    planned = subprocess.run(
        ["make", "-n", "seed"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in planned.splitlines() if "flask" in x and "seed-demo" in x)
    words = shlex.split(line)
    return words[words.index("seed-demo") :]


def _count(app: Flask, query) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(query.subquery()))


def test_make_run_seeds_no_demo_into_a_database_the_operator_named(app, monkeypatch):
    monkeypatch.delenv("COACH_DEMO", raising=False)
    # The test session's database is named by COACH_DATABASE_URL, as an operator's would be.
    result = app.test_cli_runner().invoke(args=_make_run_seed_command())
    assert result.exit_code == 0, result.output
    assert "No demo" in result.output
    assert _count(app, select(User)) == 0


def test_the_demo_is_seeded_on_request_printed_once_and_removed_with_its_data(app, monkeypatch):
    monkeypatch.setenv("COACH_DEMO", "1")
    monkeypatch.setenv("COACH_DEMO_PASSWORD", PASSWORD)
    runner = app.test_cli_runner()
    first = runner.invoke(args=_make_run_seed_command())
    assert first.exit_code == 0, first.output
    assert first.output.count(PASSWORD) == 1
    sign_ins = Path(app.instance_path) / "demo-sign-ins.txt"
    assert stat.S_IMODE(sign_ins.stat().st_mode) == 0o600 and PASSWORD in sign_ins.read_text()

    again = runner.invoke(args=_make_run_seed_command())
    assert PASSWORD not in again.output and str(sign_ins) in again.output

    with app.app_context():  # someone real joins a demo unit before the demo is removed
        unit = directory.ensure_unit(db.session, "Brightwater/Product")
        accounts.add_person(
            db.session,
            accounts.NewAccount(
                "real@example.org", "Real Person", accounts.Role.MANAGER, unit=unit
            ),
        )
        db.session.commit()
    demo_people = _count(app, select(User).where(User.email.endswith("@demo.coach.example")))
    assert demo_people > 40

    removed = runner.invoke(args=["remove-demo", "--yes"])
    assert removed.exit_code == 0, removed.output
    assert f"Removed {demo_people} demo people" in removed.output
    assert _count(app, select(User)) == 1
    assert _count(app, select(Assessment)) == 0 and _count(app, select(FeedbackRound)) == 0
    with app.app_context():
        left = {u.path() for u in db.session.scalars(select(OrgUnit))}
    assert left == {"Brightwater", "Brightwater/Product"}  # still used by the real person
    assert not sign_ins.exists()


@pytest.mark.parametrize(
    ("url", "setting", "allowed"),
    [
        ("sqlite:////srv/coach/instance/coach.db", None, True),
        ("postgresql://coach@db/coach", None, False),
        ("sqlite:////srv/other.db", None, False),
        ("postgresql://coach@db/coach", "1", True),
        ("sqlite:////srv/coach/instance/coach.db", "0", False),
    ],
)
def test_the_demo_goes_only_into_the_embedded_database_unless_coach_demo_says(
    url, setting, allowed
):
    assert seeding_allowed(url, Path("/srv/coach/instance"), setting) is allowed
