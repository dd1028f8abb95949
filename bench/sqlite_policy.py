"""coach's SQLite transaction policy against "every transaction BEGIN IMMEDIATE", measured.

    .venv/bin/python bench/sqlite_policy.py

Two workloads on a WAL database with coach's pragmas (busy_timeout 5000), each run under
both policies:

* readers: 4 threads, each a request-like read (two queries, 5 ms of "rendering" while the
  session is still open, as Flask-SQLAlchemy keeps it until teardown), for 3 seconds;
  reads/s and p95.
* a long read beside writers: one 6-second read transaction (a big report or export) while
  2 threads write small transactions; writes done, writes failed ("database is locked"),
  slowest write.

Runs in a temporary folder; no server, no network.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from coach import db_sqlite  # after the repository root is put on the path


def make_engine(path: Path, all_immediate: bool) -> Engine:
    engine = create_engine(f"sqlite:///{path}", pool_size=8)

    @event.listens_for(engine, "connect")
    def pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=5000")

    db_sqlite.install(engine)
    if all_immediate:
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
        if not conn.exec_driver_sql("SELECT count(*) FROM t").scalar():
            conn.exec_driver_sql(
                "INSERT INTO t (v) SELECT hex(randomblob(16)) FROM "
                "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                "SELECT i FROM n)"
            )
    return engine


def readers(engine: Engine, threads: int = 4, seconds: float = 3.0) -> tuple[float, float, float]:
    """Request-like reads in parallel: reads/s, p95 ms and slowest ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def read() -> None:
        while time.monotonic() < stop:
            started = time.monotonic()
            with Session(engine) as session:
                session.execute(text("SELECT count(*) FROM t")).scalar()
                session.execute(text("SELECT v FROM t WHERE id < 50")).all()
                time.sleep(0.005)  # rendering, with the session still open
            with lock:
                latencies.append(time.monotonic() - started)

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 30)
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return len(latencies) / seconds, p95, max(latencies) * 1000


def long_read_beside_writers(engine: Engine, hold: float = 6.0) -> tuple[int, int, float]:
    """One long read transaction while two threads write: (done, failed, slowest ms)."""
    done, failed, slowest = 0, 0, 0.0
    lock = threading.Lock()
    stop = time.monotonic() + hold + 1.0

    def long_read() -> None:
        with Session(engine) as session:
            session.execute(text("SELECT count(*) FROM t")).scalar()
            time.sleep(hold)

    def write() -> None:
        nonlocal done, failed, slowest
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                with Session(engine) as session:
                    session.execute(text("INSERT INTO t (v) VALUES ('w')"))
                    session.commit()
                ok = True
            except OperationalError:
                ok = False
            with lock:
                done, failed = done + ok, failed + (not ok)
                slowest = max(slowest, (time.monotonic() - started) * 1000)
            time.sleep(0.01)

    reader = threading.Thread(target=long_read)
    reader.start()
    time.sleep(0.2)
    writers = [threading.Thread(target=write) for _ in range(2)]
    for writer in writers:
        writer.start()
    for thread in [reader, *writers]:
        thread.join(timeout=hold + 30)
    return done, failed, slowest


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, all_immediate in (("coach (lazy + marker)", False), ("all IMMEDIATE", True)):
            engine = make_engine(Path(folder) / f"{all_immediate}.db", all_immediate)
            rate, p95, worst = readers(engine)
            done, failed, slowest = long_read_beside_writers(engine)
            rows.append(
                f"| {name} | {rate:.0f} | {p95:.1f} | {worst:.0f} | {done} | {failed} "
                f"| {slowest:.0f} |"
            )
            engine.dispose()
    print(
        "| policy | reads/s (4 threads) | read p95 ms | slowest read ms | writes done "
        "| writes failed | slowest write ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
