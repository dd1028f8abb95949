"""The plan pages and API: start from suggestions, goals, check-ins, privacy, trends, cycles."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from coach.extensions import db
from coach.models import CheckIn, Goal
from coach.web.api.openapi import openapi_document

from conftest import Auth, csrf_from
from plan_helpers import goal_form, plan_of, set_manager, submit_assessment

OWNER, BOSS, OTHER, HR, SKIP = (
    "maya@example.org",
    "bea@example.org",
    "otto@example.org",
    "hr@example.org",
    "cleo@example.org",
)
TODAY = date.today()


@pytest.fixture
def people(app, make_user):  # type: ignore[no-untyped-def]
    """Maya (owner) reports to Bea, who reports to Cleo; Otto is another manager; HR."""
    make_user(OWNER, "manager", "Maya Lind")
    make_user(BOSS, "manager", "Bea Boss")
    make_user(OTHER, "manager", "Otto Other")
    make_user(SKIP, "manager", "Cleo Top")
    make_user(HR, "hr", "Hana Resources")
    with app.app_context():
        set_manager(OWNER, BOSS)
        set_manager(BOSS, SKIP)
        submit_assessment(OWNER, {"delegation": 2, "vision": 2.5})
        db.session.remove()


def _start_plan(auth: Auth, focus: tuple[str, ...] = ("delegation",)) -> str:
    page = auth.client.get("/plans/").text
    token = csrf_from(page)
    response = auth.client.post("/plans/", data={"focus": list(focus), "csrf_token": token})
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def _add_goal(auth: Auth, plan_url: str, **changes: str):  # type: ignore[no-untyped-def]
    return auth.post(f"{plan_url}/goals/new", goal_form(**changes), page=f"{plan_url}/goals/new")


def _owner_plan_with_goal(app, auth: Auth) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    auth.sign_in(OWNER)
    plan_url = _start_plan(auth)
    assert _add_goal(auth, plan_url).status_code == 302
    with app.app_context():
        goal_id = db.session.scalar(db.select(Goal.public_id))
    return plan_url, goal_id


def test_the_start_page_shows_suggestions_with_reasons_and_actions(app, auth, people):
    auth.sign_in(OWNER)
    page = auth.client.get("/plans/").text
    assert "Choose what to work on" in page
    assert "Delegation and team coordination: you rate yourself 2.0, below the 3.5" in page
    assert page.count('class="action"') >= 3 and "Indicator" in page and "steps" in page
    assert 'name="focus" value="delegation"' in page
    assert 'id="focus-other-communication"' in page  # any other scale can be chosen too


def test_without_an_assessment_the_start_page_asks_for_one_first(app, auth, make_user):
    make_user(OTHER, "manager", "Otto Other")
    auth.sign_in(OTHER)
    page = auth.client.get("/plans/").text
    assert "Take the self-assessment first" in page
    refused = auth.post("/plans/", {"focus": "vision"}, page="/plans/")
    assert refused.status_code == 302
    assert "Take the self-assessment first" in auth.client.get("/plans/").text


def test_more_than_three_focus_areas_are_refused(app, auth, people):
    auth.sign_in(OWNER)
    token = csrf_from(auth.client.get("/plans/").text)
    focus = ["delegation", "vision", "execution", "communication"]
    response = auth.client.post("/plans/", data={"focus": focus, "csrf_token": token})
    assert response.headers["Location"].endswith("/plans/")
    assert "at most 3 focus areas" in auth.client.get("/plans/").text


def test_starting_a_plan_shows_it_with_actions_to_turn_into_goals(app, auth, people):
    auth.sign_in(OWNER)
    plan_url = _start_plan(auth, ("delegation", "vision"))
    assert auth.client.get("/plans/").headers["Location"].endswith(plan_url)
    page = auth.client.get(plan_url).text
    assert "Your development plan" in page and "Make this a goal" in page
    assert "you rate yourself 2.0" in page  # the reason, for the owner
    link = re.search(r'href="([^"]+/goals/new\?action=[^"]+)"', page).group(1)
    form = auth.client.get(link.replace("&amp;", "&")).text
    assert "Turn this action into a goal" in form and "Measuring the baseline" in form
    due = re.search(r'<input [^>]*name="due_date"[^>]*value="([^"]+)"', form).group(1)
    assert date.fromisoformat(due) > TODAY  # today + the action's horizon


def test_a_goal_is_saved_with_milestones_and_refused_with_messages_beside_fields(app, auth, people):
    auth.sign_in(OWNER)
    plan_url = _start_plan(auth)
    bad = _add_goal(auth, plan_url, baseline="four", target="10", due_date=TODAY.isoformat())
    assert bad.status_code == 200
    assert "Enter the baseline as a number, for example 4 or 2.5." in bad.text
    same = _add_goal(auth, plan_url, baseline="10")
    assert "The target must differ from the baseline" in same.text
    assert 'aria-invalid="true"' in same.text and "The goal is not saved yet" in same.text
    early = _add_goal(auth, plan_url, due_date=(TODAY - timedelta(days=3)).isoformat())
    assert "The due date must be after the start date." in early.text
    milestone = (TODAY + timedelta(days=20)).isoformat()
    saved = _add_goal(auth, plan_url, milestone_2_title="Brief the team", milestone_2_due=milestone)
    assert saved.status_code == 302
    page = auth.client.get(saved.headers["Location"]).text
    assert "Delegate one decision a week" in page and "Brief the team" in page
    assert "Not started" in page and "milestone “Brief the team” due" in page


def test_check_ins_move_the_status_and_the_chart_data(app, auth, people):
    auth.sign_in(OWNER)
    plan_url = _start_plan(auth)
    start = (TODAY - timedelta(days=28)).isoformat()
    _add_goal(auth, plan_url, start_date=start, due_date=(TODAY + timedelta(days=28)).isoformat())
    with app.app_context():
        goal_id = db.session.scalar(db.select(Goal.public_id))
    prefix = f"c-{goal_id}"
    url = f"{plan_url}/goals/{goal_id}/checkins"
    assert "Off track" in auth.client.get(plan_url).text  # half the time gone, no check-in

    def check_in(value: str, on: date) -> None:
        data = {
            f"{prefix}-value": value,
            f"{prefix}-recorded_on": on.isoformat(),
            f"{prefix}-note": "weekly review",
        }
        assert auth.post(url, data, page=plan_url).status_code == 302

    check_in("3.5", TODAY - timedelta(days=1))
    page = auth.client.get(plan_url).text
    assert 'data-state="at_risk"' in page and "At risk: 35% of the way" in page
    check_in("6", TODAY)
    page = auth.client.get(plan_url).text
    assert 'data-state="on_track"' in page and "60% of the way to the target" in page
    found = re.search(r'<script type="application/json" id="plan-data">(.*?)</script>', page, re.S)
    chart = json.loads(found.group(1))["goals"][0]
    assert chart["values"] == [{"x": 0, "y": 0.0}, {"x": 27, "y": 3.5}, {"x": 28, "y": 6.0}]
    assert chart["target"] == [{"x": 0, "y": 10.0}, {"x": 56, "y": 10.0}]
    assert chart["pace"] == [{"x": 0, "y": 0.0}, {"x": 56, "y": 10.0}]
    assert [t["x"] for t in chart["ticks"]] == [0, 27, 28, 56] and chart["x_max"] == 56
    bad = auth.post(
        url, {f"{prefix}-value": "lots", f"{prefix}-recorded_on": TODAY.isoformat()}, page=plan_url
    )
    assert bad.status_code == 200 and "Enter the value as a number" in bad.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 2


def test_a_plan_is_404_for_another_manager_hr_and_a_visitor(app, auth, people):
    plan_url, _ = _owner_plan_with_goal(app, auth)
    assert auth.client.get(plan_url).status_code == 200
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    assert auth.client.get(plan_url).status_code == 404  # not a redirect to sign in
    token = csrf_from(auth.client.get("/sign-in").text)
    posted = auth.client.post(f"{plan_url}/sharing", data={"shared": "1", "csrf_token": token})
    assert posted.status_code == 404
    for email in (OTHER, HR, BOSS, SKIP):  # the manager too, until the plan is shared
        auth.sign_in(email)
        assert auth.client.get(plan_url).status_code == 404, email
        assert auth.client.get(f"{plan_url}/goals/new").status_code == 404, email
        assert auth.post(f"{plan_url}/archive", page="/").status_code == 404, email
        assert auth.client.get("/api/v1/me/plan").status_code == 404, email
        auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})


def test_sharing_gives_the_owners_manager_read_only_access_and_nothing_else(app, auth, people):
    plan_url, goal_id = _owner_plan_with_goal(app, auth)
    assert auth.post(f"{plan_url}/sharing", {"shared": "1"}, page=plan_url).status_code == 302
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})

    auth.sign_in(BOSS)
    page = auth.client.get(plan_url)
    assert page.status_code == 200
    assert "Maya Lind&#39;s development plan" in page.text and "read-only" in page.text
    assert "Delegate one decision a week" in page.text
    assert "you rate yourself" not in page.text  # assessment figures stay private
    assert "<form" not in page.text.split('id="main"')[1]  # nothing to change
    assert "Maya Lind" in auth.client.get("/plans/").text  # listed under "Shared with you"
    goal = f"{plan_url}/goals/{goal_id}"
    for url, data in [
        (f"{goal}/checkins", {f"c-{goal_id}-value": "3", f"c-{goal_id}-recorded_on": "2020-01-01"}),
        (f"{goal}/done", {"done": "1"}),
        (f"{plan_url}/sharing", {"shared": "0"}),
        (f"{plan_url}/reminders", {"reminders": "1"}),
        (f"{plan_url}/archive", {}),
        (f"{plan_url}/goals/new", goal_form()),
    ]:
        assert auth.post(url, data, page=plan_url).status_code == 404, url
    assert auth.client.get(f"{plan_url}/goals/new").status_code == 404
    assert auth.client.get("/api/v1/me/plan").status_code == 404  # the API is owner only
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})

    for email in (SKIP, OTHER, HR):  # the manager's manager, other managers, HR: still 404
        auth.sign_in(email)
        assert auth.client.get(plan_url).status_code == 404, email
        auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})

    with app.app_context():
        assert not plan_of(OWNER).goals[0].checkins and plan_of(OWNER).active
    auth.sign_in(OWNER)
    auth.post(f"{plan_url}/sharing", {"shared": "0"}, page=plan_url)
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    auth.sign_in(BOSS)
    assert auth.client.get(plan_url).status_code == 404


def test_reminders_are_opted_into_on_the_plan_page(app, auth, people):
    plan_url, _ = _owner_plan_with_goal(app, auth)
    page = auth.client.get(plan_url).text
    assert "E-mail me when a check-in is due" in page
    auth.post(f"{plan_url}/reminders", {"reminders": "1"}, page=plan_url)
    assert "Turn reminders off" in auth.client.get(plan_url).text
    with app.app_context():
        assert plan_of(OWNER).reminders


def test_the_send_checkin_reminders_command_queues_through_the_outbox(app, auth, people):
    _owner_plan_with_goal(app, auth)
    with app.app_context():
        goal = db.session.scalar(db.select(Goal))
        goal.start_date = TODAY - timedelta(days=20)
        plan_of(OWNER).reminders = True
        db.session.commit()
    runner = app.test_cli_runner()
    assert "Queued 1 check-in reminder." in runner.invoke(args=["send-checkin-reminders"]).output
    assert "Queued 0 check-in reminders." in runner.invoke(args=["send-checkin-reminders"]).output


def test_archiving_lets_a_new_plan_follow_a_new_cycle(app, auth, people):
    plan_url, goal_id = _owner_plan_with_goal(app, auth)
    assert "Start a new assessment" in auth.client.get(plan_url).text
    with app.app_context():
        submit_assessment(OWNER, {"delegation": 4, "vision": 2})
    page = auth.client.get(plan_url).text
    assert "You have a newer self-assessment" in page
    archived = auth.post(f"{plan_url}/archive", page=plan_url)
    assert archived.headers["Location"].endswith("/plans/")
    start = auth.client.get("/plans/").text
    assert "Choose what to work on" in start and "Archived" in start
    assert "Vision and direction: you rate yourself 2.0" in start  # from the new assessment
    old = auth.client.get(plan_url).text
    assert "This plan is archived" in old and "Save check-in" not in old
    refused = auth.post(
        f"{plan_url}/goals/{goal_id}/checkins",
        {f"c-{goal_id}-value": "3", f"c-{goal_id}-recorded_on": TODAY.isoformat()},
        page=plan_url,
    )
    assert refused.status_code == 302
    new_url = _start_plan(auth, ("vision",))
    assert new_url != plan_url


def test_the_trends_page_shows_the_verdict_with_its_band(app, auth, people):
    auth.sign_in(OWNER)
    one = auth.client.get("/plans/trends").text
    assert "One cycle so far" in one
    with app.app_context():
        submit_assessment(OWNER, {"delegation": 2.5, "vision": 4.5})
    page = auth.client.get("/plans/trends").text
    assert "Improved" in page and "No reliable change" in page and "band ±0.97" in page
    assert 'id="trend-data"' in page and 'id="trend-delegation"' in page
    assert "Until 30 assessments are submitted" in page


def test_the_api_gives_the_owner_suggestions_plan_and_trends(app, auth, people):
    auth.sign_in(OWNER)
    assert auth.client.get("/api/v1/me/plan").status_code == 404
    suggestions = auth.client.get("/api/v1/me/suggestions").get_json()
    ranked = {s["scale"]: s for s in suggestions["suggestions"]}
    assert list(ranked)[:2] == ["vision", "delegation"]  # vision also trails execution
    first = ranked["delegation"]
    assert "below the 3.5" in first["reason"] and first["parts"]["low"] == 1.5
    assert ranked["vision"]["parts"] == {"low": 1.0, "blind_spot": 0.0, "balance": 0.75}
    assert set(first["actions"][0]) >= {"id", "title", "why", "steps", "horizon", "indicator"}
    assert suggestions["round"] is None and suggestions["assessment"]
    plan_url = _start_plan(auth)
    _add_goal(auth, plan_url)
    plan = auth.client.get("/api/v1/me/plan").get_json()
    assert plan["focus_areas"][0]["scale"] == "delegation" and plan["active"]
    goal = plan["goals"][0]
    assert goal["indicator"] == {
        "name": "decisions delegated with a clear brief",
        "unit": "decisions",
        "direction": "increase",
        "baseline": 0.0,
        "target": 10.0,
    }
    assert goal["status"]["state"] == "not_started" and goal["checkins"] == []
    assert goal["scale_change"] is None
    trends = auth.client.get("/api/v1/me/trends").get_json()
    assert len(trends["cycles"]) == 1 and len(trends["scales"]) == 18
    assert trends["scales"][0]["change"] is None and trends["measurement"]["from_database"] is False


def test_the_api_answers_401_to_visitors_and_is_documented(app, client):
    for path in ("/api/v1/me/suggestions", "/api/v1/me/plan", "/api/v1/me/trends"):
        assert client.get(path).status_code == 401
    document = openapi_document()
    for path in ("/me/suggestions", "/me/plan", "/me/trends"):
        assert path in document["paths"]
    refs = re.findall(r"#/components/schemas/(\w+)", repr(document))
    assert set(refs) <= set(document["components"]["schemas"])
    assert {"Plan", "Goal", "Trends", "Suggestions", "Change", "Action"} <= set(refs)
