"""Round controls say what will happen: why a button is off, reminders first, a confirmation
before closing that names the groups left out, and a warning where "not able to observe"
answers can hide a group on a scale, all from the counts the subject already sees."""

from __future__ import annotations

import re

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackRound, RoundState
from coach.services.feedback import rater_path, rounds

from conftest import Auth
from feedback_helpers import open_round_with, raters
from rater_control_helpers import org, signed_in


def _answer(round_id: str, spec: dict[str, int], value: int | None = 4) -> None:
    """The first ``spec[group]`` raters of each group submit ``value`` for all but one statement."""
    instrument = default_instrument()
    found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == round_id))
    left = dict(spec)
    for invitation in list(found.invitations):
        if left.get(invitation.relationship_, 0) <= 0:
            continue
        left[invitation.relationship_] -= 1
        answers: dict[str, int | None] = {i.id: value for i in instrument.items}
        answers[instrument.items[0].id] = 4  # a submission needs at least one answer
        rater_path.save_draft(db.session, invitation, instrument, answers, {}, 7)
        rater_path.submit(db.session, invitation, instrument)


def _state(app, round_id: str) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(
            select(FeedbackRound.state).where(FeedbackRound.public_id == round_id)
        )


def _subject(app) -> Auth:  # type: ignore[no-untyped-def]
    org(app)
    return signed_in(app, "sam@acme.test")


def test_open_the_round_is_disabled_with_the_reason_next_to_it_until_raters_are_chosen(app):
    sam = _subject(app)
    round_url = sam.post("/feedback/start", page="/feedback/").headers["Location"]
    page = sam.client.get(round_url).text
    button = re.search(r"<button[^>]*>Open the round and send invitations</button>", page)
    assert button and "disabled" in button.group(0)
    assert 'aria-describedby="open-blocked"' in button.group(0)
    assert 'id="open-blocked">Choose at least one rater first' in page


def test_an_open_round_makes_reminders_the_main_action_and_closing_a_separate_step(app):
    sam = _subject(app)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3}))
    page = sam.client.get(f"/feedback/{round_id}").text
    assert '<button class="button" type="submit">Remind those who have not answered' in page
    assert f'class="button button-quiet" href="/feedback/{round_id}/close"' in page
    assert 'type="submit">Close now' not in page


def test_closing_asks_for_confirmation_naming_the_groups_that_would_be_left_out(app):
    sam = _subject(app)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3, "direct_report": 3}))
        _answer(round_id, {"peer": 1, "direct_report": 3})

    confirm = sam.client.get(f"/feedback/{round_id}/close")

    assert confirm.status_code == 200 and "Close the round now?" in confirm.text
    assert _state(app, round_id) == RoundState.OPEN.value  # looking closes nothing
    assert "<strong>Left out of the report:</strong> Peers." in confirm.text
    assert "Direct reports (3)" in confirm.text
    closed = sam.post(f"/feedback/{round_id}/close", page=f"/feedback/{round_id}/close")
    assert closed.headers["Location"].endswith("/report")
    assert _state(app, round_id) == RoundState.CLOSED.value


def test_closing_with_no_answers_says_the_report_would_be_empty(app):
    sam = _subject(app)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3}))
    assert "Nobody has answered yet" in sam.client.get(f"/feedback/{round_id}/close").text


def test_a_group_on_exactly_the_floor_is_warned_about_not_able_to_observe(app):
    sam = _subject(app)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 4, "direct_report": 3}))
        _answer(round_id, {"peer": 4, "direct_report": 3})
    page = sam.client.get(f"/feedback/{round_id}").text
    assert "Some scales may be hidden" in page
    assert "Direct reports: 3 answers, the least that can be shown" in page
    assert "Peers: 4 answers" not in page


def test_the_not_able_to_observe_warning_never_depends_on_what_raters_answered(app):
    sam = _subject(app)
    pages = []
    for value in (4, None):  # everything answered, then everything "not able to observe"
        with app.app_context():
            round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3}))
            _answer(round_id, {"peer": 3}, value)
        page = sam.client.get(f"/feedback/{round_id}").text
        pages.append(re.sub(r'(/feedback/|/raters/|value=")[0-9A-Za-z_.-]+', "", page))
        with app.app_context():
            found = db.session.scalar(
                select(FeedbackRound).where(FeedbackRound.public_id == round_id)
            )
            rounds.close_round(db.session, found, "subject")  # room for the next round
    assert "Some scales may be hidden" in pages[0]
    assert pages[0] == pages[1]
