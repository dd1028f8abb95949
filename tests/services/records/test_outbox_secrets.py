"""A message done with keeps no secret, and one bad message never blocks the others."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select, update

from coach import mail
from coach.extensions import db
from coach.models import MessageStatus, OutboxMessage
from coach.models._common import utcnow

from smtp_server import free_port, smtp_server


def _settings(app, port: int):  # type: ignore[no-untyped-def]
    return dataclasses.replace(app.config["COACH"], smtp_host="127.0.0.1", smtp_port=port)


def _queue(subject: str = "Your coach account is ready", to: str = "lina@example.org") -> int:
    message = mail.enqueue(
        db.session,
        kind="activation",
        to=to,
        subject=subject,
        body="Choose your password: http://coach.test/activate/secret-token\n",
        link="http://coach.test/activate/secret-token",
    )
    db.session.commit()
    return message.id


def test_a_delivered_message_keeps_its_recipient_kind_and_times_but_no_link_or_text(app, ctx):
    message_id = _queue()
    with smtp_server() as (inbox, port):
        assert mail.deliver_due(db.session, _settings(app, port)).delivered == 1
    assert "secret-token" in inbox.messages[0].get_payload()
    stored = db.session.get(OutboxMessage, message_id)
    assert (stored.link, stored.body) == (None, "")
    assert (stored.to_address, stored.kind, stored.subject) == (
        "lina@example.org",
        "activation",
        "Your coach account is ready",
    )
    assert stored.status == MessageStatus.DELIVERED.value and stored.delivered_at is not None


def test_a_delivered_rater_mail_forgets_its_recipient_so_no_one_can_tell_who_was_reminded(app, ctx):
    reminder = mail.enqueue(
        db.session,
        kind="reminder",
        to="pat@example.org",
        subject="A reminder: feedback for Sam",
        body="Your link: http://coach.test/r/rater-secret\n",
        link="http://coach.test/r/rater-secret",
    )
    db.session.commit()
    with smtp_server() as (inbox, port):
        assert mail.deliver_due(db.session, _settings(app, port)).delivered == 1
    assert inbox.messages[0]["To"] == "pat@example.org"
    stored = db.session.get(OutboxMessage, reminder.id)
    assert stored.to_address == mail.RATER_ADDRESS_GONE and "pat" not in stored.to_address
    assert (stored.kind, stored.link, stored.body) == ("reminder", None, "")


def test_a_message_given_up_for_good_keeps_no_link_or_text_either(app, ctx):
    message_id = _queue()
    port = free_port()  # nothing listens: every attempt fails
    for _ in range(mail.MAX_ATTEMPTS):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        mail.deliver_due(db.session, _settings(app, port))
    stored = db.session.get(OutboxMessage, message_id)
    assert stored.status == MessageStatus.FAILED.value and (stored.link, stored.body) == (None, "")


def test_a_line_break_in_a_header_fails_that_message_with_a_reason_and_the_rest_go_out(app, ctx):
    bad = _queue(subject="Feedback for Ann\r\nBcc: someone@example.net")
    good = _queue(to="ben@example.org")
    with smtp_server() as (inbox, port):
        report = mail.deliver_due(db.session, _settings(app, port))
    assert (report.delivered, report.failed) == (1, 1)
    assert [m["To"] for m in inbox.messages] == ["ben@example.org"]
    failed = db.session.get(OutboxMessage, bad)
    assert failed.status == MessageStatus.FAILED.value
    assert "cannot be written as an e-mail" in (failed.last_error or "")
    assert failed.link is None
    assert db.session.get(OutboxMessage, good).status == MessageStatus.DELIVERED.value
    sending = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENDING.value)
    ).all()
    assert sending == []  # nothing stays stuck in "sending"
