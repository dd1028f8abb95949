"""Shared fixtures: a migrated database per test session, emptied after each test.

COACH_TEST_DATABASE chooses the database: "sqlite" (the default) uses a file in a temporary
folder; a PostgreSQL URL names a server on which a fresh database is created for the run
and dropped at its end.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coach.extensions import db, limiter

# CI replays the same examples every run, so a red build always means a change broke
# something; locally hypothesis keeps exploring new examples.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database for this test session."""
    choice = os.environ.get("COACH_TEST_DATABASE", "sqlite")
    if choice == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'coach-test.db'}"
        return
    server = make_url(choice).set(drivername="postgresql+psycopg")
    name = f"coach_test_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on the test database, migrated with Alembic (the only schema path)."""
    instance = tmp_path_factory.mktemp("instance")
    os.environ["COACH_INSTANCE_DIR"] = str(instance)
    os.environ["COACH_DATABASE_URL"] = database_url
    from flask_migrate import upgrade

    from coach import create_app

    application = create_app({"TESTING": True})
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that touched the database leaves it empty for the next one."""
    yield
    if "app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        limiter.reset()  # rate-limit counts belong to one test
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context for service-level tests."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client with cookies."""
    return app.test_client()


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    """Create a person directly through the accounts service."""
    from coach.models import Role
    from coach.services.accounts import accounts

    def make(email: str = "maya@example.org", role: str = "manager", name: str = "Maya Lind"):
        with app.app_context():
            user = accounts.create_user(
                db.session,
                accounts.NewAccount(email=email, name=name, role=Role(role), password=PASSWORD),
            )
            return user.email

    return make


class Auth:
    """Signs a test client in and out the way a person would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def sign_in(self, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        page = self.client.get("/sign-in")
        return self.client.post(
            "/sign-in",
            data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        )

    def post(self, url: str, data: dict[str, str] | None = None, page: str = "/"):  # type: ignore[no-untyped-def]
        """POST with the CSRF token taken from ``page`` (a page the person has open)."""
        token = csrf_from(self.client.get(page).text)
        return self.client.post(url, data={**(data or {}), "csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    """Sign-in helper bound to the test client."""
    return Auth(client)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests need Chromium: skip them without it, except in CI where that fails."""
    if Path("/usr/bin/chromium").exists() or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def is_checked(html: str, name: str, value: str) -> bool:
    """True when the radio ``name`` with ``value`` is rendered checked (attributes sorted)."""
    field, answer = re.escape(name), re.escape(value)
    pattern = rf'<input checked id="{field}-\d+" name="{field}" type="radio" value="{answer}"'
    return re.search(pattern, html) is not None


@pytest.fixture
def loggers_kept() -> Iterator[None]:
    """Alembic's env.py re-reads its logging file, which disables every logger it does not
    name; put them back so later tests still see the application's log records."""
    manager = logging.Logger.manager
    disabled = {
        name: logger.disabled
        for name, logger in manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    for name, was in disabled.items():
        logging.getLogger(name).disabled = was
