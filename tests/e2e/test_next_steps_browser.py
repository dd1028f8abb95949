"""In a real browser: home's next step follows the person's state, closing a round asks
first, a refused rater keeps what was typed, and an answer given and left without Next is
there on return (the autosave script under the app's real CSP)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackRound, Invitation, OutboxMessage, User
from coach.services.assessments import self_assessment
from coach.services.feedback import rater_path, rounds

from e2e.conftest import PHONE

pytestmark = pytest.mark.browser
BASE = "http://coach.test"


def _next_step(page: Page) -> str:
    page.goto("/")
    card = page.locator("section.next-step")
    card.wait_for()
    return card.get_attribute("data-step") or ""


def _person(app, email: str):  # type: ignore[no-untyped-def]
    return db.session.scalar(db.select(User).where(User.email == email))


def test_home_shows_the_next_step_for_each_state(app, audit_page, make_user, sign_in, axe):
    email = make_user("casey@example.org", "manager", "Casey Morgan")
    page = audit_page
    sign_in(page, email)
    assert _next_step(page) == "start_assessment"
    axe(page, "home before any assessment")

    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/pages/1")
    page.locator("fieldset.item").first.get_by_text("Often", exact=True).click()
    with page.expect_navigation():  # after the script's save of that answer, if under way
        page.get_by_role("button", name="Save and finish later").click()
    assert _next_step(page) == "continue_assessment"
    assert page.get_by_role("link", name="Continue (1 of 72 answered)").is_visible()

    with app.app_context():
        instrument = default_instrument()
        owner = _person(app, email)
        draft = self_assessment.open_draft(db.session, owner, instrument)
        for index, questionnaire_page in enumerate(instrument.pages):
            answers = {i.id: 4 for i in instrument.items_on(questionnaire_page)}
            self_assessment.save_page(db.session, draft, instrument, index, answers, index + 1)
        draft_id = draft.public_id
    # Every statement answered: the next step is submitting, not "Continue (72 of 72)".
    assert _next_step(page) == "continue_assessment"
    submit = page.get_by_role("link", name="Review and submit")
    assert submit.get_attribute("href") == f"/assessments/{draft_id}/review"
    assert page.get_by_role("link", name="Continue (72 of 72 answered)").count() == 0

    with app.app_context():
        draft = self_assessment.open_draft(db.session, _person(app, email), instrument)
        self_assessment.submit_assessment(db.session, draft, instrument)
    assert _next_step(page) == "ask_for_feedback"

    with app.app_context():
        owner = _person(app, email)
        found = rounds.start_round(db.session, owner, instrument, rounds.default_deadline())
        round_id = found.public_id
    assert _next_step(page) == "choose_raters"

    with app.app_context():
        found = db.session.scalar(db.select(FeedbackRound))
        peers = [(f"Peer {n}", f"peer{n}@example.org", "peer") for n in range(3)]
        rounds.nominate(db.session, found, peers, BASE, trusted=True)
        rounds.open_round(db.session, found, BASE, 3)
    assert _next_step(page) == "follow_round"
    assert "0 of 3 raters have answered" in page.locator("section.next-step").inner_text()
    axe(page, "home with an open round")

    with app.app_context():
        found = db.session.scalar(db.select(FeedbackRound))
        for invitation in list(found.invitations):
            answers = {i.id: 4 for i in instrument.items}
            rater_path.save_draft(db.session, invitation, instrument, answers, {}, 7)
            rater_path.submit(db.session, invitation, instrument)
        rounds.close_round(db.session, found, "subject")
    assert _next_step(page) == "read_report"
    page.get_by_role("link", name="Read the 360 report").click()
    page.wait_for_url(f"**/feedback/{round_id}/report")


def test_closing_a_round_asks_first_and_names_the_groups_left_out(
    app, audit_page, submitted_assessment, sign_in, axe
):
    email, _ = submitted_assessment()
    with app.app_context():
        owner = _person(app, email)
        instrument = default_instrument()
        found = rounds.start_round(db.session, owner, instrument, rounds.default_deadline())
        spec = [("peer", 3), ("direct_report", 3)]
        people = [(f"{g} {n}", f"{g}{n}@example.org", g) for g, count in spec for n in range(count)]
        rounds.nominate(db.session, found, people, BASE, trusted=True)
        rounds.open_round(db.session, found, BASE, 3)
        answering = [i for i in found.invitations if i.relationship_ == "direct_report"]
        answering.append(next(i for i in found.invitations if i.relationship_ == "peer"))
        for invitation in answering:
            answers = {i.id: 4 for i in instrument.items}
            rater_path.save_draft(db.session, invitation, instrument, answers, {}, 7)
            rater_path.submit(db.session, invitation, instrument)
        round_id = found.public_id

    page = audit_page
    sign_in(page, email)
    page.goto(f"/feedback/{round_id}")
    main = page.get_by_role("button", name="Remind those who have not answered")
    assert "button-quiet" not in (main.get_attribute("class") or "")
    page.get_by_role("link", name="Close now and see the results").click()
    page.get_by_role("heading", name="Close the round now?").wait_for()
    text = page.locator("main").inner_text()
    assert "Left out of the report: Peers." in text and "Direct reports (3)" in text
    axe(page, "confirm closing a round")

    page.get_by_role("link", name="Keep it open").click()
    page.get_by_role("heading", name="Your round is open").wait_for()
    page.get_by_role("link", name="Close now and see the results").click()
    page.get_by_role("button", name="Close the round and see the results").click()
    page.wait_for_url(f"**/feedback/{round_id}/report")


def test_a_refused_rater_address_keeps_what_was_typed_with_the_error_at_the_field_and_top(
    audit_page, submitted_assessment, sign_in, axe
):
    email, _ = submitted_assessment()
    page = audit_page
    sign_in(page, email)
    page.goto("/feedback/")
    page.get_by_role("button", name="Choose raters").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add rater"))
    form.get_by_label("Name").fill("Cleo Client")
    form.get_by_label("E-mail").fill("cleo@@client")
    form.get_by_label("Works with me as").select_option("other")
    form.get_by_role("button", name="Add rater").click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.url.endswith("#error-summary")
    assert "valid e-mail address" in summary.inner_text()
    assert page.get_by_label("Name").input_value() == "Cleo Client"
    assert page.get_by_label("E-mail").input_value() == "cleo@@client"
    assert page.get_by_label("Works with me as").input_value() == "other"
    assert page.locator("#email-error").is_visible()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "email"
    axe(page, "a refused rater address")


def test_an_answer_given_and_left_without_next_is_there_on_return(
    app, browser, live_server, new_context, make_user, sign_in
):
    email = make_user("casey@example.org", "manager", "Casey Morgan")
    page = new_context().new_page()  # the app's real CSP: the script must run under it
    sign_in(page, email)
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/pages/1")
    page.locator("fieldset.item").nth(2).get_by_text("Rarely", exact=True).click()
    page.get_by_text("Your answers on this page are saved.").wait_for()
    page.goto("/")  # away without Next or Save
    page.get_by_role("link", name="Continue (1 of 72 answered)").click()
    page.wait_for_url("**/pages/1")
    third = page.locator("fieldset.item").nth(2)
    assert third.get_by_label("Rarely", exact=True).is_checked()

    with app.app_context():
        subject = make_user("sam@example.org", "manager", "Sam Subject")
        owner = _person(app, subject)
        found = rounds.start_round(
            db.session, owner, default_instrument(), rounds.default_deadline()
        )
        rounds.nominate(
            db.session, found, [("Rae Rater", "rae@example.org", "peer")], BASE, trusted=True
        )
        rounds.open_round(db.session, found, BASE, 3)
        link = db.session.scalar(db.select(OutboxMessage.link)).removeprefix(BASE)
    rater = new_context(**PHONE).new_page()
    rater.goto(link)
    rater.get_by_role("link", name="Start").click()
    rater.locator("fieldset.item").first.get_by_text("Often", exact=True).click()
    rater.get_by_text("Your answers on this page are saved.").wait_for()
    assert rater.evaluate("document.documentElement.scrollWidth") <= 375
    rater.goto(link)
    assert rater.evaluate("document.documentElement.scrollWidth") <= 375
    rater.get_by_role("link", name="Continue (1 of 72 answered)").click()
    assert rater.locator("fieldset.item").first.get_by_label("Often", exact=True).is_checked()

    # The rest of the rater's path at 375 px: saved, review, and the used link's thank-you.
    rater.get_by_role("button", name="Save and finish later").click()
    rater.get_by_role("heading", name="Your answers are saved").wait_for()
    assert rater.evaluate("document.documentElement.scrollWidth") <= 375
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        instrument = default_instrument()
        everything = {i.id: 3 for i in instrument.items}
        rater_path.save_draft(db.session, invitation, instrument, everything, {}, 7)
    rater.goto(rater.url.replace("/saved", "/review"))
    rater.get_by_role("button", name="Submit my feedback").wait_for()
    assert rater.evaluate("document.documentElement.scrollWidth") <= 375
    rater.get_by_role("button", name="Submit my feedback").click()
    rater.get_by_text("Your feedback is submitted").wait_for()
    rater.goto(link)
    rater.get_by_role("heading", name="Already submitted, thank you").wait_for()
    assert "Nothing was stored" not in rater.content()
    assert rater.evaluate("document.documentElement.scrollWidth") <= 375
