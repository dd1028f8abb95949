"""Liveness and readiness for a load balancer: cheap, unauthenticated, and saying nothing else.

``/healthz`` answers as soon as the process can serve a request. ``/readyz`` also checks that
the database answers, that its schema is at the newest migration and that the instrument files
are loaded. Either page says only "ok" or "not ready"; the reason goes to the server's log.
"""

from __future__ import annotations

import logging

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, Response, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from coach import instruments_registry
from coach.extensions import MIGRATIONS_DIR, db

bp = Blueprint("health", __name__)
log = logging.getLogger("coach.health")
_HEADS = "coach.migration_heads"


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and answering."""
    return _plain("ok", 200)


@bp.get("/readyz")
def readyz() -> Response:
    """Ready for traffic: database reachable, schema at head, instruments loaded."""
    problem = readiness_problem(current_app)
    if problem:
        log.warning("not ready: %s", problem)
        return _plain("not ready", 503)
    return _plain("ok", 200)


def readiness_problem(app: Flask) -> str:
    """Why the app cannot serve yet, for the log; the empty string when it can."""
    if not instruments_registry.loaded(app):
        return "no instrument loaded"
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return f"database unreachable ({type(error).__name__})"
    expected = app.extensions[_HEADS]
    if current != expected:
        return f"schema at {sorted(current) or 'nothing'}, code expects {sorted(expected)}"
    return ""


def register(app: Flask) -> None:
    """Mount the two pages; the migration heads are read from the code once, here."""
    app.extensions[_HEADS] = set(ScriptDirectory(MIGRATIONS_DIR).get_heads())
    app.register_blueprint(bp)
