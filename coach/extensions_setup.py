"""Binds the extension instances to an application."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from coach import (
    ratelimit_storage,  # noqa: F401  (registers the coachdb:// limiter store)
    request_limits,
)
from coach.db_sqlite import register as register_sqlite_transactions
from coach.extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = __file__.rsplit("/", 1)[0] + "/migrations"


def register_extensions(app: Flask) -> None:
    """init_app for every extension, in dependency order."""
    db.init_app(app)
    register_sqlite_transactions(app)  # SQLite writers begin IMMEDIATE (coach/db_sqlite.py)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    request_limits.register(app)  # before CSRF: nothing reads a body before its limits apply
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from coach.models import User

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        return db.session.scalar(
            db.select(User).where(User.session_token == session_token, User.active.is_(True))
        )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # type: ignore[no-untyped-def]
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
