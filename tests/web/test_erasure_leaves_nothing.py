"""Erasure leaves nothing about the person behind, and asking for it is safe and limited.

Nothing stays in the outbox about them (their raters' invitations, the request itself),
nor any answer they saved as a rater and never sent. The request's e-mail holds no command
an address could turn into something else, and asking twice tells the administrators once.
"""

from __future__ import annotations

import shlex
from io import BytesIO

from sqlalchemy import func, select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Invitation, OutboxMessage, RaterDraft, User
from coach.services.feedback import rater_path
from coach.services.people import personal_data

from conftest import csrf_from
from feedback_helpers import open_round_with, raters
from hr_builders import NEW_PERSON, save_person

SAM, OLGA, ADMIN = "sam@example.org", "olga@example.org", "ada@example.org"


def _ask_for_erasure(auth) -> None:  # type: ignore[no-untyped-def]
    page = auth.client.get("/account/data")
    auth.client.post("/account/erasure", data={"csrf_token": csrf_from(page.text)})


def test_erasure_removes_mail_about_the_person_and_answers_they_never_sent(app, auth, make_user):
    make_user(ADMIN, "admin", "Ada Admin")
    make_user(SAM, "manager", "Sam Subject")
    make_user(OLGA, "manager", "Olga Other")
    with app.app_context():
        open_round_with(SAM, raters({"peer": 3}))  # invitations about Sam to three raters
        others = [("Sam Subject", SAM, "peer"), ("Dan D", "dan@example.org", "peer")]
        open_round_with(OLGA, [*others, ("Eve E", "eve@example.org", "peer")])
        instrument = default_instrument()
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == SAM))
        rater_path.save_draft(
            db.session, invitation, instrument, {instrument.items[0].id: 2}, {}, 1
        )
    auth.sign_in(SAM)
    _ask_for_erasure(auth)

    result = app.test_cli_runner().invoke(args=["erase-person", SAM, "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        left = sorted(db.session.scalars(select(OutboxMessage.to_address)))
        assert left == ["dan@example.org", "eve@example.org"]  # Olga's round's, not Sam's
        assert db.session.scalar(select(func.count()).select_from(RaterDraft)) == 0


def test_the_erasure_request_mail_quotes_the_address_so_pasting_it_runs_only_coach(
    app, auth, make_user
):
    make_user(ADMIN, "admin", "Ada Admin")
    hostile = "x$(touch${IFS}/tmp/pwned)'@example.org"  # stored before addresses were checked
    with app.app_context():
        db.session.add(User(email=hostile, name="Mal Formed", role="manager"))
        db.session.commit()
        person = db.session.scalar(select(User).where(User.email == hostile))
        assert personal_data.request_erasure(db.session, person) == 1
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "erasure"))
    command = next(line.strip() for line in body.splitlines() if "erase-person" in line)
    assert shlex.split(command) == ["flask", "--app", "coach", "erase-person", hostile]


def test_asking_again_while_a_request_is_open_sends_no_more_mail(app, auth, make_user):
    make_user(ADMIN, "admin", "Ada Admin")
    make_user(SAM, "manager", "Sam Subject")
    auth.sign_in(SAM)
    for _ in range(5):
        _ask_for_erasure(auth)
    with app.app_context():
        sent = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "erasure")
        )
        assert sent == 1


def _add_person(auth, name: str, email: str):  # type: ignore[no-untyped-def]
    return save_person(auth, NEW_PERSON, name, email)


def test_a_name_with_a_line_break_or_an_address_a_shell_would_run_is_refused_everywhere(
    app, auth, make_user
):
    make_user(ADMIN, "admin", "Ada Admin")
    auth.sign_in(ADMIN)
    by_form = _add_person(auth, "Ann\r\nBcc: x@example.net", "ann@example.org")
    assert by_form.status_code == 200 and "line breaks" in by_form.text
    by_form = _add_person(auth, "Ann Other", "ann$(id)@example.org")
    assert by_form.status_code == 200 and "cannot contain" in by_form.text

    page = auth.client.get("/directory/import")
    rows = (
        "email,name,unit,manager_email,role\n"
        '"ben@example.org","Ben\nBcc: x@example.net",Acme,,manager\n'
        "ca`id`@example.org,Cal,Acme,,manager\n"
    )
    imported = auth.client.post(
        "/directory/import",
        data={"csrf_token": csrf_from(page.text), "file": (BytesIO(rows.encode()), "org.csv")},
        content_type="multipart/form-data",
    )
    assert "Nothing was imported" in imported.text and "line breaks" in imported.text
    assert "cannot contain" in imported.text

    runner = app.test_cli_runner()
    for email, name in [("dee@example.org", "Dee\nBcc: x"), ("d|ee@example.org", "Dee")]:
        created = runner.invoke(
            args=["create-user", email, "--name", name, "--password-stdin"],
            input="a long enough password\n",
        )
        assert created.exit_code != 0, created.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
