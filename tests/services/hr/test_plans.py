"""HR plan figures read the whole unit tree with a fixed number of queries, whatever its size."""

from __future__ import annotations

from coach.extensions import db
from coach.instruments_registry import action_libraries, instruments
from coach.services.hr.plans import plan_figures, plan_tree
from coach.services.people import directory
from coach.services.plans import development_plans as plans

from hr_builders import person, statements_sent
from plan_helpers import submit_assessment


def _planners(unit_path: str, count: int) -> None:
    for n in range(count):
        owner = person(f"{unit_path.replace('/', '.').lower()}{n}@example.org", unit_path)
        submit_assessment(owner.email)
        start = plans.plan_start(db.session, owner, instruments(), action_libraries())
        assert start is not None
        plans.start_plan(db.session, owner, start, ["delegation"])


def _queries_for(unit_path: str) -> int:
    unit = directory.ensure_unit(db.session, unit_path)
    db.session.commit()
    db.session.expire_all()
    with statements_sent() as seen:
        assert plan_figures(db.session, unit)["shown"]
    return len(seen)


def test_plan_figures_cost_the_same_queries_for_a_tree_of_3_or_60_units(ctx):
    _planners("Acme/Ops", 5)
    small = _queries_for("Acme/Ops")
    for n in range(20):  # 60 more units, nested three deep, none with a plan
        directory.ensure_unit(db.session, f"Acme/Area {n}/Team/Squad")
    db.session.commit()
    assert _queries_for("Acme/Ops") == small <= 6  # tree, counts, the unit, 3 for figures
    assert plan_tree(db.session).totals["0"] == 5
