"""Home is the person's state: one next step chosen from where they stand, their round's
progress, their next check-in, and the requests to give feedback sent to their own address."""

from __future__ import annotations

import re
from datetime import date, timedelta

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import DevelopmentPlan, Goal, Invitation, User
from coach.services.accounts import email_change
from coach.services.assessments import self_assessment
from coach.services.feedback import rounds

from feedback_helpers import open_round_with, raters
from plan_helpers import closed_round, submit_assessment, user
from rater_control_helpers import OUTSIDER, PEERS, add, org, signed_in, start

ME = "maya@example.org"


def _step(client) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'data-step="([a-z_]+)"', client.get("/").text)
    assert match, "home has no next-step card"
    return match.group(1)


def _signed_in(make_user, auth) -> None:  # type: ignore[no-untyped-def]
    make_user(ME)
    auth.sign_in(ME)


def _plan(app, check_in_due: bool) -> None:  # type: ignore[no-untyped-def]
    """An active plan with one goal, started long enough ago for a check-in to be due, or not."""
    today = date.today()
    with app.app_context():
        plan = DevelopmentPlan(owner_id=user(ME).id)
        db.session.add(plan)
        db.session.flush()
        db.session.add(
            Goal(
                plan_id=plan.id,
                scale_id="delegation",
                title="Delegate one decision a week",
                indicator="decisions delegated",
                unit="decisions",
                baseline=0.0,
                target=10.0,
                start_date=today - timedelta(days=20 if check_in_due else 3),
                due_date=today + timedelta(days=40),
            )
        )
        db.session.commit()


def test_a_new_person_is_asked_to_start_the_assessment(make_user, auth):
    _signed_in(make_user, auth)
    assert _step(auth.client) == "start_assessment"
    assert "Start the assessment" in auth.client.get("/").text


def test_an_assessment_in_progress_says_how_many_are_answered(app, make_user, auth):
    _signed_in(make_user, auth)
    with app.app_context():
        instrument = default_instrument()
        draft = self_assessment.start_assessment(db.session, user(ME), instrument)
        first = {i.id: 3 for i in instrument.items_on(instrument.pages[0])}
        self_assessment.save_page(db.session, draft, instrument, 0, first, 1)
    assert _step(auth.client) == "continue_assessment"
    assert f"Continue ({len(first)} of 72 answered)" in auth.client.get("/").text


def test_a_submitted_assessment_without_a_round_leads_to_asking_for_feedback(app, make_user, auth):
    _signed_in(make_user, auth)
    with app.app_context():
        submit_assessment(ME)
    assert _step(auth.client) == "ask_for_feedback"
    assert "Start a new assessment" in auth.client.get("/").text  # still there, not the main step


def test_a_draft_round_leads_to_choosing_raters(app, make_user, auth):
    _signed_in(make_user, auth)
    with app.app_context():
        submit_assessment(ME)
        rounds.start_round(db.session, user(ME), default_instrument(), rounds.default_deadline())
    assert _step(auth.client) == "choose_raters"


def test_an_open_round_shows_its_progress_as_the_next_step(app, make_user, auth):
    _signed_in(make_user, auth)
    with app.app_context():
        submit_assessment(ME)
        open_round_with(ME, raters({"peer": 3}))
    assert _step(auth.client) == "follow_round"
    assert "<strong>0</strong> of 3 raters have answered" in auth.client.get("/").text


def test_a_closed_round_leads_to_its_report(app, make_user, auth):
    _signed_in(make_user, auth)
    with app.app_context():
        submit_assessment(ME)
        round_id = closed_round(ME, {"peer": {}}).public_id
    assert _step(auth.client) == "read_report"
    assert f'href="/feedback/{round_id}/report"' in auth.client.get("/").text


