"""SQLite: its connection pragmas, and a transaction takes the write lock with BEGIN
IMMEDIATE, never by upgrading a read.

Every SQLite connection gets WAL, a 5-second busy timeout and enforced foreign keys
(:func:`pragmas`, installed for every engine of the process by :func:`register`).

Why: under WAL, a transaction that starts as a reader (``BEGIN`` or pysqlite's implicit
one) and later writes must upgrade its lock. If another connection committed in between,
or holds the write lock, the upgrade fails at once with "database is locked": the busy
timeout is not consulted for an upgrade. ``BEGIN IMMEDIATE`` takes the write lock up front
and waits for it with the busy timeout, so two writers queue instead of failing.

How (SQLAlchemy's pysqlite recipe): the driver's own transaction handling is switched off
(``isolation_level = None``), and this module emits the ``BEGIN IMMEDIATE`` itself:

* A use case that reads, decides and then writes (a rater's page save merges into the
  saved draft; a self-assessment page save adds the answers it does not hold yet; a
  submission checks the invitation is still unused) calls
  :func:`begin_immediate` before its first read. Its reads then run inside the write
  transaction and see what they are about to change. This is the per-use-case marker.
* Every other transaction stays lazy: its reads run outside any transaction (each
  statement sees the latest commit, as pysqlite did before), and ``BEGIN IMMEDIATE`` is
  emitted just before its first write statement. No transaction ever starts as a reader
  and then upgrades, so an unmarked writer (an audit row on a GET, the mail thread, a CLI
  command) can wait for the lock but never fails on an upgrade.

Rejected: every transaction beginning IMMEDIATE. WAL readers never block each other, but
IMMEDIATE transactions do: every page, read-only or not, would hold the single write lock
from its first query until the request ends (Flask-SQLAlchemy closes the session at
teardown, after rendering), so reads queue behind each other and one slow page makes
writers wait out the busy timeout and fail (bench/README.md, "SQLite transaction policy").

Rejected too: marking by HTTP method (every POST begins IMMEDIATE). A signed-in POST loads
the user first, so the lock would be held while the rate limiter's own connection to the
same file counts the attempt: that request waits out the busy timeout against itself and
fails (bench/README.md, "SQLite transaction policy").

PostgreSQL needs none of this: row locks (the rater's writes select their invitation, a
self-assessment's page saves their assessment, FOR UPDATE) and conditional updates
(``UPDATE ... WHERE state = 'invited'``) do the job, and its engine keeps ``pool_pre_ping``
(config.py) so a connection dropped by the server is replaced at checkout.
:func:`begin_immediate` is a no-op there.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

_WRITE_SQL = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SAVEPOINT)\b", re.I)


def register(app: Flask) -> None:
    """Pragmas on every SQLite connection of the process; the recipe on the application's
    SQLite engines (other dialects untouched). Call after ``coach.extensions.register``."""
    from coach.extensions import db

    if not event.contains(Engine, "connect", pragmas):
        event.listen(Engine, "connect", pragmas)  # the limiter's own engine needs them too
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name == "sqlite":
            install(engine)
            make_private(engine)


def pragmas(dbapi_connection: Any, _record: object) -> None:
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_private(engine: Engine) -> None:
    """Owner-only (0600) database, -wal and -shm files, also where an older run left 0644.

    The files hold password hashes, session tokens and unsent feedback. New files are
    private through the umask the app factory sets; this tightens files made before it.
    """
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(database + suffix)
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except OSError as exc:  # someone else's file: say so, and start anyway
            logging.getLogger(__name__).warning("could not make %s private: %s", path, exc)


def install(engine: Engine) -> None:
    """Driver autocommit off; BEGIN IMMEDIATE before a transaction's first write."""
    if event.contains(engine, "connect", _driver_autocommit_off):
        return
    event.listen(engine, "connect", _driver_autocommit_off)
    event.listen(engine, "before_cursor_execute", _begin_before_first_write)


def begin_immediate(session: Session) -> None:
    """Start the session's write transaction now, so the reads that follow hold the lock.

    Objects loaded before the call are expired and reload inside the transaction. Pending
    changes are flushed first (that flush is itself a write, so it already began IMMEDIATE).
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    session.flush()
    if _in_transaction(connection):
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    session.expire_all()


def _in_transaction(connection: Connection) -> bool:
    return bool(connection.connection.dbapi_connection.in_transaction)  # type: ignore[union-attr]


def _driver_autocommit_off(dbapi_connection: Any, _record: object) -> None:
    # pysqlite would otherwise emit its own deferred BEGIN before DML and commit on its own.
    dbapi_connection.isolation_level = None


def _begin_before_first_write(
    connection: Connection,
    cursor: Any,
    statement: str,
    _parameters: object,
    context: Any,
    _executemany: bool,
) -> None:
    if _in_transaction(connection):
        return
    writes = context is not None and (
        context.isinsert or context.isupdate or context.isdelete or context.isddl
    )
    if writes or _WRITE_SQL.match(statement):
        cursor.execute("BEGIN IMMEDIATE")
