"""Admin -> Outbox lists messages without their links; a link is shown, and its showing
audited, only on the message's own page and only when no SMTP server is configured."""

from __future__ import annotations

import dataclasses
import re

from sqlalchemy import select

from coach.extensions import db
from coach.models import AuditEvent
from coach.services.accounts import account_links, accounts

ADMIN, MAYA = "ada@example.org", "maya@example.org"


def _with_activation_link(app, auth, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(ADMIN, "admin", "Ada Admin")
    make_user(MAYA, "manager", "Maya Lind")
    auth.sign_in(ADMIN)
    with app.app_context():
        account_links.send_activation(
            db.session, accounts.find_by_email(db.session, MAYA), "http://coach.test"
        )


def _looks(app) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.event == "outbox_link_viewed"))
        )
        db.session.expunge_all()
        return found


def test_the_outbox_list_shows_no_link_and_each_look_at_one_is_audited(app, auth, make_user):
    _with_activation_link(app, auth, make_user)
    listing = auth.client.get("/admin/outbox").text
    assert "/activate/" not in listing and MAYA in listing
    message_page = re.search(r'href="(/admin/outbox/\d+)"', listing).group(1)
    assert _looks(app) == []
    for _ in range(2):
        assert "http://coach.test/activate/" in auth.client.get(message_page).text
    looks = _looks(app)
    assert len(looks) == 2 and looks[0].target == MAYA and "activation" in looks[0].detail


def test_with_an_smtp_server_configured_no_link_is_shown_anywhere(
    app, auth, make_user, monkeypatch
):
    _with_activation_link(app, auth, make_user)
    settings = dataclasses.replace(app.config["COACH"], smtp_host="127.0.0.1", smtp_port=1)
    monkeypatch.setitem(app.config, "COACH", settings)
    listing = auth.client.get("/admin/outbox").text
    message_page = re.search(r'href="(/admin/outbox/\d+)"', listing).group(1)
    page = auth.client.get(message_page).text
    assert "/activate/" not in page and "its link is not shown" in page
    assert _looks(app) == []
