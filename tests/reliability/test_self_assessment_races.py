"""A person answers and presses Next at once: the page's script saving the last answer and the
page's own Next arrive together. Both land, nothing fails, and Next moves on."""

from __future__ import annotations

import threading

from sqlalchemy import select

from coach.extensions import db
from coach.models import Answer, Assessment

from conftest import Auth, csrf_from
from feedback_helpers import items_by_page


def _stored(app, public_id: str) -> tuple[set[str], int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
        assert assessment is not None
        items = set(
            db.session.scalars(select(Answer.item_id).where(Answer.assessment_id == assessment.id))
        )
        page = assessment.current_page
        db.session.remove()
    return items, page


def test_an_answer_saved_by_the_script_while_next_is_pressed_never_fails_the_page(
    app, client, make_user
):
    Auth(client).sign_in(make_user())
    home = client.get("/")
    started = client.post("/assessments/start", data={"csrf_token": csrf_from(home.text)})
    public_id = started.headers["Location"].split("/assessments/")[1].split("/")[0]
    with app.app_context():
        pages = items_by_page()
    cookie = client.get_cookie("session").value
    for number, items in enumerate(pages, start=1):
        page_url = f"/assessments/{public_id}/pages/{number}"
        token = csrf_from(client.get(page_url).text)
        answers = dict.fromkeys(items, "3")
        replies: dict[str, int] = {}
        start = threading.Barrier(len(items) + 1)

        def post(name, url, form, start=start, replies=replies, token=token):  # type: ignore[no-untyped-def]
            tab = app.test_client()
            tab.set_cookie("session", cookie)
            start.wait(timeout=10)
            replies[name] = tab.post(url, data=form | {"csrf_token": token}).status_code

        # Every answer's own save (as each click sends it) and the Next of the whole page.
        threads = [
            threading.Thread(target=post, args=(item, f"{page_url}/answers", {item: "3"}))
            for item in items
        ]
        threads.append(
            threading.Thread(target=post, args=("next", page_url, answers | {"action": "next"}))
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert replies.pop("next") == 302, f"page {number}: Next failed"
        assert set(replies.values()) == {204}, f"page {number}: {replies}"
        stored, current_page = _stored(app, public_id)
        assert set(items) <= stored, f"page {number}: an answer was lost"
        assert current_page == number, f"page {number}: Next did not move on"
