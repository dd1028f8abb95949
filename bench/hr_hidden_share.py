"""Share of HR unit figures that the disclosure rules hide, on an existing database.

    COACH_DATABASE_URL=sqlite:////tmp/x.db .venv/bin/python bench/hr_hidden_share.py [--units 300]

Counts, through the real API (``GET /api/v1/hr/summary``) signed in as an HR account it
creates (``bench-hr@example.org``), how many scale figures of a unit are shown against how
many exist: a scale of a unit, in a half-year, for one source (self, or others under one
rater group) *exists* when at least one person of the unit has a score for it
(``hr_slice_stats``), and is *shown* when the unit's own view carries it. Half-years only
(each person's "latest" was a view of its own before and is not counted), rater groups
``*`` and ``peer`` (offered before and after). Units: the organisation and a seeded random
sample of ``--units`` units. The same script runs against an older checkout to compare.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from sqlalchemy import select

PASSWORD = "bench hr password 1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from coach import create_app
    from coach.extensions import db, limiter
    from coach.models import OrgUnit, Role, User, hr_slice_stats
    from coach.services.accounts import accounts

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        limiter.enabled = False
        if db.session.scalar(select(User).where(User.email == "bench-hr@example.org")) is None:
            accounts.create_user(
                db.session,
                accounts.NewAccount(
                    email="bench-hr@example.org", name="Bench Hr", role=Role.HR, password=PASSWORD
                ),
            )
        units = db.session.execute(select(OrgUnit.id, OrgUnit.public_id)).all()
        rng = random.Random(args.seed)
        sample = rng.sample(units, min(args.units, len(units)))
        s = hr_slice_stats.c
        cycles = sorted(c for (c,) in db.session.execute(select(s.cycle).distinct()) if c != 0)
        scale_columns = [
            c for c in hr_slice_stats.columns if c.name[:1] == "n" and c.name[1:].isdigit()
        ]
        existing: dict[tuple[int, int, str, str], int] = {}
        for row in db.session.execute(
            select(s.unit_id, s.cycle, s.source, s.rater_group, *scale_columns).where(
                s.archetype == "*", s.rater_group.in_(["*", "peer"]), s.cycle != 0
            )
        ):
            existing[(row[0], row[1], row[2], row[3])] = sum(1 for n in row[4:] if n)
    client = app.test_client()
    client.post("/sign-in", data={"email": "bench-hr@example.org", "password": PASSWORD})
    possible = shown = 0
    for unit_id, public_id in [(0, None), *sample]:
        for cycle in cycles:
            for group in ("*", "peer"):
                query = f"/api/v1/hr/summary?cycle={cycle}&rater_group={group}"
                if public_id:
                    query += f"&unit={public_id}"
                body = client.get(query).get_json()
                for source in ("self", "others"):
                    if source == "self" and group != "*":
                        continue
                    possible += existing.get((unit_id, cycle, source, group), 0)
                    block = (body or {}).get(source) or {}
                    shown += len(block.get("scales", [])) if block.get("shown") else 0
    result = {
        "units_sampled": len(sample) + 1,
        "half_years": cycles,
        "figures": possible,
        "shown": shown,
        "hidden_share": round(1 - shown / possible, 4) if possible else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
