"""An open round says nothing about who answered: page, API, removals and reminders alike."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select, update

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackResponse, Invitation
from coach.models.feedback import FeedbackRound
from coach.services.feedback import rater_path

from conftest import Auth
from rater_control_helpers import PEERS, add, org, signed_in, start

DEADLINE = datetime(2099, 1, 31, 23, 59, tzinfo=UTC)
ROUND_TABLES = {
    "response_scale_score",
    "response_answer",
    "feedback_comment",
    "feedback_response",
    "rater_draft",
    "invitation",
    "feedback_round",
    "outbox_message",
    "pooled_variance",
}


def _answer(app: Flask, email: str) -> None:
    with app.app_context():
        instrument = default_instrument()
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == email))
        answers = {item.id: 4 for item in instrument.items}
        rater_path.save_draft(db.session, invitation, instrument, answers, {}, 7)
        rater_path.submit(db.session, invitation, instrument)


def _fixed_ids(app: Flask) -> str:
    """Give the round and its invitations the same ids in every scenario, so pages compare."""
    with app.app_context():
        db.session.execute(
            update(FeedbackRound).values(public_id="round-under-test", deadline=DEADLINE)
        )
        for email in PEERS:
            db.session.execute(
                update(Invitation)
                .where(Invitation.email == email)
                .values(public_id=f"rater-{email.split('@')[0]}")
            )
        db.session.commit()
    return "/feedback/round-under-test"


def _wipe_rounds(app: Flask) -> None:
    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name in ROUND_TABLES:
                conn.execute(table.delete())


def _masked(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1-", html)


def _seen_by_subject(subject: Auth, round_url: str) -> tuple[str, bytes]:
    subject.client.get(round_url)  # shows and clears any message left by the last action
    page = subject.client.get(round_url)
    api = subject.client.get(f"/api/v1/rounds/{round_url.rsplit('/', 1)[1]}")
    assert page.status_code == 200 and api.status_code == 200
    return _masked(page.text), api.data


def _open_round_answered_by(app: Flask, subject: Auth, rater: str) -> str:
    _wipe_rounds(app)
    start(subject, PEERS)
    round_url = _fixed_ids(app)
    assert subject.post(f"{round_url}/open", page=round_url).status_code == 302
    _answer(app, rater)
    return round_url


def test_the_open_round_page_and_api_are_identical_whichever_rater_has_answered(app):
    org(app)
    subject = signed_in(app, "sam@acme.test")
    seen = []
    for rater in ("p0@acme.test", "p1@acme.test"):
        round_url = _open_round_answered_by(app, subject, rater)
        seen.append(_seen_by_subject(subject, round_url))
    (page_a, api_a), (page_b, api_b) = seen
    assert page_a == page_b
    assert api_a == api_b
    assert "<strong>1</strong> of 3" in page_a
    assert page_a.count(">Remove</button>") == 3


def test_removing_an_answered_or_an_unanswered_rater_answers_the_same_and_keeps_answers(app):
    org(app)
    subject = signed_in(app, "sam@acme.test")
    outcomes = []
    for rater in ("p0@acme.test", "p1@acme.test"):  # p0 has answered in the first run only
        round_url = _open_round_answered_by(app, subject, rater)
        removed = subject.post(f"{round_url}/raters/rater-p0/withdraw", page=round_url)
        after = _masked(subject.client.get(round_url).text)  # with the message it left
        reminded = subject.post(f"{round_url}/remind", page=round_url)
        after_reminder = _masked(subject.client.get(round_url).text)
        with app.app_context():
            responses = db.session.scalar(select(func.count()).select_from(FeedbackResponse))
            state = db.session.scalar(select(Invitation.state).where(Invitation.email == PEERS[0]))
        outcomes.append(
            (
                removed.status_code,
                removed.headers["Location"],
                after,
                reminded.status_code,
                after_reminder,
                _seen_by_subject(subject, round_url),
                responses,
                state,
            )
        )
    assert outcomes[0] == outcomes[1]
    status, _, after, _, after_reminder, _, responses, state = outcomes[0]
    assert status == 302 and responses == 1 and state == "revoked"
    assert "invitation is withdrawn" in after and "Any answers already given stay" in after
    assert "Pia Zero</strong>" not in after
    assert "<strong>1</strong> of 2" in after
    assert "Reminders are sent to every rater who has not answered yet." in after_reminder


def test_a_subject_cannot_nominate_their_own_address_in_any_spelling(app):
    org(app)
    subject = signed_in(app, "sam@acme.test")
    round_url = start(subject, [])
    for spelling in ("sam+1@acme.test", "Sam+feedback@ACME.test", " SAM@acme.test "):
        refused = add(subject, round_url, "Someone", spelling, "peer")
        assert refused.status_code == 400
        error = re.search(r'<p class="error" id="email-error">([^<]+)</p>', refused.text)
        assert error and "your own address" in error.group(1), spelling
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
