"""(a) Fifty raters submit at the same moment through gunicorn: each stored once, none failed."""

from __future__ import annotations

import time
from collections import Counter

from reliability import checks
from reliability.raters import run_raters

RATERS = 50
SECONDS = 150  # bound on the run; it takes a fraction of this


def test_fifty_raters_submitting_at_once_are_each_stored_exactly_once(app, server, rater_plans):
    plans = rater_plans(count=1, per_round=RATERS)  # one round, the most contended case
    started = time.monotonic()
    outcomes = run_raters(server.port, plans, concurrency=RATERS, seconds=SECONDS)
    elapsed = time.monotonic() - started

    failed = [o for o in outcomes if o.gave_up or o.server_errors or o.interrupted]
    assert not failed, (failed[:3], server.log_tail())
    assert len(outcomes) == RATERS and all(o.acknowledged for o in outcomes)

    held = checks.stored(app)
    assert held.responses == held.used_invitations == RATERS
    assert held.fingerprints == Counter(range(RATERS))  # each submission exactly once
    assert held.comments == Counter(p.comment for p in plans)
    assert checks.problems(app) == []
    requests = sum(len(o.statuses) for o in outcomes)
    print(f"\n{RATERS} raters, {requests} requests in {elapsed:.1f} s")
