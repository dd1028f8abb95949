"""(b) Workers killed with SIGKILL under load: nothing acknowledged is lost, nothing half-written.

Raters keep submitting while a worker is killed every two seconds. A request cut off by a
kill is retried the way a person would press the button again. A submission cut off after
its commit was stored but never acknowledged, so the invariant is committed >= acknowledged,
with every acknowledged submission stored exactly once and no submission stored twice.
"""

from __future__ import annotations

import random
import threading
import time

from reliability import checks
from reliability.raters import run_raters

ROUNDS, PER_ROUND = 3, 40  # more invitations than the load can use up
CONCURRENCY = 8
LOAD_SECONDS = 20  # no new rater starts after this
KILL_EVERY = 2.0
KILLS = 10  # at most; bounded by LOAD_SECONDS too


def _killer(server, stop: threading.Event, killed: list[int]) -> None:
    chooser = random.Random(6)
    deadline = time.monotonic() + LOAD_SECONDS
    while len(killed) < KILLS and time.monotonic() < deadline and not stop.wait(KILL_EVERY):
        workers = server.worker_pids()
        if workers and server.kill_one_worker(chooser.choice(workers)):
            killed.append(1)


def test_killing_workers_under_load_loses_nothing_acknowledged(app, server, rater_plans):
    plans = rater_plans(count=ROUNDS, per_round=PER_ROUND, tag="kill")
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_killer, args=(server, stop, killed), daemon=True)
    killer.start()
    try:
        outcomes = run_raters(
            server.port, plans, concurrency=CONCURRENCY, seconds=LOAD_SECONDS, retries=5
        )
    finally:
        stop.set()
        killer.join(timeout=10)

    acknowledged = {o.number for o in outcomes if o.acknowledged}
    held = checks.stored(app)
    assert killed, "no worker was killed"
    assert acknowledged, "no submission got through"
    assert held.responses >= len(acknowledged)  # committed >= acknowledged
    assert all(held.fingerprints[n] == 1 for n in acknowledged), "an acknowledged one is missing"
    assert max(held.fingerprints.values()) == 1, "a submission was stored twice"
    assert held.responses == held.used_invitations
    assert checks.problems(app) == []
    assert not [s for o in outcomes for s in o.server_errors], server.log_tail()
    breaks = sum(o.interrupted for o in outcomes)
    print(
        f"\n{len(killed)} workers killed; {len(outcomes)} raters, {len(acknowledged)} "
        f"acknowledged, {held.responses} stored, {breaks} requests cut off and retried, "
        f"{sum(1 for o in outcomes if o.gave_up)} raters stopped short"
    )
