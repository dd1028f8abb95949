"""Every page fits a 375 px phone without sideways scrolling, for every kind of person.

The demo organisation gives every page content; on top of it a manager has a draft round
with proposed raters, another an open round whose invitation a rater follows, and HR a
campaign. Each role then follows every link it can reach from home (one page per kind of
address, a few of each), and the page's width is measured at 375 px; so is every page of
a plan started from the report and of a rater's visits (first page, return visit, review,
thanks), scripted as screenshots.py takes them. Set
COACH_PHONE_SHOTS to a folder to keep a screenshot of each page visited.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from coach.extensions import db

from conftest import PASSWORD
from e2e.conftest import DESKTOP, PHONE
from e2e.screenshots import Camera, busy_demo, rater_visits, start_a_plan, walk

pytestmark = pytest.mark.browser

# A phone widens its layout viewport to fit content that overflows, so innerWidth grows with
# the page: measure against the device's own width instead.
OVERFLOW = "width => document.documentElement.scrollWidth - width"


@pytest.fixture
def busy_organisation(app, live_server) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The demo, a campaign of draft rounds, an open round, and one rater's link."""
    with app.app_context():
        people = busy_demo(db.session, PASSWORD, live_server)
        db.session.remove()
    yield people


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
    seen, problems = [], []
    for path, response in walk(page, start):
        seen.append(path)
        if response.status == 403:  # listed for this role, but not its to open (HR and admins)
            continue
        if not response.ok:
            problems.append(f"{path} answered {response.status}")
            continue
        problem = _overflow(page, who, shots)
        if problem:
            problems.append(problem)
    return sorted(seen), problems


class Ruler(Camera):
    """Measures the overflow of each page the scripted steps of screenshots.py would shoot."""

    def __init__(self, page: Page, who: str, problems: list[str]) -> None:
        super().__init__(page, Path())
        self.who = who
        self.problems = problems

    def shoot(self, name: str) -> None:
        """Measure instead of taking a picture."""
        self.problems += filter(None, [_overflow(self.page, self.who, _shots(self.who))])


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
        if who == "ceo":  # so that the plan's pages are reached too
            start_a_plan(page)
        visited[who], found = _walk(page, "/", who, _shots(who))
        problems += found
    rater = new_context(**PHONE).new_page()
    rater_visits(rater, Ruler(rater, "rater", problems), busy_organisation["rater"])

    assert any(p.startswith("/hr/campaigns/") for p in visited["hr"]), visited["hr"]
    assert any(p.startswith("/directory/") for p in visited["hr"]), visited["hr"]
    assert any(p.startswith("/admin/outbox/") for p in visited["admin"]), visited["admin"]
    assert any(p.startswith("/feedback/") for p in visited["manager"]), visited["manager"]
    assert any(re.match(r"/plans/[\w-]+/goals/new", p) for p in visited["ceo"]), visited["ceo"]
    assert "/plans/trends" in visited["ceo"], visited["ceo"]
    assert not problems, "\n".join(problems)


def test_the_header_stays_on_one_row_on_a_laptop_for_hr_and_administrators(
    new_context, busy_organisation
):
    for who in ("hr", "admin"):  # the fullest bars: HR also approves raters
        page = new_context(**DESKTOP).new_page()
        _sign_in(page, busy_organisation[who])
        header = page.locator(".site-header .header-row").bounding_box()
        brand = page.locator(".site-header .brand").bounding_box()
        assert header is not None and brand is not None
        # One row: the header is no taller than its tallest item plus its padding.
        assert header["height"] < 2 * brand["height"] + 30, (who, header)
        assert page.get_by_role("link", name="Organisation").is_visible()
        assert page.get_by_role("button", name="Sign out").is_visible()
