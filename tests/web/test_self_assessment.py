"""Taking the self-assessment through the web pages, and who may see the result."""

from __future__ import annotations

import re

from flask import Flask

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Assessment
from coach.scoring import score_response

from conftest import Auth, csrf_from, is_checked


def _start(auth: Auth) -> str:
    response = auth.post("/assessments/start")
    assert response.status_code == 302
    page = auth.client.get(response.headers["Location"], follow_redirects=False)
    match = re.search(r"/assessments/([\w-]+)/pages/1", page.headers["Location"])
    assert match, page.headers["Location"]
    return match.group(1)


def _answer_page(auth: Auth, public_id: str, number: int, answers: dict[str, str], action="next"):
    url = f"/assessments/{public_id}/pages/{number}"
    token = csrf_from(auth.client.get(url).text)
    return auth.client.post(url, data={**answers, "action": action, "csrf_token": token})


def _page_answers(app: Flask, number: int, value) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        instrument = default_instrument()
        items = instrument.items_on(instrument.pages[number - 1])
    return {item.id: value(item) for item in items}


def test_a_manager_completes_every_page_and_reads_their_report(app, auth, make_user):
    auth.sign_in(make_user())
    public_id = _start(auth)
    with app.app_context():
        pages = len(default_instrument().pages)
    for number in range(1, pages + 1):
        response = _answer_page(auth, public_id, number, _page_answers(app, number, lambda i: "4"))
        assert response.status_code == 302
    review = auth.client.get(f"/assessments/{public_id}/review")
    assert "Ready to submit?" in review.text
    done = auth.client.post(
        f"/assessments/{public_id}/submit", data={"csrf_token": csrf_from(review.text)}
    )
    assert done.headers["Location"].endswith(f"/assessments/{public_id}/report")
    report = auth.client.get(done.headers["Location"])
    assert report.status_code == 200
    assert "Your leadership profile" in report.text
    assert 'id="report-data"' in report.text


def test_answers_are_kept_when_the_person_leaves_and_comes_back(app, auth, make_user):
    email = make_user()
    auth.sign_in(email)
    public_id = _start(auth)
    first = _page_answers(app, 1, lambda i: "5")
    _answer_page(auth, public_id, 1, first)
    second = _page_answers(app, 2, lambda i: "2")
    partial = dict(list(second.items())[:3])
    _answer_page(auth, public_id, 2, partial, action="save")

    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    auth.sign_in(email)
    resumed = auth.client.get(f"/assessments/{public_id}")
    assert resumed.headers["Location"].endswith(f"/assessments/{public_id}/pages/2")
    page_two = auth.client.get(resumed.headers["Location"]).text
    for item_id in partial:
        assert is_checked(page_two, item_id, "2")


def test_moving_on_with_a_gap_saves_what_was_given_and_names_the_gap(app, auth, make_user):
    auth.sign_in(make_user())
    public_id = _start(auth)
    answers = _page_answers(app, 1, lambda i: "3")
    missing_id = next(iter(answers))
    del answers[missing_id]
    response = _answer_page(auth, public_id, 1, answers)
    assert response.status_code == 200
    assert "still need an answer" in response.text
    assert f'id="{missing_id}-error"' in response.text
    with app.app_context():
        stored = db.session.scalar(db.select(Assessment).where(Assessment.public_id == public_id))
        assert len(stored.answers) == len(answers)
        assert stored.current_page == 0


def test_submitting_with_unanswered_pages_sends_the_person_to_the_first_gap(app, auth, make_user):
    auth.sign_in(make_user())
    public_id = _start(auth)
    _answer_page(auth, public_id, 1, _page_answers(app, 1, lambda i: "3"))
    response = auth.post(
        f"/assessments/{public_id}/submit", page=f"/assessments/{public_id}/review"
    )
    assert response.headers["Location"].endswith(f"/assessments/{public_id}/pages/2")
    with app.app_context():
        stored = db.session.scalar(db.select(Assessment).where(Assessment.public_id == public_id))
        assert not stored.is_submitted


def test_a_submitted_assessment_is_locked_and_scored_once(app, auth, make_user):
    auth.sign_in(make_user())
    public_id = _start(auth)
    with app.app_context():
        instrument = default_instrument()
        given = {item.id: 1 + (n % 5) for n, item in enumerate(instrument.items)}
        expected = score_response(instrument, given)
    for number in range(1, len(instrument.pages) + 1):
        _answer_page(
            auth, public_id, number, _page_answers(app, number, lambda i: str(given[i.id]))
        )
    auth.post(f"/assessments/{public_id}/submit", page=f"/assessments/{public_id}/review")
    again = auth.post(f"/assessments/{public_id}/submit", page=f"/assessments/{public_id}/report")
    assert again.status_code == 302
    late = auth.post(
        f"/assessments/{public_id}/pages/1",
        {**_page_answers(app, 1, lambda i: "1"), "action": "next"},
        page=f"/assessments/{public_id}/report",
    )
    assert late.headers["Location"].endswith("/report")

    body = auth.client.get(f"/api/v1/assessments/{public_id}").get_json()
    assert body["status"] == "submitted"
    api_scores = {s["id"]: s["score"] for s in body["scales"]}
    for scale_id, scale_score in expected.scales.items():
        assert api_scores[scale_id] == scale_score.score
    with app.app_context():
        stored = db.session.scalar(db.select(Assessment).where(Assessment.public_id == public_id))
        assert len(stored.scale_scores) == len(instrument.scales)
        assert stored.leader_index == expected.leader_index


def test_someone_elses_assessment_is_not_found_for_managers_and_hr(app, auth, make_user):
    auth.sign_in(make_user("owner@example.org"))
    public_id = _start(auth)
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    for email, role in (("other@example.org", "manager"), ("hr@example.org", "hr")):
        auth.sign_in(make_user(email, role=role, name=role.title()))
        assert auth.client.get(f"/assessments/{public_id}/pages/1").status_code == 404
        assert auth.client.get(f"/assessments/{public_id}/report").status_code == 404
        assert auth.client.get(f"/api/v1/assessments/{public_id}").status_code == 404
        auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, auth, make_user):
    auth.sign_in(make_user())
    response = auth.client.post("/assessments/start")
    assert response.status_code == 400
    assert "expired" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Assessment.id))) == 0


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/").headers["Location"].endswith("/sign-in")
    response = client.get("/assessments/abc/report")
    assert "/sign-in" in response.headers["Location"]
