"""The outbox delivers over real SMTP, and keeps messages while the server is down."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select, update

from coach import mail
from coach.extensions import db
from coach.models import MessageStatus, OutboxMessage
from coach.models._common import utcnow

from smtp_server import free_port, smtp_server


def _settings(app, port: int):  # type: ignore[no-untyped-def]
    return dataclasses.replace(app.config["COACH"], smtp_host="127.0.0.1", smtp_port=port)


def _queue(to: str = "lina@example.org") -> int:
    message = mail.enqueue(
        db.session, kind="test", to=to, subject="Hello", body="A body\n", link="http://x/1"
    )
    db.session.commit()
    return message.id


def test_a_queued_message_is_delivered_once_over_smtp(app, ctx):
    message_id = _queue()
    with smtp_server() as (inbox, port):
        report = mail.deliver_due(db.session, _settings(app, port))
        again = mail.deliver_due(db.session, _settings(app, port))
    assert (report.delivered, again.delivered) == (1, 0)
    assert len(inbox.to("lina@example.org")) == 1
    assert inbox.messages[0]["Subject"] == "Hello"
    stored = db.session.get(OutboxMessage, message_id)
    assert stored.status == MessageStatus.DELIVERED.value and stored.delivered_at is not None


def test_a_message_written_while_smtp_is_down_is_delivered_once_it_is_back(app, ctx):
    message_id = _queue()
    port = free_port()
    down = mail.deliver_due(db.session, _settings(app, port))
    assert (down.delivered, down.retried) == (0, 1)
    stored = db.session.get(OutboxMessage, message_id)
    assert stored.status == MessageStatus.PENDING.value and stored.attempts == 1
    assert "Error" in stored.last_error
    with smtp_server(port) as (inbox, _):
        early = mail.deliver_due(db.session, _settings(app, port))
        assert early.delivered == 0  # waits for its retry time, no hammering
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        later = mail.deliver_due(db.session, _settings(app, port))
    assert later.delivered == 1 and len(inbox.messages) == 1


def test_a_message_is_given_up_after_the_last_attempt(app, ctx):
    message_id = _queue()
    port = free_port()
    for _ in range(mail.MAX_ATTEMPTS):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        mail.deliver_due(db.session, _settings(app, port))
    assert db.session.get(OutboxMessage, message_id).status == MessageStatus.FAILED.value


def test_a_claim_left_by_a_dead_worker_is_released_and_delivered(app, ctx):
    message_id = _queue()
    db.session.execute(
        update(OutboxMessage).values(
            status=MessageStatus.SENDING.value, claimed_at=utcnow() - timedelta(hours=1)
        )
    )
    db.session.commit()
    with smtp_server() as (inbox, port):
        mail.deliver_due(db.session, _settings(app, port))
    assert len(inbox.messages) == 1
    assert db.session.get(OutboxMessage, message_id).status == MessageStatus.DELIVERED.value


def test_without_smtp_messages_wait_in_the_outbox(app, ctx):
    _queue()
    report = mail.deliver_due(db.session, app.config["COACH"])
    assert report.delivered == 0
    status = db.session.scalar(select(OutboxMessage.status))
    assert status == MessageStatus.PENDING.value


def test_send_mail_command_delivers_the_outbox(app, ctx, monkeypatch):
    _queue("cmd@example.org")
    with smtp_server() as (inbox, port):
        monkeypatch.setitem(app.config, "COACH", _settings(app, port))
        result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0 and "Delivered 1" in result.output
    assert len(inbox.to("cmd@example.org")) == 1
