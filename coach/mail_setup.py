"""Starts in-app delivery of the outbox when an SMTP server is configured."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from coach.extensions import db
from coach.mail import QUEUED_FLAG, BackgroundSender, deliver_due, smtp_configured
from coach.metrics import mail_heartbeat


def register_mail(app: Flask) -> None:
    """Deliver from a background thread per worker; wake it when a commit queued mail."""
    settings = app.config["COACH"]
    if not smtp_configured(settings) or app.config.get("TESTING"):
        return  # messages wait in the outbox; `flask send-mail` or the admin page handle them

    def deliver() -> None:
        with app.app_context():
            deliver_due(db.session, settings)
            db.session.remove()
        mail_heartbeat()  # a pass finished: /metrics shows when the sender last ran

    sender = BackgroundSender(deliver)
    app.before_request(sender.ensure_started)

    @event.listens_for(Session, "after_commit")
    def wake_sender(session: Session) -> None:
        if session.info.pop(QUEUED_FLAG, False):
            sender.nudge()
