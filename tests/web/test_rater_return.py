"""A rater coming back: a used link thanks them, a saved draft shows how far they got, and the
administrator hears when e-mailed links point somewhere else than the app."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from coach.instruments_registry import default_instrument
from coach.web.base_url import base_url_mismatch

from conftest import csrf_from
from feedback_helpers import answer_every_page, arrive, open_round_with, raters, submit_review


def _links(app, make_user):  # type: ignore[no-untyped-def]
    make_user("subject@example.org", name="Sam Subject")
    with app.app_context():
        return open_round_with("subject@example.org", raters({"peer": 3}))[1]


def _first_page_items(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        instrument = default_instrument()
        return [i.id for i in instrument.items_on(instrument.pages[0])]


def test_a_used_link_says_already_submitted_thank_you_and_not_nothing_stored(app, make_user):
    links = _links(app, make_user)
    client = app.test_client()
    welcome = arrive(client, links["peer0@example.org"])
    answer_every_page(app, client, welcome)
    submit_review(client, welcome)

    again = app.test_client().get(links["peer0@example.org"])

    assert "Already submitted, thank you" in again.text
    assert "Nothing was stored" not in again.text


def test_a_rater_who_saved_and_returns_sees_continue_with_how_many_are_answered(app, make_user):
    links = _links(app, make_user)
    client = app.test_client()
    welcome = arrive(client, links["peer0@example.org"])
    assert ">Start</a>" in client.get(welcome).text
    items = _first_page_items(app)
    token = csrf_from(client.get(f"{welcome}/pages/1").text)
    answers = {items[0]: "3", items[1]: "na", items[2]: "5"}
    client.post(f"{welcome}/pages/1", data=answers | {"action": "save", "csrf_token": token})

    later = app.test_client()
    page = later.get(arrive(later, links["peer0@example.org"])).text

    assert "Continue (3 of 72 answered)" in page
    assert ">Start</a>" not in page


def test_base_url_mismatch_names_both_addresses_and_is_silent_when_they_agree():
    assert base_url_mismatch("https://coach.example.org", "https://COACH.example.org/") is None
    warning = base_url_mismatch("http://127.0.0.1:5000", "https://coach.example.org/")
    assert warning is not None
    assert "http://127.0.0.1:5000" in warning and "https://coach.example.org" in warning


@pytest.fixture
def base_url(app):  # type: ignore[no-untyped-def]
    """Set the configured base URL for one test, and forget any warning already logged."""
    kept = app.config["COACH"]
    app.extensions.pop("coach.base_url_warned", None)

    def use(url: str) -> None:
        app.config["COACH"] = dataclasses.replace(kept, base_url=url)

    yield use
    app.config["COACH"] = kept
    app.extensions.pop("coach.base_url_warned", None)


def test_the_outbox_warns_the_administrator_when_links_point_elsewhere(
    app, make_user, auth, client, base_url
):
    make_user("admin@example.org", role="admin", name="Ada Admin")
    auth.sign_in("admin@example.org")
    base_url("https://coach.example.org")
    page = client.get("/admin/outbox").text  # the test client reaches http://localhost
    assert "Links in e-mails point at https://coach.example.org" in page
    assert "reached at http://localhost" in page
    base_url("http://localhost")
    assert "Links in e-mails point at" not in client.get("/admin/outbox").text


def test_the_log_warns_once_when_the_app_is_reached_at_another_address(
    app, client, base_url, caplog, monkeypatch
):
    monkeypatch.setattr(app.logger, "disabled", False)  # Alembic's logging setup turned it off
    base_url("https://coach.example.org")
    with caplog.at_level(logging.WARNING):
        client.get("/sign-in", base_url="http://intranet.test")
        client.get("/sign-in", base_url="http://intranet.test")
    warnings = [r for r in caplog.records if "base URL check" in r.getMessage()]
    assert len(warnings) == 1
    assert "http://intranet.test" in warnings[0].getMessage()
