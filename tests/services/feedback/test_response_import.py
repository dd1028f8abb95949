"""Importing responses: any instrument, everything checked first, scored like live answers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Assessment, FeedbackResponse, FeedbackRound, ScaleScoreRecord
from coach.scoring import score_scales
from coach.services.accounts import accounts
from coach.services.feedback import response_import

from hr_builders import upload_responses


def _people() -> None:
    for email in ("maya@example.org", "omar@example.org"):
        accounts.create_user(
            db.session, accounts.NewAccount(email, email.split("@")[0], accounts.Role.MANAGER)
        )


def _csv(rows: list[tuple[str, str, str, dict[str, str]]]) -> bytes:
    items = [i.id for i in default_instrument().items]
    lines = ["email,rater_group,date," + ",".join(items)]
    for email, group, when, cells in rows:
        lines.append(",".join([email, group, when] + [cells.get(i, "") for i in items]))
    return ("\n".join(lines) + "\n").encode()


def _all(value: str) -> dict[str, str]:
    return {i.id: value for i in default_instrument().items}


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def test_self_rows_become_assessments_scored_by_the_same_rules(ctx):
    _people()
    instrument = default_instrument()
    cells = {i.id: str(1 + n % 5) for n, i in enumerate(instrument.items)}
    cells[instrument.items[0].id] = "NA"
    summary = response_import.import_responses(
        db.session, instrument, _csv([("maya@example.org", "self", "2025-03-31", cells)])
    )
    assert summary.ok and summary.assessments == 1
    assessment = db.session.scalar(select(Assessment))
    assert assessment.is_submitted and assessment.submitted_at.year == 2025
    expected = score_scales(
        instrument, {k: (None if v == "NA" else int(v)) for k, v in cells.items()}
    )
    stored = {r.scale_id: r.score for r in db.session.scalars(select(ScaleScoreRecord))}
    assert stored == {k: v.score for k, v in expected.items()}


def test_rater_rows_of_one_person_become_one_closed_round(ctx):
    _people()
    rows = [("omar@example.org", g, "", _all("4")) for g in ("peer", "peer", "peer", "manager")]
    summary = response_import.import_responses(db.session, default_instrument(), _csv(rows))
    assert summary.ok and (summary.rounds, summary.responses) == (1, 4)
    found = db.session.scalar(select(FeedbackRound))
    assert found.state == "closed" and found.closed_by == "import"
    assert _count(FeedbackResponse) == 4


BAD = {
    "unknown person": (("ghost@example.org", "self", "", "4"), "email"),
    "unknown group": (("maya@example.org", "boss", "", "4"), "rater_group"),
    "bad date": (("maya@example.org", "self", "31/03/2025", "4"), "date"),
    "out of range": (("maya@example.org", "self", "", "9"), "item"),
    "not a number": (("maya@example.org", "self", "", "often"), "item"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_file_with_one_bad_row_imports_nothing_and_names_row_and_column(ctx, case):
    _people()
    (email, group, when, value), column = BAD[case]
    good = ("maya@example.org", "self", "", _all("3"))
    summary = response_import.import_responses(
        db.session, default_instrument(), _csv([good, (email, group, when, _all(value))])
    )
    assert not summary.ok
    problem = summary.problems[0]
    assert problem.row == 3
    assert problem.column == column or (column == "item" and problem.column in _all("x"))
    assert _count(Assessment) == 0 and _count(FeedbackRound) == 0


def test_a_column_that_is_not_an_item_of_the_instrument_is_refused(ctx):
    _people()
    data = b"email,rater_group,bogus-item\nmaya@example.org,self,3\n"
    summary = response_import.import_responses(db.session, default_instrument(), data)
    assert not summary.ok and summary.problems[0].row == 1
    assert any(p.column == "bogus-item" for p in summary.problems)


def test_the_command_imports_for_a_named_instrument(app, tmp_path):
    path = tmp_path / "responses.csv"
    with app.app_context():
        _people()
        path.write_bytes(_csv([("maya@example.org", "self", "", _all("5"))]))
    result = app.test_cli_runner().invoke(args=["import-responses", "leader-manager", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 self-assessments" in result.output
    bad = app.test_cli_runner().invoke(args=["import-responses", "nope", str(path)])
    assert bad.exit_code != 0 and "No instrument" in bad.output


def test_hr_uploads_responses_and_managers_cannot(app, auth, make_user):
    from conftest import csrf_from

    with app.app_context():
        _people()
        upload = _csv([("maya@example.org", "self", "", _all("4"))])
    done = upload_responses(auth, make_user, upload)
    assert "Import done" in done.text
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    auth.sign_in(make_user("m@example.org", name="Manager"))
    assert auth.client.get("/hr/import-responses").status_code == 403
