"""Milestones are ticked off through their random public id, only under their own goal."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from coach.extensions import db
from coach.models import Milestone

from conftest import Auth, csrf_from
from plan_helpers import goal_form, submit_assessment

OWNER, OTHER = "maya@example.org", "otto@example.org"
TODAY = date.today()
TICK_FORM = re.compile(r'action="(/plans/[^"/]+/goals/[^"/]+/milestones/([^"/]+))"')


def _plan_with_milestones(app, make_user, email: str) -> tuple[Auth, str]:  # type: ignore[no-untyped-def]
    """``email`` signed in, with a plan whose one goal has two milestones; the plan's URL."""
    make_user(email, "manager", email.split("@")[0].title())
    with app.app_context():
        submit_assessment(email, {"delegation": 2})
        db.session.remove()
    auth = Auth(app.test_client())
    auth.sign_in(email)
    token = csrf_from(auth.client.get("/plans/").text)
    plan_url = auth.client.post(
        "/plans/", data={"focus": "delegation", "csrf_token": token}
    ).headers["Location"]
    form = goal_form(
        milestone_1_title="Hand over the weekly report",
        milestone_1_due=(TODAY + timedelta(days=14)).isoformat(),
        milestone_2_title="Brief the team",
        milestone_2_due=(TODAY + timedelta(days=28)).isoformat(),
    )
    saved = auth.post(f"{plan_url}/goals/new", form, page=f"{plan_url}/goals/new")
    assert saved.status_code == 302
    return auth, plan_url


def _done(app, public_id: str) -> bool:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(Milestone.done).where(Milestone.public_id == public_id))


def test_milestones_are_ticked_off_through_their_random_public_id(app, make_user):
    auth, plan_url = _plan_with_milestones(app, make_user, OWNER)
    forms = TICK_FORM.findall(auth.client.get(plan_url).text)
    with app.app_context():
        stored = set(db.session.scalars(select(Milestone.public_id)))
    assert len(forms) == 2 and {public_id for _, public_id in forms} == stored
    assert all(len(public_id) >= 12 and not public_id.isdigit() for public_id in stored)
    action, public_id = forms[0]
    ticked = auth.post(action, {"done": "1"}, page=plan_url)
    assert ticked.status_code == 302 and _done(app, public_id)
    assert "Reopen" in auth.client.get(plan_url).text
    auth.post(action, {"done": "0"}, page=plan_url)
    assert not _done(app, public_id)


def test_a_milestone_of_someone_elses_goal_is_not_found_under_mine(app, make_user):
    mine, my_plan = _plan_with_milestones(app, make_user, OWNER)
    other, other_plan = _plan_with_milestones(app, make_user, OTHER)
    my_action, _ = TICK_FORM.findall(mine.client.get(my_plan).text)[0]
    _, theirs = TICK_FORM.findall(other.client.get(other_plan).text)[0]
    with app.app_context():
        number = db.session.scalar(select(Milestone.id).where(Milestone.public_id == theirs))
    my_goal = my_action.rsplit("/milestones/", 1)[0]
    for wrong in (theirs, str(number)):  # their id under my goal; the old integer form
        refused = mine.post(f"{my_goal}/milestones/{wrong}", {"done": "1"}, page=my_plan)
        assert refused.status_code == 302
        assert "That milestone is not part of this goal." in mine.client.get(my_plan).text
    assert not _done(app, theirs)
    their_goal = TICK_FORM.findall(other.client.get(other_plan).text)[0][0]
    assert mine.post(their_goal, {"done": "1"}, page=my_plan).status_code == 404
    assert not _done(app, theirs)
