"""Forms keep what was typed and show each problem next to its field and in a summary at the
top, which the page opens at (the form posts to its "#error-summary" anchor)."""

from __future__ import annotations

import re

from coach.extensions import db
from coach.models import CheckIn, Goal, Invitation

from conftest import Auth, csrf_from
from plan_helpers import goal_form, submit_assessment
from rater_control_helpers import add, org, signed_in, start

OWNER = "maya@example.org"


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary" id="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert match, "the page has no error summary"
    return match.group(1)


def test_a_bad_rater_address_keeps_both_fields_and_is_named_at_the_field_and_the_top(app):
    org(app)
    sam = signed_in(app, "sam@acme.test")
    round_url = start(sam, [])
    assert 'raters#error-summary"' in sam.client.get(round_url).text

    refused = add(sam, round_url, "Cleo Client", "cleo@@client", "other")

    assert refused.status_code == 400
    page = refused.text
    assert re.search(r'<input[^>]*id="name"[^>]*value="Cleo Client"', page)
    assert re.search(r'<input[^>]*id="email"[^>]*value="cleo@@client"', page)
    assert re.search(r'<option selected value="other">', page)
    assert '<p class="error" id="email-error">' in page
    assert 'href="#email"' in _summary(page) and "valid e-mail address" in _summary(page)
    with app.app_context():
        assert db.session.scalar(db.select(Invitation)) is None


def test_a_refused_rater_keeps_the_fields_with_the_reason_at_the_address(app):
    org(app)
    sam = signed_in(app, "sam@acme.test")
    round_url = start(sam, [])
    refused = add(sam, round_url, "Sam Again", "sam+me@acme.test", "peer")
    assert refused.status_code == 400
    assert re.search(r'<input[^>]*id="email"[^>]*value="sam\+me@acme.test"', refused.text)
    assert "your own address" in _summary(refused.text)


def _plan_with_goal(app, make_user, auth: Auth) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    make_user(OWNER)
    with app.app_context():
        submit_assessment(OWNER, {"delegation": 2})
    auth.sign_in(OWNER)
    plan_url = auth.post("/plans/", {"focus": "delegation"}, page="/plans/").headers["Location"]
    auth.post(f"{plan_url}/goals/new", goal_form(), page=f"{plan_url}/goals/new")
    with app.app_context():
        goal_id = db.session.scalar(db.select(Goal.public_id))
    return plan_url, goal_id


def test_an_empty_check_in_is_named_at_the_field_and_in_a_summary_the_page_opens_at(
    app, make_user, auth
):
    plan_url, goal_id = _plan_with_goal(app, make_user, auth)
    url = f"{plan_url}/goals/{goal_id}/checkins"
    page = auth.client.get(plan_url).text
    assert f'action="{url}#error-summary"' in page

    refused = auth.client.post(
        url,
        data={
            "csrf_token": csrf_from(page),
            f"c-{goal_id}-value": "",
            f"c-{goal_id}-note": "Busy fortnight",
        },
    )

    summary = _summary(refused.text)
    assert f'href="#c-{goal_id}-value"' in summary
    assert f'<p class="error" id="c-{goal_id}-value-error">' in refused.text
    assert "Busy fortnight</textarea>" in refused.text  # the note typed is still there
    assert refused.text.index('id="error-summary"') < refused.text.index("Check in</h4>")
    with app.app_context():
        assert db.session.scalar(db.select(CheckIn)) is None
