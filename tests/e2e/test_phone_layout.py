"""Every page fits a 375 px phone without sideways scrolling, for every kind of person.

The demo organisation gives every page content; on top of it a manager has a draft round
with proposed raters, another an open round whose invitation a rater follows, and HR a
campaign. Each role then follows every link it can reach from home (one page per kind of
address, a few of each), and the page's width is measured at 375 px. Set
COACH_PHONE_SHOTS to a folder to keep a screenshot of each page visited.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import OrgUnit, OutboxMessage, Role, User
from coach.models._common import utcnow
from coach.services.demo import organisation as demo_organisation
from coach.services.feedback import campaigns, rounds

from conftest import PASSWORD
from e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

DOMAIN = demo_organisation.DEMO_DOMAIN
# Links that download a file or leave the person's session, never pages to look at.
NOT_PAGES = re.compile(
    r"\.(csv|json)$|/api/|/metrics|/healthz|/readyz|/static/|/r/|/rate/|/activate/|/reset-password/"
)
PER_KIND = 2  # pages visited per kind of address (same path with other ids)
# A phone widens its layout viewport to fit content that overflows, so innerWidth grows with
# the page: measure against the device's own width instead.
OVERFLOW = "width => document.documentElement.scrollWidth - width"


@pytest.fixture
def busy_organisation(app, live_server) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The demo, a campaign of draft rounds, an open round, and one rater's link."""
    with app.app_context():
        instrument = default_instrument()
        sign_ins = demo_organisation.seed_demo(db.session, instrument, PASSWORD)
        hr = db.session.scalar(select(User).where(User.email == f"hr@{DOMAIN}"))
        operations = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "Operations"))
        assert hr is not None and operations is not None
        deadline = utcnow() + timedelta(days=14)
        campaigns.create_campaign(
            db.session, hr, "Operations spring 360", operations, deadline, instrument, live_server
        )
        ceo = db.session.scalar(select(User).where(User.email == f"ceo@{DOMAIN}"))
        assert ceo is not None and ceo.has_role(Role.MANAGER)
        found = rounds.start_round(db.session, ceo, instrument, deadline)
        proposals = rounds.proposed_raters(db.session, ceo, found)
        rounds.nominate(
            db.session,
            found,
            [(p.name, p.email, p.relationship) for p in proposals],
            live_server,
            trusted=True,
        )
        rounds.open_round(db.session, found, live_server, 3)
        link = db.session.scalars(
            select(OutboxMessage.link).where(OutboxMessage.kind == "invitation")
        ).first()
        assert link
        people = {
            "manager": sign_ins[0].email,
            "ceo": ceo.email,
            "hr": hr.email,
            "admin": f"admin@{DOMAIN}",
            "rater": link.removeprefix(live_server),
        }
        db.session.remove()
    yield people


def _kind(path: str) -> str:
    """The address with its ids blanked: /feedback/abc123 and /feedback/def456 are one kind."""
    path = re.sub(r"=[^&]*", "=*", path)
    return re.sub(r"/([^/?]*\d[^/?]*|[^/?]{12,})", "/*", path)


def _sign_in(page: Page, email: str) -> None:
    page.set_default_navigation_timeout(30_000)  # the demo makes some pages slow to build
    page.goto("/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def _overflow(page: Page, where: str, shots: Path | None) -> str | None:
    """A description of the page's sideways overflow at the current width, or None."""
    width = page.viewport_size["width"] if page.viewport_size else 375
    extra = page.evaluate(OVERFLOW, width)
    if shots is not None:
        parts = urlsplit(page.url)
        name = re.sub(r"[^a-z0-9]+", "-", f"{where}{parts.path}-{parts.query[-12:]}".lower())
        page.screenshot(path=str(shots / f"{name.strip('-')}.png"), full_page=True)
    if extra <= 0:
        return None
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 376)
            .slice(-3).map(e => e.tagName.toLowerCase() + '.' + e.className
                 + ' "' + (e.textContent || '').trim().slice(0, 30) + '"')"""
    )
    return f"{page.url} is {extra} px too wide: {culprits}"


def _walk(page: Page, start: str, who: str, shots: Path | None) -> tuple[list[str], list[str]]:
    """Visit every page reachable by links from ``start``; (pages seen, overflow problems)."""
    queue, seen, kinds, problems = [start], set(), Counter[str](), []
    origin = urlsplit(page.url or start).netloc
    while queue:
        path = queue.pop(0)
        if path in seen or kinds[_kind(path)] >= PER_KIND:
            continue
        seen.add(path)
        kinds[_kind(path)] += 1
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status == 403:  # listed for this role, but not its to open (HR and admins)
            continue
        if not response.ok:
            problems.append(f"{path} answered {response.status}")
            continue
        page.wait_for_load_state()
        problem = _overflow(page, who, shots)
        if problem:
            problems.append(problem)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc != origin or NOT_PAGES.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return sorted(seen), problems


def _shots(who: str) -> Path | None:
    folder = os.environ.get("COACH_PHONE_SHOTS")
    if not folder:
        return None
    path = Path(folder) / who
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_every_page_fits_a_phone_for_every_kind_of_person(new_context, busy_organisation):
    problems: list[str] = []
    visited: dict[str, list[str]] = {}
    for who in ("manager", "ceo", "hr", "admin"):
        page = new_context(**PHONE).new_page()
        _sign_in(page, busy_organisation[who])
        visited[who], found = _walk(page, "/", who, _shots(who))
        problems += found
    rater = new_context(**PHONE).new_page()
    rater.goto(busy_organisation["rater"])
    rater.get_by_role("link", name=re.compile("^(Start|Continue)")).click()
    rater.wait_for_url("**/pages/1")
    problems += filter(None, [_overflow(rater, "rater", _shots("rater"))])

    assert any(p.startswith("/hr/campaigns/") for p in visited["hr"]), visited["hr"]
    assert any(p.startswith("/directory/") for p in visited["hr"]), visited["hr"]
    assert any(p.startswith("/admin/outbox/") for p in visited["admin"]), visited["admin"]
    assert any(p.startswith("/feedback/") for p in visited["manager"]), visited["manager"]
    assert len(visited["ceo"]) > 5, visited["ceo"]
    assert not problems, "\n".join(problems)


def test_the_administrators_header_stays_on_one_row_on_a_laptop(new_context, busy_organisation):
    page = new_context(**DESKTOP).new_page()
    _sign_in(page, busy_organisation["admin"])
    header = page.locator(".site-header .header-row").bounding_box()
    brand = page.locator(".site-header .brand").bounding_box()
    assert header is not None and brand is not None
    # One row: the header is no taller than its tallest item plus its padding.
    assert header["height"] < 2 * brand["height"] + 30, header
    assert page.get_by_role("link", name="Organisation").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
