"""(c) and (d): connections dropped, the database unreachable or locked, then back.

The app must answer 503 with a page that says the answers are kept (never a traceback),
keep the rater's saved draft, and recover by itself once the database answers again: the
same gunicorn processes, no restart.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from reliability import checks
from reliability.conftest import ON_POSTGRES, tagged_url
from reliability.proxy import Relay
from reliability.raters import Browser, RaterPlan, csrf_token

from conftest import PASSWORD, is_checked

KEPT = "are kept"
NOT_SAVED = "this page was not saved yet"
WAIT_SECONDS = 20  # bound on every wait for the server to reach a state


def _arrive(browser: Browser, plan: RaterPlan) -> str:
    reply = browser.get(plan.link)
    assert reply.status == 302, reply.text[:300]
    return reply.location


def _save(browser: Browser, plan: RaterPlan, welcome: str, number: int):  # type: ignore[no-untyped-def]
    url = f"{welcome}/pages/{number}"
    page = browser.get(url)
    assert page.status == 200, page.text[:300]
    form = plan.answers(number - 1) | {"action": "next", "csrf_token": csrf_token(page.text)}
    return browser.post(url, form)


def _first_page_saved(server, rater_plans) -> tuple[RaterPlan, Browser, str]:  # type: ignore[no-untyped-def]
    """A rater with a fresh link, arrived and with page 1 saved: their plan, browser, welcome."""
    plan = rater_plans(count=1, per_round=3)[0]
    browser = Browser(server.port)
    welcome = _arrive(browser, plan)
    assert _save(browser, plan, welcome, 1).status == 302
    return plan, browser, welcome


def _shows_answers(html: str, plan: RaterPlan, number: int) -> bool:
    return all(is_checked(html, item, value) for item, value in plan.answers(number - 1).items())


def _invitation_id(welcome: str) -> str:
    return welcome.rstrip("/").rsplit("/", 1)[1]


def _unavailable(reply, phrase: str = KEPT) -> bool:  # type: ignore[no-untyped-def]
    return (
        reply.status == 503
        and phrase in reply.text
        and "Traceback" not in reply.text
        and reply.retry_after is not None
    )


# (c) -------------------------------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_terminate_backend is PostgreSQL's")
def test_terminated_connections_are_replaced_and_the_next_request_succeeds(
    app, database_url, server, rater_plans
):
    plan = rater_plans(count=1, per_round=3)[0]
    browser = Browser(server.port)
    welcome = _arrive(browser, plan)
    for _ in range(9):  # every worker gets a pooled connection
        assert browser.get(f"{welcome}/pages/1").status == 200
    assert _terminate(database_url, server.application_name) >= 1
    for _ in range(6):
        assert browser.get(f"{welcome}/pages/1").status == 200
    assert _save(browser, plan, welcome, 1).status == 302
    assert checks.draft_answers(app, _invitation_id(welcome))


def _terminate(database_url: str, application_name: str, state: str | None = None) -> int:
    """End the server's PostgreSQL sessions (waiting until they are gone); how many."""
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
                        "FROM pg_stat_activity WHERE application_name = :name "
                        "AND (CAST(:state AS text) IS NULL OR wait_event_type = :state)"
                    ),
                    {"name": application_name, "state": state},
                ).scalar_one()
            )
    finally:
        admin.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL session ended mid-transaction")
def test_a_save_cut_off_mid_transaction_gives_the_page_back_with_its_answers(
    app, database_url, server, rater_plans
):
    plan, browser, welcome = _first_page_saved(server, rater_plans)
    url = f"{welcome}/pages/2"
    form = plan.answers(1) | {"action": "next", "csrf_token": csrf_token(browser.get(url).text)}
    holder = create_engine(database_url)
    replies = []
    with holder.connect() as conn:  # hold the draft's row lock: the save waits on it
        conn.execute(
            text(
                "SELECT 1 FROM rater_draft d JOIN invitation i ON i.id = d.invitation_id "
                "WHERE i.public_id = :id FOR UPDATE OF d"
            ),
            {"id": _invitation_id(welcome)},
        )
        saver = threading.Thread(target=lambda: replies.append(browser.post(url, form)))
        saver.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if _terminate(database_url, server.application_name, state="Lock"):
                break
            time.sleep(0.1)
        saver.join(timeout=WAIT_SECONDS)
        conn.rollback()
    holder.dispose()
    assert replies and _unavailable(replies[0], NOT_SAVED), replies[:1]
    assert _shows_answers(replies[0].text, plan, 2)  # the rater's choices are still there
    assert set(checks.draft_answers(app, _invitation_id(welcome))) == set(plan.answers(0))
    again = browser.post(url, form | {"csrf_token": csrf_token(replies[0].text)})
    assert again.status == 302
    assert set(checks.draft_answers(app, _invitation_id(welcome))) >= set(plan.answers(1))


# (d) -------------------------------------------------------------------------------------


