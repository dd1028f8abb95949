"""Full-page screenshots of every page at desktop and phone widths, for looking at the product.

    .venv/bin/python tests/e2e/screenshots.py OUTDIR
        serves the app itself on a throw-away SQLite database seeded with the demo;
    .venv/bin/python tests/e2e/screenshots.py OUTDIR --url http://127.0.0.1:5055 \
        --manager someone@demo.coach.example [--password ...]
        uses a running server with the demo seeded (password defaults to COACH_DEMO_PASSWORD);
        the manager, who should have no submitted assessment, is taken up to the review page.

Each page is saved as NN-name-1280.png and NN-name-375.png. The browser is offline: any
request that leaves the server is refused, as on a machine without internet.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = (1280, 375)
DEMO = "demo.coach.example"


@contextmanager
def own_server(password: str) -> Iterator[tuple[str, str]]:
    """The app on a temporary database with the demo seeded: (base URL, demo manager)."""
    with tempfile.TemporaryDirectory(prefix="coach-shots-") as folder:
        os.environ["COACH_INSTANCE_DIR"] = folder
        os.environ["COACH_DATABASE_URL"] = f"sqlite:///{folder}/coach.db"
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from flask_migrate import upgrade
        from werkzeug.serving import make_server

        from coach import create_app
        from coach.extensions import db
        from coach.instruments_registry import default_instrument
        from coach.services.demo import organisation as demo_organisation

        app = create_app()
        with app.app_context():
            upgrade()
            sign_ins = demo_organisation.seed_demo(db.session, default_instrument(), password)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", sign_ins[0].email
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
        page.get_by_role("button", name="Next").or_(
            page.get_by_role("button", name="Review")
        ).click()
        page.wait_for_load_state()
        number += 1
    camera.shoot("review")
    page.goto("/")
    camera.shoot("home-in-progress")


def take_all(base_url: str, manager: str, password: str, outdir: Path) -> None:
    """Walk every page the product has, as each kind of person."""
    outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        page = context.new_page()
        camera = Camera(page, outdir)
        page.goto("/sign-in")
        camera.shoot("sign-in")
        sign_in(page, manager, "not the password")
        camera.shoot("sign-in-failed")
        sign_in(page, manager, password)
        questionnaire(page, camera)
        page.goto("/account/password")
        camera.shoot("change-password")
        page.get_by_role("button", name="Change password").click()
        camera.shoot("change-password-errors")
        sign_out(page)
        camera.shoot("signed-out")

        sign_in(page, f"ceo@{DEMO}", password)
        camera.shoot("home-with-report")
        page.get_by_role("link", name="Read the report").first.click()
        page.locator('html[data-charts="drawn"]').wait_for(state="attached")
        camera.shoot("report")
        page.emulate_media(media="print")
        camera.shoot("report-print")
        page.emulate_media(media="screen")
        page.goto("/no-such-page")
        camera.shoot("error-404")
        sign_out(page)

        sign_in(page, f"hr@{DEMO}", password)
        page.get_by_role("link", name="People").first.click()
        camera.shoot("directory")
        page.get_by_role("link", name="Add a person").click()
        page.get_by_role("button", name="Add person").click()
        camera.shoot("person-errors")
        browser.close()


def main() -> None:
    """Parse the arguments, then take every screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--url", help="a running server with the demo seeded")
    parser.add_argument("--manager", help="demo manager without a submitted assessment")
    parser.add_argument("--password", default=os.environ.get("COACH_DEMO_PASSWORD"))
    args = parser.parse_args()
    if args.url:
        if not (args.manager and args.password):
            parser.error("--url needs --manager and --password (or COACH_DEMO_PASSWORD)")
        take_all(args.url.rstrip("/"), args.manager, args.password, args.outdir)
        return
    password = args.password or "screenshot-password-1"
    with own_server(password) as (base_url, manager):
        take_all(base_url, manager, password, args.outdir)


if __name__ == "__main__":
    main()
