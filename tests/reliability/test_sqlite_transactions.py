"""SQLite: writers that read first queue on BEGIN IMMEDIATE instead of failing to upgrade."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from coach import db_sqlite
from coach.extensions import db

WRITERS, ROUNDS = 8, 15


def _counter(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=5000")

    db_sqlite.install(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
        conn.exec_driver_sql("INSERT INTO counter VALUES (1, 0)")
    return engine


def _increment_concurrently(engine: Engine, marked: bool) -> list[Exception]:
    """WRITERS threads each read the counter, pause, and write it back plus one."""
    failures: list[Exception] = []
    start = threading.Barrier(WRITERS)

    def writer() -> None:
        start.wait(timeout=10)
        for _ in range(ROUNDS):
            try:
                with Session(engine) as session:
                    if marked:
                        db_sqlite.begin_immediate(session)
                    value = session.execute(text("SELECT value FROM counter")).scalar_one()
                    time.sleep(0.001)  # widen the window between the read and the write
                    session.execute(text("UPDATE counter SET value = :v"), {"v": value + 1})
                    session.commit()
            except Exception as exc:  # collected and asserted on
                failures.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def _value(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT value FROM counter").scalar_one())


def test_marked_writers_read_under_the_lock_so_no_update_is_lost(tmp_path):
    engine = _counter(tmp_path / "marked.db")
    assert _increment_concurrently(engine, marked=True) == []
    assert _value(engine) == WRITERS * ROUNDS
    engine.dispose()


def test_unmarked_writers_never_fail_on_a_lock_upgrade(tmp_path):
    engine = _counter(tmp_path / "lazy.db")
    # Their reads ran outside the transaction, so increments may be lost (that is what the
    # marker is for), but no transaction started as a reader, so none failed to upgrade.
    assert _increment_concurrently(engine, marked=False) == []
    assert 0 < _value(engine) <= WRITERS * ROUNDS
    engine.dispose()


def test_the_app_engine_begins_immediate_only_when_a_write_starts(app):
    with app.app_context():
        session = db.session()
        if db.engine.dialect.name != "sqlite":
            db_sqlite.begin_immediate(session)  # a no-op on PostgreSQL
            session.rollback()
            pytest.skip("the recipe is SQLite's")

        def raw():  # type: ignore[no-untyped-def]
            # The driver connection this transaction holds (after a rollback it may be another).
            return session.connection().connection.dbapi_connection

        assert raw().isolation_level is None  # the driver no longer begins on its own
        session.execute(text("SELECT count(*) FROM user_account"))
        assert not raw().in_transaction  # a read takes no lock
        db_sqlite.begin_immediate(session)
        assert raw().in_transaction  # the write lock is held from here
        session.rollback()
        session.execute(text("DELETE FROM user_account WHERE id = -1"))
        assert raw().in_transaction  # an unmarked write began IMMEDIATE just before itself
        session.rollback()
        db.session.remove()
