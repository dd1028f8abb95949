"""gunicorn against the test database, and rounds full of raters to send at it.

The server is the real entry point (``wsgi:app``, three sync workers) on 127.0.0.1, using
the very database the ``app`` fixture migrated. On PostgreSQL its connections carry an
``application_name`` (a libpq setting passed in the URL), so a test can find and end them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import OutboxMessage, User
from coach.services.feedback import rounds
from reliability.raters import RaterPlan
from reliability.server import Gunicorn

BASE = "http://coach.test"
ON_POSTGRES = os.environ.get("COACH_TEST_DATABASE", "sqlite") != "sqlite"


def tagged_url(database_url: str, application_name: str) -> str:
    """The test database's URL; on PostgreSQL with an application_name to find its sessions."""
    if not database_url.startswith("postgresql"):
        return database_url
    url = make_url(database_url).update_query_dict({"application_name": application_name})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gunicorn]:
    """gunicorn -w 3 on the test database, shared by the tests that need it, stopped at the end."""
    name = f"coach-reliability-{secrets.token_hex(4)}"
    shared = Gunicorn(tagged_url(database_url, name), tmp_path_factory.mktemp("gunicorn"), 3, name)
    try:
        yield shared.start()
    finally:
        shared.stop()


@pytest.fixture
def serve(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Gunicorn]]:
    """Start more gunicorn servers for one test (a database URL of its own); they stop after."""
    started: list[Gunicorn] = []

    def start(url: str, workers: int = 3, wait_for: str = "/readyz") -> Gunicorn:
        name = f"coach-reliability-{secrets.token_hex(4)}"
        extra = Gunicorn(url, tmp_path_factory.mktemp("gunicorn"), workers, name)
        started.append(extra)
        return extra.start(wait_for)

    yield start
    for extra in started:
        extra.stop()


@pytest.fixture
def rater_plans(app: Flask, make_user) -> Callable[..., list[RaterPlan]]:  # type: ignore[no-untyped-def]
    """Open ``rounds`` rounds of ``per_round`` raters each; one plan per rater, numbered."""

    def open_rounds(count: int, per_round: int, tag: str = "rater") -> list[RaterPlan]:
        plans: list[RaterPlan] = []
        with app.app_context():
            instrument = default_instrument()
            pages = [[item.id for item in instrument.items_on(p)] for p in instrument.pages]
            for r in range(count):
                email = make_user(f"subject{r}@example.org", name=f"Subject {r}")
                subject = db.session.scalar(select(User).where(User.email == email))
                found = rounds.start_round(
                    db.session, subject, instrument, rounds.default_deadline()
                )
                group = ("peer", "direct_report")
                raters = [
                    (f"Rater {r}-{n}", f"r{r}-rater{n}@example.org", group[n % 2])
                    for n in range(per_round)
                ]
                rounds.nominate(db.session, found, raters, BASE, trusted=True)
                rounds.open_round(db.session, found, BASE, 3)
            links = {
                m.to_address: m.link.removeprefix(BASE)
                for m in db.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.kind == "invitation")
                )
            }
            db.session.remove()
        for r in range(count):
            for n in range(per_round):
                link = links[f"r{r}-rater{n}@example.org"]
                plans.append(RaterPlan(link, len(plans), pages, tag))
        return plans

    return open_rounds