def test_a_due_check_in_comes_before_an_open_round(app, make_user, auth):
    _signed_in(make_user, auth)
    with app.app_context():
        submit_assessment(ME)
        open_round_with(ME, raters({"peer": 3}))
    _plan(app, check_in_due=True)
    page = auth.client.get("/").text
    assert _step(auth.client) == "check_in"
    assert "A check-in is due for Delegate one decision a week" in page
    assert "<strong>0</strong> of 3 raters have answered" in page  # the round, in its own card


def test_a_plan_with_nothing_due_shows_the_next_check_in(app, make_user, auth):
    _signed_in(make_user, auth)
    with app.app_context():
        submit_assessment(ME)
    _plan(app, check_in_due=False)
    next_day = date.today() + timedelta(days=11)
    assert _step(auth.client) == "follow_plan"
    assert f"Your next check-in is on {next_day.strftime('%-d %B %Y')}" in auth.client.get("/").text


def test_a_request_to_give_feedback_shows_on_home_and_opens_the_rater_page(app, make_user, auth):
    make_user("sam@example.org", name="Sam Subject")
    _signed_in(make_user, auth)
    with app.app_context():
        theirs = [("Maya Lind", ME, "peer"), *raters({"peer": 2})]
        open_round_with("sam@example.org", theirs)
    home = auth.client.get("/").text
    assert "You are asked for feedback" in home and "Sam Subject" in home
    assert "peer0@example.org" not in home and "Peer 0" not in home  # nothing of other raters
    link = re.search(r'href="(/rate/[^"]+/from-account)"', home)
    assert link
    welcome = auth.client.get(link.group(1))
    assert welcome.status_code == 302
    page = auth.client.get(welcome.headers["Location"])
    assert page.status_code == 200 and "Feedback for Sam Subject" in page.text
    assert auth.client.get(f"{welcome.headers['Location']}/pages/1").status_code == 200


def test_another_persons_request_cannot_be_opened_from_an_account(app, make_user, auth):
    make_user("sam@example.org", name="Sam Subject")
    _signed_in(make_user, auth)
    with app.app_context():
        open_round_with("sam@example.org", raters({"peer": 3}))
        someone_else = db.session.scalar(db.select(Invitation.public_id))
    assert auth.client.get(f"/rate/{someone_else}/from-account").status_code == 404
    assert auth.client.get(f"/rate/{someone_else}").status_code == 404
    assert "You are asked for feedback" not in auth.client.get("/").text


def test_an_approver_sees_how_many_outside_raters_wait_with_a_link_to_decide(app):
    org(app)
    sam = signed_in(app, "sam@acme.test")
    round_url = start(sam, PEERS)
    add(sam, round_url, "Cleo Client", OUTSIDER)
    home = signed_in(app, "bea@acme.test").client.get("/").text
    card = re.search(
        r'<section class="card" aria-labelledby="approvals-title">(.*?)</section>', home, re.S
    )
    assert card and "1 rater from outside the directory waits" in card.group(1)
    assert 'href="/feedback/approvals"' in card.group(1)
    assert "approvals-title" not in sam.client.get("/").text


def test_an_account_pointed_at_a_raters_address_cannot_open_that_raters_request(
    app, make_user, auth
):
    make_user("sam@example.org", name="Sam Subject")
    make_user("ada@example.org", "admin", "Ada Admin")
    _signed_in(make_user, auth)
    with app.app_context():
        open_round_with("sam@example.org", raters({"peer": 3}))
        peer = db.session.scalar(
            db.select(Invitation).where(Invitation.email == "peer0@example.org")
        )
        target = peer.public_id
        maya = db.session.scalar(db.select(User).where(User.email == ME))
        admin = db.session.scalar(db.select(User).where(User.email == "ada@example.org"))
        # the address is changed for the account, and even approved by an administrator
        email_change.stage_change(db.session, maya, "peer0@example.org", admin, "http://coach.test")
        maya.email = "peer0@example.org"
        db.session.commit()
        email_change.approve(db.session, maya, admin)
    assert "You are asked for feedback" not in auth.client.get("/").text
    assert auth.client.get(f"/rate/{target}/from-account").status_code == 404
