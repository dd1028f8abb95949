"""The audit log speaks plainly, and a full navigation bar tucks its rest under "More"."""

from __future__ import annotations

import re

from coach.extensions import db
from coach.services.feedback import rounds

from hr_builders import closed_round, person, submit


def test_the_audit_log_names_the_round_and_says_who_closed_it_in_plain_words(app, auth, make_user):
    with app.app_context():
        subject = person("sam@example.org", "Acme/Ops")
        submit(subject)
        closed_round(subject, [("peer", 3), ("peer", 4), ("peer", 3)])
        round_id = rounds.rounds_of(db.session, subject)[0].public_id
        db.session.remove()
    auth.sign_in(make_user("ade@example.org", "admin", "Ade Admin"))
    page = auth.client.get("/admin/audit").text
    assert "360 round closed" in page
    assert "360 round of Sam" in page
    assert "closed by the manager the round was about" in page
    assert "closed by subject" not in page and round_id not in page
    filtered = auth.client.get("/admin/audit?event=round_closed").text
    assert re.search(r'<option value="round_closed" selected>360 round closed</option>', filtered)


def _nav(html: str) -> tuple[list[str], list[str]]:
    bar = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    inline, _, more = bar.partition('class="nav-more"')
    return re.findall(r">([^<>]+)</a>", inline), re.findall(r">([^<>]+)</a>", more)


def test_an_administrator_gets_a_more_menu_and_a_manager_a_plain_bar(app, auth, make_user):
    auth.sign_in(make_user("ade@example.org", "admin", "Ade Admin"))
    inline, more = _nav(auth.client.get("/").text)
    assert inline == ["Home", "Feedback", "People", "Organisation", "Campaigns", "Admin"]
    assert more == ["Approvals", "Plan", "Account"]
    page = auth.client.get("/account/password").text
    assert '<summary class="current">More</summary>' in page  # the page is under "More"
    auth.client.post("/sign-out", data={"csrf_token": _csrf(page)})
    auth.sign_in(make_user("maya@example.org", "manager", "Maya Lind"))
    inline, more = _nav(auth.client.get("/").text)
    assert inline == ["Home", "Feedback", "Plan", "Account"] and more == []


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
