"""Full-page screenshots of every page at desktop and phone widths, for looking at the product.

    .venv/bin/python tests/e2e/screenshots.py OUTDIR
        serves the app itself on a throw-away SQLite database seeded with the demo, an HR
        campaign and an open round whose invitations are sent (see ``busy_demo``);
    .venv/bin/python tests/e2e/screenshots.py OUTDIR --url http://127.0.0.1:5055 \
        --manager someone@demo.coach.example [--password ...] [--rater /r/TOKEN]
        uses a running server with the demo seeded (password defaults to COACH_DEMO_PASSWORD);
        the manager, who should have no submitted assessment, is taken up to the review page.

The scripted steps (questionnaire, errors, a rater's visits through a private link, a plan
started from the report) are followed by a walk of every page each role can reach by links
from home (``walk``, which tests/e2e/test_phone_layout.py uses too). Each page is saved as
NN-name-1280.png and NN-name-375.png. The browser is offline: any request that leaves the
server is refused, as on a machine without internet.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, Response, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1280, 375)
DEMO = "demo.coach.example"
# Links that download a file or leave the person's session, never pages to look at.
NOT_PAGES = re.compile(
    r"\.(csv|json)$|/api/|/metrics|/healthz|/readyz|/static/|/r/|/rate/|/activate/|/reset-password/"
)
PER_KIND = 2  # pages visited per kind of address (same path with other ids)


def busy_demo(session: Any, password: str, base_url: str) -> dict[str, str]:
    """Seed the demo, an HR campaign of draft rounds and an open round for the CEO.

    Returns the sign-ins by role (manager: one without an assessment, ceo: with a report
    and an open round, hr, admin) and ``rater``: one invitation's link, as a path.
    """
    from sqlalchemy import select

    from coach.instruments_registry import default_instrument
    from coach.models import OrgUnit, OutboxMessage, User
    from coach.models._common import utcnow
    from coach.services.demo import organisation as demo_organisation
    from coach.services.feedback import campaigns, rounds

    instrument = default_instrument()
    sign_ins = demo_organisation.seed_demo(session, instrument, password)
    hr = session.scalar(select(User).where(User.email == f"hr@{DEMO}"))
    ceo = session.scalar(select(User).where(User.email == f"ceo@{DEMO}"))
    operations = session.scalar(select(OrgUnit).where(OrgUnit.name == "Operations"))
    deadline = utcnow() + timedelta(days=14)
    campaigns.create_campaign(
        session, hr, "Operations spring 360", operations, deadline, instrument, base_url
    )
    found = rounds.start_round(session, ceo, instrument, deadline)
    proposals = rounds.proposed_raters(session, ceo, found)
    nominees = [(p.name, p.email, p.relationship) for p in proposals]
    rounds.nominate(session, found, nominees, base_url, trusted=True)
    rounds.open_round(session, found, base_url, 3)
    link = session.scalars(
        select(OutboxMessage.link).where(OutboxMessage.kind == "invitation")
    ).first()
    return {
        "manager": sign_ins[0].email,
        "ceo": ceo.email,
        "hr": hr.email,
        "admin": f"admin@{DEMO}",
        "rater": link.removeprefix(base_url),
    }


def page_kind(path: str) -> str:
    """The address with its ids blanked: /feedback/abc123 and /feedback/def456 are one kind."""
    path = re.sub(r"=[^&]*", "=*", path)
    return re.sub(r"/([^/?]*\d[^/?]*|[^/?]{12,})", "/*", path)


def walk(page: Page, start: str) -> Iterator[tuple[str, Response]]:
    """Every HTML page reachable by links from ``start``, a few of each kind, as (path, response).

    Downloads and links that leave the person's session are not followed; a page that did
    not answer 200 is yielded but its links are not.
    """
    queue, seen, kinds = [start], set[str](), Counter[str]()
    while queue:
        path = queue.pop(0)
        if path in seen or kinds[page_kind(path)] >= PER_KIND:
            continue
        seen.add(path)
        kinds[page_kind(path)] += 1
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state()
        yield path, response
        if not response.ok:
            continue
        origin = urlsplit(page.url).netloc
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc != origin or NOT_PAGES.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)


@contextmanager
def own_server(password: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The app on a temporary database with ``busy_demo``: (base URL, people by role)."""
    with tempfile.TemporaryDirectory(prefix="coach-shots-") as folder:
        os.environ["COACH_INSTANCE_DIR"] = folder
        os.environ["COACH_DATABASE_URL"] = f"sqlite:///{folder}/coach.db"
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from flask_migrate import upgrade
        from werkzeug.serving import make_server

        from coach import create_app
        from coach.extensions import db

        app = create_app()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base_url = f"http://127.0.0.1:{server.server_port}"
        with app.app_context():
            upgrade()
            people = busy_demo(db.session, password, base_url)
            db.session.remove()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield base_url, people
        finally:
            server.shutdown()


