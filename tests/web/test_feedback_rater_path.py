"""A rater's private link: one submission, nothing stored on misuse, no trace of who."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackResponse, Invitation, InvitationState, RaterDraft
from coach.models._common import utcnow

from conftest import csrf_from, is_checked
from feedback_helpers import (
    answer_every_page,
    arrive,
    invitation_of,
    open_round_with,
    raters,
    submit_review,
)


def _setup(app, make_user, spec=None):  # type: ignore[no-untyped-def]
    make_user("subject@example.org", name="Sam Subject")
    with app.app_context():
        return open_round_with("subject@example.org", raters(spec or {"peer": 3}))


def _arrived(app, make_user):  # type: ignore[no-untyped-def]
    """The first peer's browser on their welcome page: the client, its address, their link."""
    link = _setup(app, make_user)[1]["peer0@example.org"]
    client = app.test_client()
    return client, arrive(client, link), link


def _responses(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FeedbackResponse))


def test_a_rater_answers_through_their_link_and_submits_once(app, make_user):
    client, welcome, _ = _arrived(app, make_user)
    page = client.get(welcome)
    assert "Feedback for Sam Subject" in page.text and "anonymous" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    answer_every_page(app, client, welcome)
    done = submit_review(client, welcome)
    assert done.headers["Location"].endswith("/rate/thanks")
    with app.app_context():
        response = db.session.scalar(select(FeedbackResponse))
        assert response.rater_group == "peer" and len(response.answers) == 72
        invitation = invitation_of("peer0@example.org")
        assert invitation.state == InvitationState.USED.value and invitation.draft is None
        assert not hasattr(FeedbackResponse, "invitation_id")


def test_observer_wording_is_shown_to_raters(app, make_user):
    client, welcome, _ = _arrived(app, make_user)
    page = client.get(f"{welcome}/pages/1").text
    with app.app_context():
        item = default_instrument().items[0]
    assert item.observer_text in page and item.self_text not in page


def test_a_rater_can_save_and_come_back_with_the_same_link(app, make_user):
    client, welcome, link = _arrived(app, make_user)
    with app.app_context():
        first_item = default_instrument().items[0].id
    token = csrf_from(client.get(f"{welcome}/pages/1").text)
    client.post(f"{welcome}/pages/1", data={first_item: "2", "action": "save", "csrf_token": token})
    later = app.test_client()  # a new browser, same e-mail link
    welcome_again = arrive(later, link)
    page = later.get(f"{welcome_again}/pages/1").text
    assert is_checked(page, first_item, "2")


def test_a_second_submit_and_a_replayed_link_store_nothing_more(app, make_user):
    client, welcome, link = _arrived(app, make_user)
    answer_every_page(app, client, welcome)
    submit_review(client, welcome)
    again = client.get(f"{welcome}/review")
    assert again.status_code in (404, 410)
    replay = app.test_client().get(link)
    assert replay.status_code == 400 and "already submitted" in replay.text
    assert _responses(app) == 1


def test_two_racing_submits_store_one_response(app, make_user):
    client, welcome, _ = _arrived(app, make_user)
    answer_every_page(app, client, welcome)
    token = csrf_from(client.get(f"{welcome}/review").text)
    cookie = client.get_cookie("session").value
    results: list[int] = []

    def submit() -> None:
        racer = app.test_client()
        racer.set_cookie("session", cookie)
        results.append(racer.post(f"{welcome}/review", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _responses(app) == 1
    assert results.count(302) == 1, results


def test_expired_revoked_and_made_up_links_get_a_clear_page_and_store_nothing(app, make_user):
    _, links = _setup(app, make_user, {"peer": 3})
    with app.app_context():
        db.session.execute(
            update(Invitation)
            .where(Invitation.email == "peer0@example.org")
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.execute(
            update(Invitation)
            .where(Invitation.email == "peer1@example.org")
            .values(state=InvitationState.REVOKED.value)
        )
        db.session.commit()
    client = app.test_client()
    expired = client.get(links["peer0@example.org"])
    revoked = client.get(links["peer1@example.org"])
    made_up = client.get("/r/not-a-real-token-at-all")
    assert expired.status_code == 400 and "deadline" in expired.text
    assert revoked.status_code == 400 and "withdrawn" in revoked.text
    assert made_up.status_code == 400 and "not valid" in made_up.text
    assert client.get("/rate/somebody-elses-id").status_code == 404
    assert _responses(app) == 0


def test_an_expired_form_gives_the_page_back_with_answers_kept(app, make_user):
    client, welcome, _ = _arrived(app, make_user)
    with app.app_context():
        first_item = default_instrument().items[0].id
    page = client.post(
        f"{welcome}/pages/1",
        data={first_item: "5", "action": "next", "comment": "Kept text", "csrf_token": "stale"},
    )
    assert page.status_code == 200 and "nothing was saved yet" in page.text
    assert "Kept text" in page.text and is_checked(page.text, first_item, "5")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RaterDraft)) == 0


def test_a_link_stops_working_once_the_round_closes(app, make_user):
    round_id, links = _setup(app, make_user)
    client = app.test_client()
    welcome = arrive(client, links["peer0@example.org"])
    with app.app_context():
        from coach.models import FeedbackRound
        from coach.services.feedback import rounds

        found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == round_id))
        rounds.close_round(db.session, found, "subject")
    assert client.get(welcome).status_code == 410
    assert "closed" in client.get(welcome).text