class SqliteOutage:
    """The server reaches the database file through a link that can be removed and restored."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.real = Path(make_url(database_url).database or "")
        self.link = folder / "reachable"
        self.url = f"sqlite:///{self.link / self.real.name}"

    def down(self) -> None:
        self.link.unlink(missing_ok=True)

    def up(self) -> None:
        self.link.symlink_to(self.real.parent, target_is_directory=True)


class PostgresOutage:
    """The server reaches PostgreSQL through a relay that can be cut and restored."""

    def __init__(self, database_url: str, application_name: str) -> None:
        real = make_url(database_url)
        self.relay = Relay(real.host or "127.0.0.1", real.port or 5432)
        relayed = real.set(host="127.0.0.1", port=self.relay.port)
        self.url = tagged_url(relayed.render_as_string(hide_password=False), application_name)

    def down(self) -> None:
        self.relay.down()

    def up(self) -> None:
        self.relay.up()


def test_an_unreachable_database_gives_503_pages_and_the_app_recovers_by_itself(
    app, database_url, server, serve, rater_plans, make_user, tmp_path
):
    manager = make_user("manager@example.org", name="Mia Manager")
    plan, browser, welcome = _first_page_saved(server, rater_plans)  # before the outage
    person = Browser(server.port)
    sign_in = person.get("/sign-in")
    form = {"email": manager, "password": PASSWORD, "csrf_token": csrf_token(sign_in.text)}
    assert person.post("/sign-in", form).status == 302

    outage = (
        PostgresOutage(database_url, "coach-reliability-outage")
        if ON_POSTGRES
        else SqliteOutage(database_url, tmp_path)
    )
    outage.down()  # before the server's first connection: SQLite keeps open files working
    flaky = serve(outage.url, wait_for="/healthz")  # alive, but not ready without its database
    browser.port = person.port = flaky.port
    probe = Browser(flaky.port)
    try:
        _check_unavailable(browser, person, plan, welcome)
        assert probe.get("/readyz").status == 503  # the load balancer stops sending traffic
        assert probe.get("/healthz").status == 200  # but nothing restarts the process
        outage.up()
        _check_recovered(app, browser, person, plan, welcome)
        assert probe.get("/readyz").status == 200
        if ON_POSTGRES:  # pooled connections break too; pre-ping replaces them
            outage.down()
            _check_unavailable(browser, person, plan, welcome)
            outage.up()
            assert browser.get(f"{welcome}/pages/1").status == 200
    finally:
        outage.down()
    assert flaky.process is not None and flaky.process.poll() is None  # never restarted


def _check_unavailable(browser: Browser, person: Browser, plan: RaterPlan, welcome: str) -> None:
    assert _unavailable(browser.get(welcome))
    assert _unavailable(browser.get(f"{welcome}/pages/2"))
    url = f"{welcome}/pages/2"
    posted = browser.post(url, plan.answers(1) | {"action": "next", "csrf_token": "x"})
    assert _unavailable(posted)
    home = person.get("/")
    assert _unavailable(home, "Everything saved before is kept")
    api = person.get("/api/v1/instruments")
    assert api.status == 503 and '"error"' in api.text


def _check_recovered(app, browser: Browser, person: Browser, plan, welcome: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.get(f"{welcome}/pages/1")
    assert page.status == 200 and _shows_answers(page.text, plan, 1)  # the draft survived
    assert _save(browser, plan, welcome, 2).status == 302
    answers = checks.draft_answers(app, _invitation_id(welcome))
    assert set(answers) >= set(plan.answers(0)) | set(plan.answers(1))
    assert person.get("/").status == 200
    assert person.get("/api/v1/instruments").status == 200


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's single write lock, held past the busy timeout")
def test_a_database_locked_past_the_busy_timeout_gives_the_page_back_then_saves(
    app, database_url, server, rater_plans
):
    plan, browser, welcome = _first_page_saved(server, rater_plans)
    url = f"{welcome}/pages/2"
    form = plan.answers(1) | {"action": "next", "csrf_token": csrf_token(browser.get(url).text)}
    review_token = None
    locker = sqlite3.connect(make_url(database_url).database or "", isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")  # e.g. a long maintenance job holding the write lock
        started = time.monotonic()
        refused = browser.post(url, form)
        waited = time.monotonic() - started
        reading = browser.get(f"{welcome}/pages/1")  # readers are not blocked under WAL
        review_token = csrf_token(browser.get(f"{welcome}/review").text)
        not_submitted = browser.post(f"{welcome}/review", {"csrf_token": review_token})
    finally:
        locker.rollback()
        locker.close()
    assert _unavailable(refused, NOT_SAVED) and _shows_answers(refused.text, plan, 2)
    assert waited >= 4.5  # it waited for the lock (busy_timeout) before giving up
    assert reading.status == 200 and _shows_answers(reading.text, plan, 1)
    assert _unavailable(not_submitted, "not submitted yet")
    assert set(checks.draft_answers(app, _invitation_id(welcome))) == set(plan.answers(0))
    assert browser.post(url, form | {"csrf_token": csrf_token(refused.text)}).status == 302
    assert checks.stored(app).responses == 0
