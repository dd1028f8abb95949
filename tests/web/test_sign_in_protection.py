"""Sign-in protection cannot be turned against the person it protects.

Every attack here goes through the real routes from its own client address (the test
client's REMOTE_ADDR), and each test shows the real person still gets in.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from statistics import median

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from coach import proxies
from coach.config import Settings
from coach.extensions import db, limiter
from coach.models import AuditEvent, OutboxMessage, User
from coach.models._common import as_utc, utcnow
from coach.models.audit import RateLimitCounter, SignInThrottle
from coach.services.accounts import passwords
from coach.services.accounts import sign_in_throttle as throttle

from conftest import PASSWORD, Auth, csrf_from

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"
NEW_PASSWORD = "a fresh long password"


def _browser(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _try(app: Flask, email: str, password: str, address: str, **extra):  # type: ignore[no-untyped-def]
    client = _browser(app, address)
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        **extra,
    )


def _events(app: Flask, kind: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == kind)))


def _end_every_wait(app: Flask) -> None:
    """Move the clock on: every wait is over (the counts stay)."""
    with app.app_context():
        ended = utcnow() - timedelta(seconds=1)
        db.session.execute(update(SignInThrottle).values(blocked_until=ended))
        db.session.commit()
    limiter.reset()  # and the per-minute request limit's window too


def _waits(app: Flask) -> dict[str, timedelta]:
    with app.app_context():
        now = utcnow()
        rows = db.session.execute(select(SignInThrottle.key, SignInThrottle.blocked_until))
        return {key: as_utc(until) - now for key, until in rows if until}


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its lowest cost: these tests try hundreds of passwords, and argon2's cost is
    not what they are about (every password still goes through the real sign-in code)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("not-a-real-password"))


# --- one account under attack --------------------------------------------------------------------


def test_a_stranger_guessing_from_one_network_never_keeps_the_owner_out_of_another(app, make_user):
    email = make_user()
    answers = [_try(app, email, f"guess {n}", ATTACKER).status_code for n in range(12)]
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}
    assert _try(app, email, PASSWORD, OWNER).status_code == 302


def test_the_wait_follows_the_fifth_wrong_password_and_says_how_long(app, make_user):
    email = make_user()
    for n in range(4):
        assert _try(app, email, f"guess {n}", ATTACKER).status_code == 200
    fifth = _try(app, email, "guess 5", ATTACKER)
    assert fifth.status_code == 200  # the wrong password itself gets the usual answer
    waiting = _try(app, email, PASSWORD, ATTACKER)
    assert waiting.status_code == 429
    assert "Please try again in 1 minute, or ask for a reset link." in waiting.text
    assert [e.detail for e in _events(app, "sign_in_throttled")] == ["waits 1 min"]


def test_tries_during_a_wait_are_not_counted_and_do_not_lengthen_it(app, make_user):
    email = make_user()
    for n in range(5):
        _try(app, email, f"guess {n}", ATTACKER)
    before = _waits(app)
    for n in range(8):
        assert _try(app, email, f"more {n}", ATTACKER).status_code == 429
    after = _waits(app)
    assert after.keys() == before.keys()
    assert all(after[key] <= before[key] for key in before)  # not one second longer
    with app.app_context():
        assert db.session.scalar(select(func.max(SignInThrottle.failures))) == 5


def test_each_further_wrong_password_doubles_the_wait_up_to_15_minutes(app, make_user):
    email = make_user()
    for n in range(5):
        _try(app, email, f"guess {n}", ATTACKER)
    seen = []
    for n in range(6):
        _end_every_wait(app)
        assert _try(app, email, f"again {n}", ATTACKER).status_code == 200
        pair = next(wait for key, wait in _waits(app).items() if key.startswith("pair:"))
        seen.append(round(pair.total_seconds() / 60))
    assert seen == [2, 4, 8, 15, 15, 15]
    assert throttle.wait_after(throttle.PAIR, 4) is None
    assert throttle.wait_after(throttle.PAIR, 500) == timedelta(minutes=15)


def test_the_right_password_after_a_wait_clears_the_count_for_that_network(app, make_user):
    email = make_user()
    for n in range(5):
        _try(app, email, f"guess {n}", OWNER)
    _end_every_wait(app)
    assert _try(app, email, PASSWORD, OWNER).status_code == 302
    for n in range(4):  # a typo later starts from nothing again
        assert _try(app, email, f"typo {n}", OWNER).status_code == 200


def test_an_unknown_address_waits_exactly_like_a_real_account(app, make_user):
    known = make_user("known@example.org")
    answers = {}
    for email, address in ((known, "192.0.2.1"), ("ghost@example.org", "192.0.2.2")):
        replies = [_try(app, email, f"guess {n}", address) for n in range(6)]
        answers[email] = [
            (r.status_code, r.text.split("<main", 1)[1].split("<form")[0]) for r in replies
        ]
    assert answers[known] == answers["ghost@example.org"]


def test_many_networks_against_one_account_leave_each_new_network_one_free_try(app, make_user):
    email = make_user()
    for n in range(throttle.CROWD):  # an attack spread over ten networks
        for guess in range(5):
            _try(app, email, f"guess {guess}", f"192.0.2.{n + 10}")
    assert _try(app, email, "one guess", "192.0.2.200").status_code == 200
    assert _try(app, email, "and another", "192.0.2.200").status_code == 429
    assert _try(app, email, PASSWORD, OWNER).status_code == 302  # the owner still gets in


def test_one_network_guessing_many_accounts_is_slowed_as_a_whole(app, make_user):
    make_user()
    answers = []
    for n in range(throttle.SOURCE.free + 1):
        if n and n % 9 == 0:
            limiter.reset()  # keep under the per-minute request limit: this is about the count
        answers.append(_try(app, f"person{n}@example.org", "guess", ATTACKER).status_code)
    assert set(answers[: throttle.SOURCE.free]) == {200} and answers[-1] == 429
    assert _try(app, "maya@example.org", PASSWORD, OWNER).status_code == 302


# --- ways out: a reset link, an administrator, the command ---------------------------------------


def _reset_link(app: Flask, email: str, address: str = OWNER) -> str:
    client = _browser(app, address)
    page = client.get("/forgot-password")
    client.post("/forgot-password", data={"email": email, "csrf_token": csrf_from(page.text)})
    with app.app_context():
        link = db.session.scalar(select(OutboxMessage.link).order_by(OutboxMessage.id.desc()))
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _use_reset_link(client: FlaskClient, link: str):  # type: ignore[no-untyped-def]
    client.get(link)
    page = client.get("/reset-password")
    return client.post(
        "/reset-password",
        data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_from(page.text)},
    )


def test_a_reset_link_signs_the_owner_in_and_ends_every_wait_on_the_account(app, make_user):
    email = make_user()
    for n in range(5):  # the owner's own network is the one under attack
        _try(app, email, f"guess {n}", OWNER)
    assert _try(app, email, PASSWORD, OWNER).status_code == 429
    owner = _browser(app, OWNER)
    done = _use_reset_link(owner, _reset_link(app, email))
    assert done.status_code == 302 and "Welcome, Maya" in owner.get("/").text
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(SignInThrottle)
                .where(SignInThrottle.key.startswith("pair:"))
            )
            == 0
        )
    assert _try(app, email, NEW_PASSWORD, OWNER).status_code == 302


def test_an_administrator_unlocks_an_account_from_the_admin_page_and_it_is_audited(app, make_user):
    email = make_user()
    for n in range(5):
        _try(app, email, f"guess {n}", OWNER)
    admin = Auth(_browser(app, "192.0.2.250"))
    admin.sign_in(make_user("ada@example.org", role="admin", name="Ada Admin"))
    assert "Unlock an account" in admin.client.get("/admin/").text
    unknown = admin.post("/admin/unlock", {"email": "nobody@example.org"}, page="/admin/unlock")
    assert unknown.status_code == 400 and "No account uses nobody@example.org." in unknown.text
    done = admin.post("/admin/unlock", {"email": "MAYA@example.org"}, page="/admin/unlock")
    assert done.status_code == 302
    assert "maya@example.org can sign in again at once." in admin.client.get("/admin/unlock").text
    assert _try(app, email, PASSWORD, OWNER).status_code == 302
    (event,) = _events(app, "account_unlocked")
    with app.app_context():
        actor = db.session.get(User, event.actor_id)
        assert (event.target, actor.email) == ("maya@example.org", "ada@example.org")


def test_managers_cannot_unlock_accounts(app, make_user):
    manager = Auth(_browser(app, OWNER))
    manager.sign_in(make_user())
    assert manager.client.get("/admin/unlock").status_code == 403


def test_the_unlock_account_command_ends_the_wait(app, make_user):
    email = make_user()
    for n in range(5):
        _try(app, email, f"guess {n}", OWNER)
    result = app.test_cli_runner().invoke(args=["unlock-account", "Maya@Example.org"])
    assert result.exit_code == 0, result.output
    assert "maya@example.org can sign in again at once" in result.output
    assert _try(app, email, PASSWORD, OWNER).status_code == 302
    assert [e.detail for e in _events(app, "account_unlocked")] == ["by the unlock-account command"]
    missing = app.test_cli_runner().invoke(args=["unlock-account", "nobody@example.org"])
    assert missing.exit_code != 0 and "No account uses nobody@example.org." in missing.output


# --- reset requests ------------------------------------------------------------------------------


def test_a_stranger_asking_for_reset_links_cannot_cancel_the_owners_link(app, make_user):
    email = make_user()
    owners_link = _reset_link(app, email, OWNER)
    _reset_link(app, email, ATTACKER)
    _reset_link(app, email, ATTACKER)
    owner = _browser(app, OWNER)
    assert _use_reset_link(owner, owners_link).status_code == 302
    assert "Welcome, Maya" in owner.get("/").text


def test_reset_mails_to_one_account_stop_after_three_an_hour_with_the_same_answer(app, make_user):
    email = make_user()
    answers = []
    for n in range(6):  # from six networks, so the per-network limit is not what stops them
        client = _browser(app, f"192.0.2.{n + 1}")
        page = client.get("/forgot-password")
        reply = client.post(
            "/forgot-password",
            data={"email": email, "csrf_token": csrf_from(page.text)},
            follow_redirects=True,
        )
        answers.append((reply.status_code, "a reset link is on its way" in reply.text))
    assert answers == [(200, True)] * 6
    with app.app_context():
        sent = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert sent == 3
    assert len(_events(app, "password_reset_requested")) == 6


def test_reset_requests_take_as_long_for_unknown_addresses_as_for_real_ones(app, make_user):
    known = [make_user(f"person{n}@example.org", name=f"Person {n}") for n in range(30)]
    ratios = []
    # The machine's load varies (CI runs another test process beside this one), so a try
    # whose medians are skewed by it is tried again; a real difference shows in every try.
    for attempt in range(3):
        timings: dict[str, list[float]] = {"known": [], "unknown": []}
        for n, email in enumerate(known):
            for kind, address in (("known", email), ("unknown", f"ghost{n}@example.org")):
                client = _browser(app, f"10.{attempt + 1}.{n}.{1 if kind == 'known' else 2}")
                token = csrf_from(client.get("/forgot-password").text)
                started = time.perf_counter()
                form = {"email": address, "csrf_token": token}
                reply = client.post("/forgot-password", data=form)
                timings[kind].append(time.perf_counter() - started)
                assert reply.status_code == 302
        ratios.append(median(timings["known"]) / median(timings["unknown"]))
        # Measured here: 1.06 to 1.12 now; 1.42 (PostgreSQL) and 1.51 (SQLite) before, when
        # only a real account's request wrote and committed anything.
        if 0.77 < ratios[-1] < 1.3:
            break
    else:
        raise AssertionError(f"known/unknown median ratios in three tries: {ratios}")
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        assert count == 30 * len(ratios)


# --- the password-change form --------------------------------------------------------------------


def test_wrong_current_passwords_on_the_change_form_count_like_sign_in_and_are_audited(
    app, make_user
):
    thief = Auth(_browser(app, ATTACKER))  # holds a session, not the password
    thief.sign_in(make_user())
    answers = []
    for n in range(6):
        reply = thief.post(
            "/account/password",
            {"current": f"guess {n}", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            page="/account/password",
        )
        answers.append(reply.text)
    assert all("Your current password is not correct." in text for text in answers[:5])
    assert "Please try again in" in answers[5]
    right = thief.post(
        "/account/password",
        {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page="/account/password",
    )
    assert "Please try again in" in right.text  # the wait holds for the right one too
    assert len(_events(app, "password_change_failed")) == 5
    assert _try(app, "maya@example.org", PASSWORD, OWNER).status_code == 302  # unchanged


# --- client addresses: proxies and IPv6 ----------------------------------------------------------


@pytest.fixture
def behind_proxy(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app as configured behind one reverse proxy at 10.0.0.5."""
    monkeypatch.setenv("COACH_TRUSTED_PROXY_COUNT", "1")
    monkeypatch.setenv("COACH_TRUSTED_PROXIES", "10.0.0.5")
    settings, wsgi = app.config["COACH"], app.wsgi_app
    app.config["COACH"] = Settings.from_env()
    proxies.register(app)
    yield "10.0.0.5"
    app.config["COACH"], app.wsgi_app = settings, wsgi  # type: ignore[method-assign]


