"""HR plan figures: whatever HR collects from every view, no 1 to 4 people can be isolated.

The organisation is built so that the old per-page rule (a unit against its parent only)
leaked: Acme has one person of its own next to Ops, Sales and Labs, and the whole
organisation has one person in no unit next to Acme and Beyond. HR then reads every view it
can reach (each unit's dashboard, the organisation's, the API and the CSV, with and without
filters), and the independent auditor checks by rank which small groups the figures reveal.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from coach.extensions import db
from coach.instruments_registry import (
    action_libraries,
    action_library,
    default_instrument,
    instruments,
)
from coach.services.people import directory
from coach.services.plans import development_plans as plans
from coach.services.plans import goals as plan_goals

from disclosure_audit import disclosed_groups
from hr_builders import person
from plan_helpers import goal_draft, submit_assessment, user

TODAY = date.today()
FLOOR = 5
UNITS = {  # unit path (None: in no unit) -> people directly in it, each with an active plan
    None: 1,
    "Acme": 1,
    "Acme/Ops": 5,
    "Acme/Sales": 5,
    "Acme/Labs": 0,
    "Acme/Labs/Alpha": 5,
    "Acme/Labs/Beta": 3,
    "Beyond": 5,
}
FILTERS = ({}, {"rater_group": "peer"}, {"rater_group": "direct_report", "archetype": "x"})
PEOPLE = re.compile(r"<dt>People with an active plan</dt><dd>(\d+)</dd>")


def _plan_for(email: str, n: int) -> None:
    submit_assessment(email)
    owner = user(email)
    start = plans.plan_start(db.session, owner, instruments(), action_libraries())
    assert start is not None
    plan = plans.start_plan(db.session, owner, start, ["delegation"])
    draft = goal_draft(start=TODAY - timedelta(days=28))
    library = action_library(default_instrument().id)
    goal = plan_goals.add_goal(db.session, plan, draft, default_instrument(), library, TODAY)
    if n % 2:
        plan_goals.record_checkin(db.session, goal, 6, TODAY, "", TODAY)  # on track


def _organisation(app) -> tuple[dict[str | None, str | None], dict[str | None, set[str]]]:  # type: ignore[no-untyped-def]
    """Units by path with their public ids, and the people in each unit and below it."""
    members: dict[str | None, set[str]] = {path: set() for path in UNITS}
    with app.app_context():
        n = 0
        for path, size in UNITS.items():
            if path is not None:
                directory.ensure_unit(db.session, path)
            for _ in range(size):
                email = f"p{n}@example.org"
                person(email, path)
                _plan_for(email, n)
                for above in members:
                    if above is None or (path and (path + "/").startswith(above + "/")):
                        members[above].add(email)
                n += 1
        ids = {
            path: directory.ensure_unit(db.session, path).public_id if path else None
            for path in UNITS
        }
        db.session.commit()
    return ids, members


def _views(client, unit: str | None) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    """The people-with-a-plan figure of one unit in every view and filter HR can request."""
    seen = []
    for extra in FILTERS:
        query = {**extra, **({"unit": unit} if unit else {})}
        page = client.get("/hr/dashboard", query_string=query)
        assert page.status_code == 200
        found = PEOPLE.search(page.text)
        seen.append(("page", int(found.group(1)) if found else None))
        plans_json = client.get("/api/v1/hr/summary", query_string=query).get_json()["plans"]
        seen.append(("api", plans_json["people"] if plans_json["shown"] else None))
        export = client.get("/hr/dashboard/export.csv", query_string={**query, "figure": "plans"})
        rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
        count = [int(r["n"]) for r in rows if r["item"] == "people_with_active_plan"]
        seen.append(("csv", count[0] if count else None))
    return seen


def test_no_group_of_one_to_four_planners_can_be_worked_out_from_every_hr_view(
    app, auth, make_user
):
    ids, members = _organisation(app)
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))
    shown_sets, shown_units = [], []
    for path, public_id in ids.items():
        figures = {value for _, value in _views(auth.client, public_id)}
        assert len(figures) == 1, (path, figures)  # shown in every view and filter, or in none
        value = figures.pop()
        if value is not None:
            assert value == len(members[path])
            shown_sets.append(frozenset(members[path]))
            shown_units.append(path)
    everyone = set().union(*members.values())
    assert disclosed_groups(shown_sets, everyone, FLOOR) == []
    # The organisation, Acme and Labs stay visible; one of Acme's two 5-person teams and
    # Beyond give way so that Acme's own person and the person in no unit stay hidden.
    assert {None, "Acme", "Acme/Labs"} <= set(shown_units)
    assert not {"Beyond", "Acme/Labs/Alpha", "Acme/Labs/Beta"} & set(shown_units)
    assert len({"Acme/Ops", "Acme/Sales"} & set(shown_units)) == 1


def test_goal_counts_of_a_shown_unit_are_the_same_in_the_page_the_api_and_the_csv(
    app, auth, make_user
):
    ids, members = _organisation(app)
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))
    labs = ids["Acme/Labs"]
    api = auth.client.get("/api/v1/hr/summary", query_string={"unit": labs}).get_json()["plans"]
    assert api["shown"] and api["people"] == len(members["Acme/Labs"]) == 8
    assert api["goals"] == 8 and api["goals_by_status"]["on_track"] == 4
    export = auth.client.get(
        "/hr/dashboard/export.csv", query_string={"unit": labs, "figure": "plans"}
    )
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(export.get_data(as_text=True)))}
    assert rows["goals_on_track"]["value"] == "4"
    page = auth.client.get("/hr/dashboard", query_string={"unit": labs}).text
    assert "<dt>Goals</dt><dd>8</dd>" in page
    alpha = auth.client.get("/hr/dashboard", query_string={"unit": ids["Acme/Labs/Alpha"]}).text
    assert PEOPLE.search(alpha) is None  # 5 people, but 3 left beside them in Labs
