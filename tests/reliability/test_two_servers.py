"""Two app servers, one PostgreSQL database and one Redis: what a load balancer relies on.

Two gunicorn servers (on two ports, as if on two machines) share the test database, the
limiter's Redis and an SMTP server. A person signed in on one is signed in on the other, the
rate limits count both, a rater's saved draft opens on the other, and every message in the
outbox is delivered exactly once although both servers' senders work on it. Two
``flask db upgrade`` started together migrate once. Each server's workers add their metrics
up (prometheus-client multiprocess mode).
"""

from __future__ import annotations

import asyncio
import http.client
import re
import secrets
import time
from collections.abc import Iterator

import pytest
import redis
from aiosmtpd.controller import Controller
from sqlalchemy import select, text

from coach import mail
from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import MessageStatus, OutboxMessage, User
from coach.services.feedback import rounds
from reliability.commands import ScratchDatabase, start_flask
from reliability.conftest import BASE, ON_POSTGRES, tagged_url
from reliability.raters import Browser, RaterPlan, csrf_token
from reliability.server import Gunicorn

from conftest import PASSWORD, is_checked
from smtp_server import Inbox, free_port

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="several app servers need a database server: run with COACH_TEST_DATABASE=postgresql://",
)

REDIS_URL = "redis://127.0.0.1:6379/11"  # a Redis database of these tests' own, emptied by them
METRICS_TOKEN = "two-servers-metrics-token-" + "0" * 16
SMTP_SECONDS_PER_MESSAGE = 0.2  # slow enough that both servers' senders overlap
DELIVERY_SECONDS = 120


class SlowInbox(Inbox):
    """An SMTP inbox that takes its time over each message."""

    def __init__(self) -> None:
        super().__init__()
        self.port = free_port()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        await asyncio.sleep(SMTP_SECONDS_PER_MESSAGE)
        return await super().handle_DATA(server, session, envelope)


