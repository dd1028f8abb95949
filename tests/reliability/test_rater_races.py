"""One rater, two tabs (or a double click): concurrent saves of their draft lose nothing."""

from __future__ import annotations

import threading

from reliability import checks

from conftest import csrf_from
from feedback_helpers import items_by_page, open_round_with, raters

ROUNDS = 4  # the race is about timing: a few tries make a lost update very likely to show


def test_two_pages_saved_at_the_same_moment_both_land_in_the_draft(app, make_user):
    make_user("subject@example.org", name="Sam Subject")
    with app.app_context():
        _, links = open_round_with("subject@example.org", raters({"peer": ROUNDS}))
        pages = items_by_page()
    for n in range(ROUNDS):
        client = app.test_client()
        welcome = client.get(links[f"peer{n}@example.org"]).headers["Location"]
        token = csrf_from(client.get(f"{welcome}/pages/1").text)
        cookie = client.get_cookie("session").value
        statuses: list[int] = []
        start = threading.Barrier(len(pages))

        def save(  # type: ignore[no-untyped-def]
            number, items, welcome=welcome, cookie=cookie, token=token, start=start, seen=statuses
        ) -> None:
            tab = app.test_client()
            tab.set_cookie("session", cookie)
            form = dict.fromkeys(items, "4") | {"action": "next", "csrf_token": token}
            start.wait(timeout=10)
            seen.append(tab.post(f"{welcome}/pages/{number}", data=form).status_code)

        tabs = [
            threading.Thread(target=save, args=(number, items))
            for number, items in enumerate(pages, start=1)
        ]
        for tab in tabs:
            tab.start()
        for tab in tabs:
            tab.join(timeout=60)
        assert statuses == [302] * len(pages), statuses
        saved = checks.draft_answers(app, welcome.rsplit("/", 1)[1])
        assert set(saved) == {item for page in pages for item in page}  # no page lost
