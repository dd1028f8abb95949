"""Building 360 rounds in tests through the same services the pages use, and walking a
rater's private link through the pages as a rater's browser does."""

from __future__ import annotations

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Invitation, OutboxMessage, User
from coach.services.feedback import rounds

from conftest import csrf_from

BASE = "http://coach.test"


def open_round_with(
    subject_email: str, raters: list[tuple[str, str, str]]
) -> tuple[str, dict[str, str]]:
    """Open a round for ``subject_email``; returns its id and each rater's link path by e-mail."""
    subject = db.session.scalar(select(User).where(User.email == subject_email))
    found = rounds.start_round(db.session, subject, default_instrument(), rounds.default_deadline())
    rounds.nominate(db.session, found, raters, BASE, trusted=True)  # made-up raters
    rounds.open_round(db.session, found, BASE, 3)
    links = {
        m.to_address: m.link.removeprefix(BASE)
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    }
    return found.public_id, links


def invitation_of(email: str) -> Invitation:
    """The invitation sent to ``email``."""
    return db.session.scalar(select(Invitation).where(Invitation.email == email))


def raters(spec: dict[str, int]) -> list[tuple[str, str, str]]:
    """Named raters: {"peer": 2, "direct_report": 3} -> [(name, email, relationship), ...]."""
    return [
        (f"{relationship.title()} {n}", f"{relationship}{n}@example.org", relationship)
        for relationship, count in spec.items()
        for n in range(count)
    ]


def items_by_page() -> list[list[str]]:
    """The default instrument's item ids, page by page (inside an application context)."""
    instrument = default_instrument()
    return [[i.id for i in instrument.items_on(p)] for p in instrument.pages]


def arrive(client, link: str) -> str:  # type: ignore[no-untyped-def]
    """Open a rater's private link; the welcome page's address, which no longer has the token."""
    response = client.get(link)
    assert response.status_code == 302
    assert "/r/" not in response.headers["Location"]  # the token left the address bar
    return response.headers["Location"]


def answer_every_page(app, client, welcome: str, value: str = "4") -> None:  # type: ignore[no-untyped-def]
    """Answer every item with ``value`` and leave a comment, page by page, as a rater does."""
    with app.app_context():
        pages = items_by_page()
    for number, items in enumerate(pages, start=1):
        url = f"{welcome}/pages/{number}"
        token = csrf_from(client.get(url).text)
        data = dict.fromkeys(items, value) | {
            "action": "next",
            "csrf_token": token,
            "comment": f"Comment on page {number}",
        }
        assert client.post(url, data=data).status_code == 302


def submit_review(client, welcome: str):  # type: ignore[no-untyped-def]
    """Press submit on the review page; the review page's own answer when it cannot open."""
    page = client.get(f"{welcome}/review")
    if page.status_code != 200:
        return page
    return client.post(f"{welcome}/review", data={"csrf_token": csrf_from(page.text)})