class Configured(Gunicorn):
    """A gunicorn server with extra settings (Redis, SMTP, metrics)."""

    def __init__(self, extra: dict[str, str], *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.extra = extra

    def environment(self) -> dict[str, str]:
        """The usual environment plus this server's own settings."""
        return super().environment() | self.extra


@pytest.fixture(scope="module")
def inbox() -> Iterator[SlowInbox]:
    """A real SMTP server both app servers send to."""
    slow = SlowInbox()
    controller = Controller(slow, hostname="127.0.0.1", port=slow.port)
    controller.start()
    yield slow
    controller.stop()


@pytest.fixture(scope="module")
def pair(app, database_url, inbox, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Two servers on one database and one Redis, started together, stopped after."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    servers = []
    for label in ("a", "b"):
        folder = tmp_path_factory.mktemp(f"server-{label}")
        metrics_dir = folder / "prometheus"
        metrics_dir.mkdir()
        name = f"coach-two-servers-{label}-{secrets.token_hex(3)}"
        extra = {
            "COACH_REDIS_URL": REDIS_URL,
            "COACH_SMTP_HOST": "127.0.0.1",
            "COACH_SMTP_PORT": str(inbox.port),
            "COACH_METRICS_TOKEN": METRICS_TOKEN,
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        }
        servers.append(Configured(extra, tagged_url(database_url, name), folder, 2, name))
    try:
        for server in servers:
            server.start()
        yield tuple(servers)
    finally:
        for server in servers:
            server.stop()
        redis.Redis.from_url(REDIS_URL).flushdb()


def _sign_in(browser: Browser, email: str) -> int:
    form = {
        "email": email,
        "password": PASSWORD,
        "csrf_token": csrf_token(browser.get("/sign-in").text),
    }
    return browser.post("/sign-in", form).status


def test_a_session_made_on_one_server_is_valid_on_the_other(pair, make_user):
    a, b = pair
    email = make_user("maya@example.org", name="Maya Lind")
    person = Browser(a.port)
    assert _sign_in(person, email) == 302
    person.port = b.port  # the load balancer sends the next request elsewhere
    home = person.get("/")
    assert home.status == 200 and "Maya Lind" in home.text
    assert Browser(b.port).get("/").status == 302  # without the cookie: off to sign in


def test_rate_limits_count_requests_to_both_servers(pair):
    a, b = pair
    redis.Redis.from_url(REDIS_URL).flushdb()
    person = Browser(a.port)
    token = csrf_token(person.get("/forgot-password").text)
    form = {"email": "nobody@example.org", "csrf_token": token}
    statuses = []
    for turn in range(6):  # the page allows 5 a minute from one address
        person.port = (a, b)[turn % 2].port
        statuses.append(person.post("/forgot-password", form).status)
    assert statuses == [302, 302, 302, 302, 302, 429]  # B had seen only two of its own


def _open_round(app, make_user, tag: str, raters: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Open a round with ``raters`` invitations queued in the outbox; their addresses."""
    with app.app_context():
        email = make_user(f"{tag}-subject@example.org", name=f"Subject {tag}")
        subject = db.session.scalar(select(User).where(User.email == email))
        found = rounds.start_round(
            db.session, subject, default_instrument(), rounds.default_deadline()
        )
        invited = [(f"Rater {n}", f"{tag}-rater{n}@example.org", "peer") for n in range(raters)]
        rounds.nominate(db.session, found, invited, BASE, trusted=True)
        rounds.open_round(db.session, found, BASE, 3)
        db.session.remove()
    return [address for _, address, _ in invited]


def _link_in_mail(inbox: Inbox, address: str) -> str:
    """The link path in the invitation e-mailed to ``address`` (waits for it, bounded)."""
    deadline = time.monotonic() + DELIVERY_SECONDS
    while time.monotonic() < deadline:
        for message in inbox.to(address):
            found = re.search(
                rf"{re.escape(BASE)}(/r/[\w-]+)", message.get_payload(decode=True).decode()
            )
            if found:
                return found.group(1)
        time.sleep(0.25)
    raise AssertionError(f"no invitation reached {address}")


def test_a_rater_saves_on_one_server_and_resumes_on_the_other(app, pair, make_user, inbox):
    a, b = pair
    address = _open_round(app, make_user, "resume", 3)[0]
    link = _link_in_mail(inbox, address)  # as the rater gets it: by e-mail, from either server
    with app.app_context():
        instrument = default_instrument()
        pages = [[item.id for item in instrument.items_on(p)] for p in instrument.pages]
    answers = RaterPlan(link, 7, pages).answers(0)
    first = Browser(a.port)
    welcome = first.get(link).location
    page = first.get(f"{welcome}/pages/1")
    form = answers | {"action": "save", "comment": "resume-me", "csrf_token": csrf_token(page.text)}
    assert first.post(f"{welcome}/pages/1", form).location.endswith("/saved")

    later = Browser(b.port)  # another day, the same e-mail link, the other server
    assert later.get(link).location == welcome
    resumed = later.get(f"{welcome}/pages/1")
    assert resumed.status == 200 and "resume-me" in resumed.text
    assert all(is_checked(resumed.text, item, value) for item, value in answers.items())


def _sender_pids(inbox: Inbox) -> set[int]:
    """The process ids in the Message-ID headers (Python's make_msgid puts them there)."""
    found = set()
    for message in inbox.messages:
        match = re.match(r"<\d+\.(\d+)\.", message["Message-ID"])
        assert match, message["Message-ID"]
        found.add(int(match.group(1)))
    return found


def test_every_outbox_message_is_delivered_once_by_two_servers(app, pair, make_user, inbox):
    a, b = pair
    inbox.messages.clear()
    redis.Redis.from_url(REDIS_URL).flushdb()  # the limit test used up the reset page's limit
    make_user("maya@example.org", name="Maya Lind")
    invited = _open_round(app, make_user, "mail-a", 15) + _open_round(app, make_user, "mail-b", 15)
    # A reset request commits mail on each server, which wakes that worker's sender at once.
    for server in (a, b):
        person = Browser(server.port)
        token = csrf_token(person.get("/forgot-password").text)
        asked = person.post("/forgot-password", {"email": "maya@example.org", "csrf_token": token})
        assert asked.status == 302

    deadline = time.monotonic() + DELIVERY_SECONDS
    with app.app_context():
        while time.monotonic() < deadline:
            waiting = db.session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.status != MessageStatus.DELIVERED)
            ).all()
            db.session.rollback()
            if not waiting:
                break
            time.sleep(0.5)
        outbox = db.session.scalars(select(OutboxMessage)).all()
        queued = sorted((m.to_address, m.subject) for m in outbox)
        attempts = {m.attempts for m in outbox}
        db.session.remove()
    assert all(m.status == MessageStatus.DELIVERED for m in outbox), "not all delivered in time"
    assert len(outbox) == len(invited) + 2
    received = [(m["To"], m["Subject"]) for m in inbox.messages]
    # Delivered rater mail keeps no recipient, so the invitations are matched on the inbox side:
    # every invited address got exactly one message, and the rest match the outbox.
    assert sorted(to for to, _ in received if to in invited) == sorted(invited)
    # Only this test's recipients: a sender of the file's earlier test may still hand over
    # a message it had claimed before that test's rows were removed.
    ours = {to for to, _ in queued}
    others = sorted(r for r in received if r[0] not in invited and r[0] in ours)
    assert others == [q for q in queued if q[0] != mail.RATER_ADDRESS_GONE], (
        "a message was lost or sent twice"
    )
    assert attempts == {1}
    senders = _sender_pids(inbox)
    assert senders & set(a.worker_pids()) and senders & set(b.worker_pids()), (
        "one server delivered everything: the two senders never overlapped"
    )


def _count(page: str, endpoint: str) -> float:
    pattern = (
        rf'coach_http_requests_total\{{endpoint="{endpoint}",method="GET",status="200"\}} (\S+)'
    )
    found = re.search(pattern, page)
    return float(found.group(1)) if found else 0.0


def _scrape(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        return connection.getresponse().read().decode()
    finally:
        connection.close()


def test_metrics_add_up_every_worker_of_a_server(pair):
    a, _ = pair
    before = _count(_scrape(a.port), "health.healthz")
    for _ in range(20):
        assert Browser(a.port).get("/healthz").status == 200
    counts = {_count(_scrape(a.port), "health.healthz") for _ in range(6)}
    assert counts == {before + 20}, counts  # the same total whichever worker answers


def test_two_migrations_started_together_upgrade_the_schema_once(database_url, tmp_path):
    scratch = ScratchDatabase(database_url, tmp_path, f"coach_migrate_{secrets.token_hex(4)}")
    try:
        both = [start_flask(scratch.url, tmp_path, "db", "upgrade") for _ in range(2)]
        outputs = [process.communicate(timeout=300)[0] for process in both]
        assert [process.returncode for process in both] == [0, 0], outputs
        ran = [output.count("Running upgrade") for output in outputs]
        assert sorted(ran)[0] == 0 and sorted(ran)[1] > 0, ran  # one migrated, one found it done
        engine = scratch.engine()
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        engine.dispose()
        assert len(versions) == 1
    finally:
        scratch.drop()
