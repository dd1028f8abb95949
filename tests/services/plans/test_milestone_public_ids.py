"""Milestones carry a random public id: given to old rows by migration 0007, used by the service.

The migration test moves the test database down to 0006 and back up to the newest revision
(on SQLite through batch mode, on PostgreSQL in place), so it ends where it started.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from coach.extensions import db
from coach.instruments_registry import (
    action_libraries,
    action_library,
    default_instrument,
    instruments,
)
from coach.models import Goal, Milestone, User
from coach.services.plans import development_plans as plans
from coach.services.plans import goals as plan_goals

from plan_helpers import goal_draft, submit_assessment

BEFORE = "0006_analytics"  # the revision before milestones had a public id
RANDOM = r"^[A-Za-z0-9_-]{16}$"  # secrets.token_urlsafe(12)
TODAY = date.today()


def _goal_with_milestones(email: str) -> Goal:
    owner = db.session.scalar(select(User).where(User.email == email))
    plan = plans.start_plan(
        db.session,
        owner,
        plans.plan_start(db.session, owner, instruments(), action_libraries()),
        ["delegation"],
    )
    draft = goal_draft("First decision handed over", "Brief the team")
    library = action_library(default_instrument().id)
    return plan_goals.add_goal(db.session, plan, draft, default_instrument(), library, TODAY)


@pytest.fixture
def two_goals(app: Flask, make_user) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Two people's goals with two milestones each; their ids."""
    ids = []
    for email in ("maya@example.org", "otto@example.org"):
        make_user(email)
        with app.app_context():
            submit_assessment(email, {"delegation": 2})
            ids.append(_goal_with_milestones(email).id)
            db.session.remove()
    return ids[0], ids[1]


def test_a_milestone_is_found_by_its_public_id_within_its_own_goal_only(app, two_goals):
    mine, theirs = two_goals
    with app.app_context():
        goal, other = db.session.get(Goal, mine), db.session.get(Goal, theirs)
        first = goal.milestones[0]
        plan_goals.set_milestone_done(db.session, goal, first.public_id, True)
        assert db.session.get(Milestone, first.id).done
        for wrong in (other.milestones[0].public_id, str(first.id), ""):
            with pytest.raises(plans.PlanError, match="not part of this goal"):
                plan_goals.set_milestone_done(db.session, goal, wrong, True)
        assert not other.milestones[0].done


def test_new_milestones_get_distinct_random_public_ids(app, two_goals):
    with app.app_context():
        public_ids = list(db.session.scalars(select(Milestone.public_id)))
    assert len(public_ids) == len(set(public_ids)) == 4
    assert all(re.match(RANDOM, p) for p in public_ids)


def _columns(table: str) -> dict[str, dict]:
    return {c["name"]: c for c in inspect(db.engine).get_columns(table)}


def _unique_column_sets(table: str) -> list[list[str]]:
    inspector = inspect(db.engine)
    sets = [u["column_names"] for u in inspector.get_unique_constraints(table)]
    return sets + [i["column_names"] for i in inspector.get_indexes(table) if i["unique"]]


def test_migration_0007_gives_existing_milestones_random_ids_and_downgrades(
    app, two_goals, loggers_kept
):
    goal_id = two_goals[0]
    with app.app_context():
        db.session.remove()
        try:
            downgrade(revision=BEFORE)
            assert "public_id" not in _columns("milestone")
            with db.engine.begin() as conn:  # a milestone saved by the code of revision 0006
                conn.execute(
                    text(
                        "INSERT INTO milestone (goal_id, title, due_date, done) "
                        "VALUES (:goal, 'Saved before the upgrade', :due, :done)"
                    ),
                    {"goal": goal_id, "due": TODAY + timedelta(days=7), "done": False},
                )
        finally:
            upgrade()
        column = _columns("milestone")["public_id"]
        assert column["nullable"] is False
        assert ["public_id"] in _unique_column_sets("milestone")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, public_id FROM milestone")).all()
        public_ids = [public_id for _, public_id in rows]
        assert len(rows) == 5 and len(set(public_ids)) == 5
        assert all(re.match(RANDOM, p) for p in public_ids)
        for duplicate in (None, public_ids[0]):  # the database itself refuses both
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO milestone (public_id, goal_id, title, due_date, done) "
                        "VALUES (:public_id, :goal, 'x', :due, :done)"
                    ),
                    {"public_id": duplicate, "goal": goal_id, "due": TODAY, "done": False},
                )
        goal = db.session.get(Goal, goal_id)
        assert len(goal.milestones) == 3  # the ORM reads the migrated rows as usual
        db.session.remove()
