"""A backup taken while raters keep submitting restores every submission acknowledged before it.

Raters submit through gunicorn in three threads (at most MAX_RATERS of them, for at most
LOAD_SECONDS). Once a few are acknowledged, ``flask --app coach backup`` runs as its own
process; the submissions acknowledged before it started must all be in the copy. The copy is
then restored with ``flask --app coach restore`` into an empty database and read back.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict

import pytest
from sqlalchemy import text

from coach.instruments_registry import default_instrument
from reliability import checks
from reliability.commands import ScratchDatabase, run_flask
from reliability.raters import Browser, fingerprint, take_part

ROUNDS, PER_ROUND = 2, 20
MAX_RATERS, THREADS, LOAD_SECONDS = 40, 3, 30
FIRST_ACKNOWLEDGED, WAIT_SECONDS = 3, 120


@pytest.fixture
def scratch(database_url, tmp_path):  # type: ignore[no-untyped-def]
    """An empty database to restore into, removed after the test."""
    made = ScratchDatabase(database_url, tmp_path, f"coach_restore_{secrets.token_hex(4)}")
    yield made
    made.drop()


def _submit_until_stopped(port, plans, stop, acknowledged, lock):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + LOAD_SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        with lock:
            if not plans:
                return
            plan = plans.pop()
        outcome = take_part(Browser(port), plan)
        if outcome.acknowledged:
            with lock:
                acknowledged.append((plan.number, time.monotonic()))


def _restored_fingerprints(scratch, pages) -> list[int]:  # type: ignore[no-untyped-def]
    engine = scratch.engine()
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT response_id, item_id, value FROM response_answer"))
            answers: dict[str, dict[str, int | None]] = defaultdict(dict)
            for response_id, item_id, value in rows:
                answers[response_id][item_id] = value
    finally:
        engine.dispose()
    return [fingerprint(given, pages) for given in answers.values()]


def _restored_problems(scratch, items: int, scales: int) -> list[str]:  # type: ignore[no-untyped-def]
    engine = scratch.engine()
    try:
        with engine.connect() as conn:
            counts = {
                what: conn.execute(text(sql), {"items": items, "scales": scales}).scalar_one()
                for what, sql in checks.CONSISTENCY.items()
            }
    finally:
        engine.dispose()
    return [f"{count} {what}" for what, count in counts.items() if count]


def test_a_backup_during_submissions_restores_every_one_acknowledged_before_it(
    app, server, rater_plans, database_url, scratch, tmp_path
):
    plans = rater_plans(count=ROUNDS, per_round=PER_ROUND, tag="backup")[:MAX_RATERS]
    queue, acknowledged, lock, stop = list(reversed(plans)), [], threading.Lock(), threading.Event()
    raters = [
        threading.Thread(
            target=_submit_until_stopped,
            args=(server.port, queue, stop, acknowledged, lock),
            daemon=True,
        )
        for _ in range(THREADS)
    ]
    for thread in raters:
        thread.start()
    try:
        waited_until = time.monotonic() + WAIT_SECONDS
        while len(acknowledged) < FIRST_ACKNOWLEDGED and time.monotonic() < waited_until:
            time.sleep(0.05)
        began = time.monotonic()
        with lock:
            before = {number for number, at in acknowledged if at < began}
        made = run_flask(database_url, tmp_path, "backup", str(tmp_path / "backups"))
        finished = time.monotonic()
    finally:
        stop.set()
        for thread in raters:
            thread.join(timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    assert len(before) >= FIRST_ACKNOWLEDGED, "too few submissions before the backup"
    during = [number for number, at in acknowledged if began <= at <= finished]
    (copy,) = (tmp_path / "backups").iterdir()
    assert copy.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only

    restored = run_flask(scratch.url, tmp_path, "restore", str(copy))
    assert restored.returncode == 0, restored.stdout + restored.stderr

    with app.app_context():
        instrument = default_instrument()
        pages = [[item.id for item in instrument.items_on(p)] for p in instrument.pages]
        items, scales = len(instrument.items), len(instrument.scales)
    found = _restored_fingerprints(scratch, pages)
    assert before <= set(found), f"missing after restore: {sorted(before - set(found))}"
    assert len(found) == len(set(found)), "a submission is in the copy twice"
    assert _restored_problems(scratch, items, scales) == []
    print(
        f"\n{len(before)} acknowledged before the backup, {len(during)} while it ran "
        f"({finished - began:.2f} s), {len(acknowledged)} in all; {len(found)} in the copy"
    )


def test_restore_refuses_a_database_that_already_holds_data(app, database_url, scratch, tmp_path):
    made = run_flask(database_url, tmp_path, "backup", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stdout + made.stderr
    (copy,) = (tmp_path / "backups").iterdir()
    assert run_flask(scratch.url, tmp_path, "restore", str(copy)).returncode == 0

    again = run_flask(scratch.url, tmp_path, "restore", str(copy))
    assert again.returncode != 0
    assert "already holds" in again.stderr and "--replace" in again.stderr
    replaced = run_flask(scratch.url, tmp_path, "restore", "--replace", str(copy))
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
