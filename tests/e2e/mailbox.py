"""Delivering the outbox to a real SMTP server on loopback and reading links from it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask

from coach import mail
from coach.extensions import db

from smtp_server import Inbox, smtp_server

LINK = re.compile(r"https?://\S+")


class Mailbox:
    """Sends what the app queued and hands out the links people would click."""

    def __init__(self, app: Flask, inbox: Inbox) -> None:
        self.app = app
        self.inbox = inbox

    def deliver(self) -> int:
        """What `flask send-mail` does: deliver every due message over SMTP."""
        with self.app.app_context():
            report = mail.deliver_due(db.session, self.app.config["COACH"])
            db.session.remove()
        return report.delivered

    def link_for(self, address: str, subject_part: str = "") -> str:
        """The link in the newest message to ``address`` (whose subject contains the part)."""
        messages = [m for m in self.inbox.to(address) if subject_part in m["Subject"]]
        assert messages, f"no message to {address} about {subject_part!r}"
        body = messages[-1].get_payload(decode=True).decode()
        found = LINK.search(body)
        assert found, body
        return found.group(0)


@contextmanager
def mailbox_for(app: Flask, base_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """Point the app's SMTP settings and link base at a loopback server and the live server."""
    with smtp_server() as (inbox, port):
        settings = dataclasses.replace(
            app.config["COACH"], smtp_host="127.0.0.1", smtp_port=port, base_url=base_url
        )
        monkeypatch.setitem(app.config, "COACH", settings)
        yield Mailbox(app, inbox)