def test_behind_a_trusted_proxy_each_visitor_counts_under_their_own_address(
    app, make_user, behind_proxy
):
    email = make_user()
    attacker = {"headers": {"X-Forwarded-For": ATTACKER}}
    for n in range(5):
        _try(app, email, f"guess {n}", behind_proxy, **attacker)
    assert _try(app, email, PASSWORD, behind_proxy, **attacker).status_code == 429
    owner = _try(app, email, PASSWORD, behind_proxy, headers={"X-Forwarded-For": OWNER})
    assert owner.status_code == 302
    assert {e.ip for e in _events(app, "sign_in_failed")} == {ATTACKER}


def test_forwarded_addresses_from_anyone_but_the_proxy_are_ignored(app, make_user, behind_proxy):
    email = make_user()
    for n in range(5):  # a direct client making up a new address for each try
        _try(app, email, f"guess {n}", ATTACKER, headers={"X-Forwarded-For": f"192.0.2.{n}"})
    made_up = {"headers": {"X-Forwarded-For": "192.0.2.99"}}
    assert _try(app, email, PASSWORD, ATTACKER, **made_up).status_code == 429
    assert {e.ip for e in _events(app, "sign_in_failed")} == {ATTACKER}


def test_without_a_configured_proxy_forwarded_headers_are_ignored(app, make_user):
    email = make_user()
    for n in range(5):
        _try(app, email, f"guess {n}", "127.0.0.1", headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert _try(app, email, PASSWORD, "127.0.0.1").status_code == 429


def test_an_unconfigured_proxy_is_reported_once_in_the_log(app, caplog):
    fresh = Flask("fresh")
    fresh.config["COACH"] = app.config["COACH"]
    proxies.register(fresh)
    fresh.add_url_rule("/", "home", lambda: "ok")
    with caplog.at_level("WARNING"):
        for n in range(3):
            fresh.test_client().get("/", headers={"X-Forwarded-For": f"192.0.2.{n}"})
    warnings = [r.getMessage() for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1 and "COACH_TRUSTED_PROXY_COUNT is 0" in warnings[0]


def test_ipv6_clients_are_counted_per_64_network(app, make_user):
    email = make_user()
    for n in range(5):  # a new address of the same /64 for each guess
        _try(app, email, f"guess {n}", f"2001:db8:1:2::{n + 1:x}")
    assert _try(app, email, PASSWORD, "2001:db8:1:2:ffff::9").status_code == 429
    assert _try(app, email, PASSWORD, "2001:db8:1:3::1").status_code == 302  # another /64


def test_link_guesses_from_one_ipv6_64_share_one_budget(app):
    for n in range(20):
        assert _browser(app, f"2001:db8:5:6::{n + 1:x}").get(f"/r/guess-{n}").status_code == 400
    assert _browser(app, "2001:db8:5:6:aaaa::1").get("/r/one-more").status_code == 429
    assert _browser(app, "2001:db8:5:7::1").get("/r/one-more").status_code == 400


# --- stored counts are removed when they no longer matter ----------------------------------------


def test_ended_rate_limit_windows_are_deleted(app, make_user):
    for n in range(3):
        _try(app, f"person{n}@example.org", "guess", f"192.0.2.{n + 1}")
    with app.app_context():
        db.session.execute(update(RateLimitCounter).values(expires_at=time.time() - 1))
        db.session.commit()
    limiter.storage.next_purge = 0.0  # the next counted request is due to sweep
    _try(app, "maya@example.org", "guess", OWNER)
    with app.app_context():
        left = db.session.scalars(select(RateLimitCounter.expires_at)).all()
    assert left and all(moment > time.time() for moment in left)  # only the live window


def test_throttle_rows_are_forgotten_a_day_after_the_last_wrong_password(app, make_user):
    email = make_user()
    for n in range(5):
        _try(app, email, f"guess {n}", ATTACKER)
    with app.app_context():
        long_ago = utcnow() - timedelta(days=2)
        db.session.execute(
            update(SignInThrottle).values(last_failure_at=long_ago, blocked_until=long_ago)
        )
        db.session.commit()
    _try(app, "someone@example.org", "guess", OWNER)  # any later wrong password sweeps
    with app.app_context():
        keys = db.session.scalars(select(SignInThrottle.key)).all()
    assert keys and all(ATTACKER not in key for key in keys)


# --- where sign-in leads -------------------------------------------------------------------------

HOSTILE_NEXT = [
    "/%0d%0aSet-Cookie:%20stolen=1",
    "/%09/evil.example",
    "/%0d/x",
    "//evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%E2%80%A8/evil.example",
    "evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_hostile_next_address_leads_home_after_a_correct_password(app, make_user, target):
    email = make_user()
    reply = _try(app, email, PASSWORD, OWNER, query_string=f"next={target}")
    assert reply.status_code == 302 and reply.headers["Location"] == "/"


def test_a_next_address_on_this_site_is_followed(app, make_user):
    email = make_user()
    reply = _try(app, email, PASSWORD, OWNER, query_string="next=/plans/%C3%A9t%C3%A9?tab=goals")
    assert reply.status_code == 302
    assert (
        reply.headers["Location"].startswith("/plans/") and "tab=goals" in reply.headers["Location"]
    )
