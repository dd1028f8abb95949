"""Outgoing e-mail: messages wait in the outbox table and are delivered over SMTP with retries.

A message is written in the same transaction as the change that causes it, so it is never
lost, and never sent for a change that was rolled back. Delivery claims one message at a
time with a conditional UPDATE, so several workers (or the send-mail command beside a
running app) never send the same message twice. ``register`` starts that delivery inside
the app when an SMTP server is configured.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from blinker import Namespace
from flask import Flask
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from coach.config import Settings
from coach.extensions import db
from coach.models import MessageStatus, OutboxMessage, User
from coach.models._common import utcnow

MAX_ATTEMPTS = 8
# Waits after the 1st, 2nd, ... failure: quick at first for a blip, then hours for an outage.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
STALE_CLAIM = timedelta(minutes=10)  # a worker that died mid-send releases its claim after this
SMTP_TIMEOUT = 20
QUEUED_FLAG = "coach.mail_queued"
pass_finished = Namespace().signal("coach.mail-pass-finished")
"""Sent by the background sender after each delivery pass (coach/metrics.py listens)."""


def enqueue(
    session: Session,
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    link: str | None = None,
    about: User | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (no commit here).

    ``about`` is the person the message concerns when it is not its recipient (whose
    feedback round an invitation is for), so erasing that person removes it too.
    """
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        subject=subject,
        body=body,
        link=link,
        about_id=about.id if about is not None else None,
    )
    session.add(message)
    session.info[QUEUED_FLAG] = True  # read after commit to wake the background sender
    return message


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery pass did."""

    delivered: int
    retried: int
    failed: int


def smtp_configured(settings: Settings) -> bool:
    """True when an SMTP host is set; without one, messages wait in the outbox."""
    return bool(settings.smtp_host)


def deliver_due(session: Session, settings: Settings, limit: int = 100) -> DeliveryReport:
    """Send every due message (at most ``limit``), each in its own transaction."""
    if not smtp_configured(settings):
        return DeliveryReport(0, 0, 0)
    _release_stale_claims(session)
    delivered = retried = failed = 0
    for message_id in _due_ids(session, limit):
        if not _claim(session, message_id):
            continue  # another worker took it
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        try:
            send_over_smtp(settings, message)
        except (OSError, smtplib.SMTPException) as exc:
            if _record_failure(message, exc):
                failed += 1
            else:
                retried += 1
        except ValueError as exc:  # a header no mail can carry (a line break in a name...)
            message.attempts += 1
            _give_up(message, f"cannot be written as an e-mail: {exc}")
            failed += 1
        else:
            message.status = MessageStatus.DELIVERED.value
            message.delivered_at = utcnow()
            message.attempts += 1
            _forget_content(message)
            delivered += 1
        session.commit()
    return DeliveryReport(delivered, retried, failed)


def _due_ids(session: Session, limit: int) -> list[int]:
    query = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == MessageStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= utcnow(),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(session.scalars(query))
    session.commit()
    return ids


def _claim(session: Session, message_id: int) -> bool:
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == MessageStatus.PENDING.value,
        )
        .values(status=MessageStatus.SENDING.value, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def _release_stale_claims(session: Session) -> None:
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.SENDING.value,
            or_(
                OutboxMessage.claimed_at.is_(None),
                OutboxMessage.claimed_at < utcnow() - STALE_CLAIM,
            ),
        )
        .values(status=MessageStatus.PENDING.value)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _record_failure(message: OutboxMessage, error: Exception) -> bool:
    """Schedule a retry, or give up after MAX_ATTEMPTS; True when it gave up."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if message.attempts >= MAX_ATTEMPTS:
        _give_up(message, message.last_error)
        return True
    message.status = MessageStatus.PENDING.value
    wait = BACKOFF[min(message.attempts - 1, len(BACKOFF) - 1)]
    message.next_attempt_at = utcnow() + wait
    return False


def _give_up(message: OutboxMessage, reason: str) -> None:
    """No further attempt: the message fails with its reason and keeps no link or text."""
    message.status = MessageStatus.FAILED.value
    message.last_error = reason[:500]
    _forget_content(message)


RATER_KINDS = frozenset({"invitation", "reminder"})
"""Mail to raters: once done with, not even its recipient is kept (who was reminded is who
had not answered yet)."""
RATER_ADDRESS_GONE = "(a rater: address not kept)"


def _forget_content(message: OutboxMessage) -> None:
    """A message done with keeps who, what kind and when; its link and text are secrets."""
    message.body = ""
    message.link = None
    if message.kind in RATER_KINDS:
        message.to_address = RATER_ADDRESS_GONE


def send_over_smtp(settings: Settings, message: OutboxMessage) -> None:
    """Hand one message to the SMTP server (STARTTLS, TLS or plain, as configured)."""
    email = EmailMessage()
    email["From"] = settings.mail_sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=settings.mail_sender.rpartition("@")[2] or None)
    email.set_content(message.body)
    context = ssl.create_default_context()
    if settings.smtp_security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT, context=context
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
        client.send_message(email)


class BackgroundSender:
    """Delivers the outbox from inside a running app, one daemon thread per process."""

    def __init__(self, deliver: Callable[[], object], interval: float = 15.0) -> None:
        self._deliver = deliver
        self._interval = interval
        self._started = False
        self._lock = threading.Lock()
        self._wake = threading.Event()

    def ensure_started(self) -> None:
        """Start the thread on first use (after gunicorn forked the worker)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="coach-mail", daemon=True).start()

    def nudge(self) -> None:
        """Deliver soon: something was just queued."""
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait(self._interval)
            self._wake.clear()
            try:
                self._deliver()
            except Exception:  # the sender must outlive a bad pass (database down, ...)
                logging.getLogger("coach.mail").exception("mail delivery pass failed")
                time.sleep(self._interval)


def register(app: Flask) -> None:
    """Deliver from a background thread per worker; wake it when a commit queued mail."""
    settings = app.config["COACH"]
    if not smtp_configured(settings) or app.config.get("TESTING"):
        return  # messages wait in the outbox; `flask send-mail` or the admin page handle them

    def deliver() -> None:
        with app.app_context():
            deliver_due(db.session, settings)
            db.session.remove()
        pass_finished.send(app)

    sender = BackgroundSender(deliver)
    app.before_request(sender.ensure_started)

    def wake_sender(session: Session) -> None:
        if session.info.pop(QUEUED_FLAG, False):
            sender.nudge()

    event.listen(Session, "after_commit", wake_sender)
