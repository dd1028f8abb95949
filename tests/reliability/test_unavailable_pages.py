"""(d), in process: a full database refuses writes, a failing one refuses everything.

The fault is injected at the driver boundary (the DBAPI's own OperationalError, raised
before a statement reaches the database), so the app sees exactly what the driver would
raise for "database or disk is full" or a lost server. Fast, and the same on both databases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from coach.extensions import db
from coach.models import FeedbackResponse, InvitationState
from reliability import checks

from conftest import csrf_from, is_checked
from feedback_helpers import invitation_of, items_by_page, open_round_with, raters

WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|BEGIN IMMEDIATE)\b", re.I)


@contextmanager
def database_failing(app, writes_only: bool) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Every statement (or every write) fails as the driver fails when the disk is full."""
    with app.app_context():
        engine = db.engine
        error = engine.dialect.loaded_dbapi.OperationalError

    def fail(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not writes_only or WRITES.match(statement):
            raise error("database or disk is full (simulated)")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def _rater(app, client, make_user) -> tuple[str, list[list[str]]]:  # type: ignore[no-untyped-def]
    make_user("subject@example.org", name="Sam Subject")
    with app.app_context():
        _, links = open_round_with("subject@example.org", raters({"peer": 3}))
        pages = items_by_page()
    arrived = client.get(links["peer0@example.org"])
    return arrived.headers["Location"], pages


def _post_page(client, welcome: str, number: int, answers: dict[str, str]):  # type: ignore[no-untyped-def]
    url = f"{welcome}/pages/{number}"
    token = csrf_from(client.get(url).text)
    return client.post(url, data=answers | {"action": "next", "csrf_token": token})


def test_a_full_database_gives_the_rater_their_page_back_and_keeps_the_draft(
    app, client, make_user
):
    welcome, pages = _rater(app, client, make_user)
    first = dict.fromkeys(pages[0], "4")
    second = dict.fromkeys(pages[1], "2") | {"comment": "Kept while the disk was full"}
    assert _post_page(client, welcome, 1, first).status_code == 302
    url = f"{welcome}/pages/2"
    token = csrf_from(client.get(url).text)
    with database_failing(app, writes_only=True):
        refused = client.post(url, data=second | {"action": "next", "csrf_token": token})
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert "not saved yet" in refused.text and "Kept while the disk was full" in refused.text
    assert all(is_checked(refused.text, item, "2") for item in pages[1])
    invitation = welcome.rsplit("/", 1)[1]
    assert set(checks.draft_answers(app, invitation)) == set(pages[0])  # draft untouched
    again = client.post(url, data=second | {"action": "next", "csrf_token": token})
    assert again.status_code == 302  # recovered: nothing to restart
    assert set(checks.draft_answers(app, invitation)) == set(pages[0]) | set(pages[1])


def test_a_submission_refused_by_a_full_database_stores_nothing_and_can_be_sent_again(
    app, client, make_user
):
    welcome, pages = _rater(app, client, make_user)
    for number, items in enumerate(pages, start=1):
        assert _post_page(client, welcome, number, dict.fromkeys(items, "3")).status_code == 302
    token = csrf_from(client.get(f"{welcome}/review").text)
    with database_failing(app, writes_only=True):
        refused = client.post(f"{welcome}/review", data={"csrf_token": token})
    assert refused.status_code == 503 and "not submitted yet" in refused.text
    with app.app_context():
        assert invitation_of("peer0@example.org").state == InvitationState.INVITED.value
        assert db.session.scalar(select(func.count()).select_from(FeedbackResponse)) == 0
    done = client.post(f"{welcome}/review", data={"csrf_token": token})
    assert done.headers["Location"].endswith("/rate/thanks")


def test_pages_and_the_api_answer_503_while_the_database_fails_and_work_after(
    app, client, auth, make_user
):
    auth.sign_in(make_user("mia@example.org", name="Mia Manager"))
    assert client.get("/").status_code == 200
    with database_failing(app, writes_only=False):
        page = client.get("/")
        api = client.get("/api/v1/instruments")
    assert page.status_code == 503 and page.headers["Retry-After"]
    assert "Everything saved before is kept" in page.text and "Traceback" not in page.text
    assert "Mia Manager" not in page.text  # rendered without touching the database
    assert api.status_code == 503 and api.json["error"] == "Service Unavailable"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/instruments").status_code == 200
