"""Secret links cannot be guessed: refused look-ups are limited per address, valid ones never.

Each test starts with fresh counters: conftest resets the limiter after every test.
"""

from __future__ import annotations

import time

from flask import Flask
from flask.testing import FlaskClient
from limits import parse_many
from sqlalchemy import select

from coach.extensions import db
from coach.models import FeedbackRound, TokenPurpose, User
from coach.services.accounts import account_links
from coach.services.feedback import rounds
from coach.web.link_guessing import LINK_GUESSES, PAUSED

from conftest import csrf_from
from feedback_helpers import open_round_with, raters

ALLOWED = 20  # refused look-ups per minute before the pause; the test names say this number
OFFICE = "203.0.113.7"  # one address shared by many people


def test_the_budget_is_20_refused_links_per_minute_set_in_one_place():
    assert parse_many(LINK_GUESSES)[0].amount == ALLOWED


def _browser(app: Flask, address: str = OFFICE) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _round(app: Flask, make_user, count: int = 3) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    make_user("subject@example.org", name="Sam Subject")
    with app.app_context():
        round_id, links = open_round_with("subject@example.org", raters({"peer": count}))
    return round_id, sorted(links.values())


def _account_link(app: Flask, make_user, purpose: TokenPurpose) -> str:  # type: ignore[no-untyped-def]
    email = make_user("known@example.org")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        link = account_links.stage_link(db.session, user, purpose, "http://coach.test")
        db.session.commit()
    return link.removeprefix("http://coach.test")


def _is_paused(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 429 and PAUSED.split(",")[0] in response.text


def test_guessing_rater_links_is_stopped_after_20_wrong_tokens(app, make_user):
    _, links = _round(app, make_user)
    guesser = _browser(app)
    refused = [guesser.get(f"/r/guess-{n}").status_code for n in range(ALLOWED)]
    assert refused == [400] * ALLOWED
    stopped = guesser.get("/r/guess-one-more")
    assert _is_paused(stopped) and int(stopped.headers["Retry-After"]) > 0
    # While paused, a real link answers the same: the answer must not tell hits from misses.
    assert _is_paused(_browser(app).get(links[0]))
    assert _browser(app, "198.51.100.1").get(links[0]).status_code == 302  # other addresses


def test_raters_behind_one_address_are_not_limited_by_valid_links(app, make_user):
    _, links = _round(app, make_user)
    mistyped = 0
    for n in range(3 * ALLOWED):  # many raters of one office, each arriving and reading
        rater = _browser(app)
        welcome = rater.get(links[n % len(links)])
        assert welcome.status_code == 302, n
        assert rater.get(welcome.headers["Location"]).status_code == 200, n
        if n % 3 == 0 and mistyped < ALLOWED - 1:  # and a few mistyped links among them
            assert rater.get(f"/r/mistyped-{n}").status_code == 400
            mistyped += 1
    assert mistyped == ALLOWED - 1
    assert _browser(app).get(links[0]).status_code == 302


def test_rater_pages_without_a_valid_link_count_as_wrong_tokens(app, make_user):
    _round(app, make_user)
    guesser = _browser(app)
    for n in range(ALLOWED // 2):
        assert guesser.get(f"/r/guess-{n}").status_code == 400
        assert guesser.get(f"/rate/made-up-{n}").status_code == 404
    assert _is_paused(guesser.get("/rate/made-up-once-more"))


def test_refused_rater_saves_are_counted_without_waiting_for_the_database(app, make_user):
    """A save on a closed round is refused under the write lock; counting must not wait on it."""
    round_id, links = _round(app, make_user)
    rater = _browser(app)
    welcome = rater.get(links[0]).headers["Location"]
    token = csrf_from(rater.get(f"{welcome}/pages/1").text)
    with app.app_context():
        found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == round_id))
        rounds.close_round(db.session, found, "subject")
    started = time.monotonic()
    for _ in range(ALLOWED):
        saved = rater.post(f"{welcome}/pages/1", data={"csrf_token": token, "action": "save"})
        assert saved.status_code == 410 and "closed" in saved.text
    assert time.monotonic() - started < 10  # not a busy timeout (5 s) per refusal
    assert _is_paused(rater.post(f"{welcome}/pages/1", data={"csrf_token": token}))


def test_guessing_activation_links_is_stopped_after_20_wrong_tokens(app, make_user):
    link = _account_link(app, make_user, TokenPurpose.ACTIVATION)
    guesser = _browser(app)
    for n in range(ALLOWED):
        assert guesser.get(f"/activate/guess-{n}").status_code == 302  # the token leaves the URL
        assert guesser.get("/activate").status_code == 400  # and is refused: counted
    assert _is_paused(guesser.get("/activate/guess-one-more"))
    assert _is_paused(guesser.get("/activate"))
    assert _is_paused(_browser(app).get(link))
    assert _browser(app, "198.51.100.1").get(link).status_code == 302


def test_guessing_reset_links_is_stopped_after_20_wrong_tokens(app, make_user):
    guesser = _browser(app)
    for n in range(ALLOWED):
        guesser.get(f"/reset-password/guess-{n}")
        assert guesser.get("/reset-password").status_code == 400
    assert _is_paused(guesser.get("/reset-password/guess-one-more"))


def test_people_opening_valid_account_links_from_one_address_are_not_limited(app, make_user):
    link = _account_link(app, make_user, TokenPurpose.RESET)
    for n in range(2 * ALLOWED):
        person = _browser(app)
        assert person.get(link).status_code == 302, n
        page = person.get("/reset-password")
        assert page.status_code == 200 and "Choose a new password" in page.text, n


def test_wrong_rater_and_account_links_share_one_budget(app, make_user):
    guesser = _browser(app)
    for n in range(ALLOWED // 2):
        assert guesser.get(f"/r/guess-{n}").status_code == 400
        guesser.get(f"/activate/guess-{n}")
        assert guesser.get("/activate").status_code == 400
    assert _is_paused(guesser.get("/reset-password/guess-one-more"))
    assert _is_paused(guesser.get("/r/guess-one-more"))
