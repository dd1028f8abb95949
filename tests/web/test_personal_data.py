"""A person's own data: a full download without raters, and erasure that keeps the anonymous."""

from __future__ import annotations

from sqlalchemy import func, select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import (
    Assessment,
    AuditEvent,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    OutboxMessage,
    User,
)
from coach.services.feedback import rater_path, rounds

from conftest import csrf_from
from feedback_helpers import open_round_with, raters


def _closed_round_for(subject: str) -> str:
    round_id, _ = open_round_with(subject, raters({"peer": 3}))
    instrument = default_instrument()
    found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == round_id))
    for invitation in list(found.invitations):
        rater_path.save_draft(
            db.session, invitation, instrument, {i.id: 4 for i in instrument.items}, {}, 7
        )
        rater_path.submit(db.session, invitation, instrument)
    rounds.close_round(db.session, found, "subject")
    return round_id


def test_the_download_holds_my_data_and_nothing_that_identifies_a_rater(app, auth, make_user):
    email = make_user()
    with app.app_context():
        _closed_round_for(email)
    auth.sign_in(email)
    response = auth.client.get("/account/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_json()
    assert body["person"]["email"] == email
    assert body["feedback_rounds"][0]["report"]["scales"]
    text = response.text
    assert "peer0@example.org" not in text and "Peer 0" not in text


def test_asking_for_erasure_tells_the_administrators(app, auth, make_user):
    make_user("admin@example.org", role="admin", name="Ada Admin")
    auth.sign_in(make_user())
    page = auth.client.get("/account/data")
    auth.client.post("/account/erasure", data={"csrf_token": csrf_from(page.text)})
    with app.app_context():
        told = db.session.scalar(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "erasure")
        )
        assert told == "admin@example.org"
        assert db.session.scalar(
            select(AuditEvent.event).where(AuditEvent.event == "erasure_requested")
        )


def test_erase_person_removes_their_rows_and_raters_addresses_but_keeps_anonymous_answers(
    app, make_user
):
    subject = make_user("sam@example.org", name="Sam Subject")
    other = make_user("other@example.org", name="Olga Other")
    with app.app_context():
        _closed_round_for(subject)
        # Sam also rated Olga: that anonymous answer stays, Sam's address on the invitation goes.
        round_id, _ = open_round_with(
            other, [("Sam Subject", subject, "peer"), *raters({"peer": 2})]
        )
        instrument = default_instrument()
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == subject))
        rater_path.save_draft(
            db.session, invitation, instrument, {instrument.items[0].id: 3}, {}, 1
        )
        rater_path.submit(db.session, invitation, instrument)
    result = app.test_cli_runner().invoke(args=["erase-person", subject, "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == subject)) is None
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0
        remaining_rounds = list(db.session.scalars(select(FeedbackRound.public_id)))
        assert remaining_rounds == [round_id]  # only Olga's round is left
        emails = set(db.session.scalars(select(Invitation.email)))
        # Sam's own raters went with Sam's round; on Olga's round Sam's address is replaced.
        assert subject not in emails and len(emails) == 3
        assert sum(e.endswith("@invalid") for e in emails) == 1
        assert db.session.scalar(select(func.count()).select_from(FeedbackResponse)) == 1
        assert db.session.scalar(
            select(AuditEvent.event).where(AuditEvent.event == "person_erased")
        )


def test_erasure_takes_the_person_out_of_the_hr_figures_too(app, make_user):
    from coach.models.analytics import hr_fact

    subject = make_user("sam@example.org", name="Sam Subject")
    with app.app_context():
        _closed_round_for(subject)
        person_id = db.session.scalar(select(User.id).where(User.email == subject))
        assert db.session.scalar(
            select(func.count()).select_from(hr_fact).where(hr_fact.c.person_id == person_id)
        )
    assert app.test_cli_runner().invoke(args=["erase-person", subject, "--yes"]).exit_code == 0
    with app.app_context():
        left = db.session.scalar(
            select(func.count()).select_from(hr_fact).where(hr_fact.c.person_id == person_id)
        )
        assert left == 0
