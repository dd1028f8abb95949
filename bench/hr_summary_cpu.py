"""CPU of one HR summary view, cold (the protected table decided) and warm (reused).

    COACH_DATABASE_URL=sqlite:////tmp/coach-hr-bench/sqlite-100000/hr.db \\
        .venv/bin/python bench/hr_summary_cpu.py [--repeat 5]

Runs ``hr_dashboard.summary`` for the whole organisation in one process with the
application's protection cache: the first call decides the whole table (cold), the others
reuse it (warm). Prints the CPU time of each call, in seconds, as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from coach import create_app
    from coach.extensions import db
    from coach.hr_cache import protection_cache
    from coach.instruments_registry import default_instrument
    from coach.services.hr import dashboard as hr_dashboard

    app = create_app({"TESTING": True})
    with app.app_context():
        instrument = default_instrument()
        found = hr_dashboard.options(db.session, instrument.id)
        cpu = []
        for _ in range(args.repeat):
            started = time.process_time()
            hr_dashboard.summary(
                db.session, instrument, hr_dashboard.Filters(), found, protection_cache()
            )
            cpu.append(round(time.process_time() - started, 4))
    print(json.dumps({"cold_s": cpu[0], "warm_s": cpu[1:]}))


if __name__ == "__main__":
    main()