class Camera:
    """Saves the page at every width under a running number."""

    def __init__(self, page: Page, outdir: Path) -> None:
        self.page = page
        self.outdir = outdir
        self.count = 0

    def shoot(self, name: str) -> None:
        """One full-page PNG per width."""
        self.count += 1
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900 if width > 600 else 812})
            self.page.wait_for_timeout(250)  # let charts redraw at the new size
            path = self.outdir / f"{self.count:02d}-{name}-{width}.png"
            self.page.screenshot(path=str(path), full_page=True)
            print(path)
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def sign_in(page: Page, email: str, password: str) -> None:
    """Through the form, as a person would."""
    page.goto("/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    """The header's sign-out button."""
    page.get_by_role("button", name="Sign out").click()


def answer_page(page: Page, skip_last: bool = False) -> None:
    """Click a label in every item, varying the choice."""
    items = page.locator("fieldset.item").all()
    for n, item in enumerate(items):
        if skip_last and n == len(items) - 1:
            continue
        item.locator("label.option").nth((n * 2 + 1) % 5).click()


def forward(page: Page) -> None:
    """Press Next (or Review on the last page) and wait until the next page is there."""
    before = page.url
    page.get_by_role("button", name="Next").or_(page.get_by_role("button", name="Review")).click()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_load_state()


def questionnaire(page: Page, camera: Camera) -> None:
    """Start, shoot every page (the first one with errors too), end on the review page."""
    camera.shoot("home-manager")
    page.get_by_role("button", name="Start").or_(
        page.get_by_role("link", name="Continue")
    ).first.click()
    page.wait_for_url("**/pages/*")
    camera.shoot("questionnaire-page-1")
    answer_page(page, skip_last=True)
    page.get_by_role("button", name="Next").click()
    page.locator(".item.has-error").first.wait_for()
    camera.shoot("questionnaire-page-1-with-error")
    answer_page(page)
    number = 1
    while "/pages/" in page.url:
        if number > 1:
            camera.shoot(f"questionnaire-page-{number}")
            answer_page(page)
        forward(page)
        number += 1
    camera.shoot("review")
    page.goto("/")
    camera.shoot("home-in-progress")


def rater_visits(page: Page, camera: Camera, link: str) -> None:
    """A rater through the private link: a first page left with one statement skipped (raters
    may skip), a return visit, the review, thanks, and the link opened once more."""
    page.goto(link)
    camera.shoot("rater-welcome")
    with page.expect_navigation():
        page.get_by_role("link", name="Start").click()
    answer_page(page, skip_last=True)
    camera.shoot("rater-page-1")
    # The page's script may still be saving the last answer: the button then waits for it,
    # so the navigation comes a moment after the click.
    with page.expect_navigation():
        page.get_by_role("button", name="Save and finish later").click()
    camera.shoot("rater-saved")
    page.goto(link)
    camera.shoot("rater-return-visit")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Continue")).click()
    while "/pages/" in page.url:
        answer_page(page)
        forward(page)
    camera.shoot("rater-review")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my feedback").click()
    camera.shoot("rater-thanks")
    page.goto(link)
    camera.shoot("rater-link-after-submitting")


def start_a_plan(page: Page) -> None:
    """From the plan page, the first suggested focus area (if no plan is active yet)."""
    page.goto("/plans/")
    if page.get_by_role("button", name="Start my plan").count():
        page.locator("li.suggestion input[type=checkbox]").first.check()
        with page.expect_navigation():  # the plan exists once its page is there
            page.get_by_role("button", name="Start my plan").click()


def every_page(page: Page, camera: Camera, who: str) -> None:
    """Shoot every page this person reaches by links from home."""
    for path, response in walk(page, "/"):
        if response.status != 403:  # listed for this role, but not its to open
            camera.shoot(f"{who}{re.sub(r'[^a-z0-9]+', '-', path.lower())}".rstrip("-"))


def take_all(base_url: str, people: dict[str, str], password: str, outdir: Path) -> None:
    """Walk every page the product has, as each kind of person."""
    outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        page = context.new_page()
        camera = Camera(page, outdir)
        page.goto("/sign-in")
        camera.shoot("sign-in")
        sign_in(page, people["manager"], "not the password")
        camera.shoot("sign-in-failed")
        sign_in(page, people["manager"], password)
        questionnaire(page, camera)
        page.goto("/account/password")
        camera.shoot("change-password")
        page.get_by_role("button", name="Change password").click()
        camera.shoot("change-password-errors")
        every_page(page, camera, "manager")
        sign_out(page)
        camera.shoot("signed-out")

        sign_in(page, people["ceo"], password)
        camera.shoot("home-with-report")
        page.get_by_role("link", name="Read the report").first.click()
        page.locator('html[data-charts="drawn"]').wait_for(state="attached")
        camera.shoot("report")
        page.emulate_media(media="print")
        camera.shoot("report-print")
        page.emulate_media(media="screen")
        page.goto("/no-such-page")
        camera.shoot("error-404")
        start_a_plan(page)
        every_page(page, camera, "ceo")
        sign_out(page)

        sign_in(page, people["hr"], password)
        page.get_by_role("link", name="People").first.click()
        page.get_by_role("link", name="Add a person").click()
        page.get_by_role("button", name="Add person").click()
        camera.shoot("person-errors")
        every_page(page, camera, "hr")
        sign_out(page)

        sign_in(page, people["admin"], password)
        every_page(page, camera, "admin")
        sign_out(page)
        if people.get("rater"):
            rater_visits(page, camera, people["rater"])
        browser.close()


def main() -> None:
    """Parse the arguments, then take every screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--url", help="a running server with the demo seeded")
    parser.add_argument("--manager", help="demo manager without a submitted assessment")
    parser.add_argument("--rater", help="path of a rater's private link (/r/...), if any")
    parser.add_argument("--password", default=os.environ.get("COACH_DEMO_PASSWORD"))
    args = parser.parse_args()
    if args.url:
        if not (args.manager and args.password):
            parser.error("--url needs --manager and --password (or COACH_DEMO_PASSWORD)")
        people = {role: f"{role}@{DEMO}" for role in ("ceo", "hr", "admin")}
        people.update(manager=args.manager, rater=args.rater or "")
        take_all(args.url.rstrip("/"), people, args.password, args.outdir)
        return
    password = args.password or "screenshot-password-1"
    with own_server(password) as (base_url, people):
        take_all(base_url, people, password, args.outdir)


if __name__ == "__main__":
    main()
