"""Real Chromium against the app served on a free local port, with axe-core for accessibility.

Every context blocks requests that leave the live server, so the browser tests run offline
on any machine: the Chart.js CDN is unreachable here exactly as it is for an offline install.
Pages keep the app's Content-Security-Policy, and a CSP violation or an uncaught script
error fails the test. Only ``audit_page`` bypasses the CSP, because axe-core has to be
injected as a script the policy (rightly) refuses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from conftest import PASSWORD
from e2e.screenshots import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [*ARGS, "--disable-quic"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The test app served by werkzeug on 127.0.0.1 and a free port; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test gets its own context."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems:
    """Uncaught script errors and CSP violations seen while a test ran."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def watch(self, page: Page) -> None:
        """Record this page's problems."""
        page.on("pageerror", lambda error: self.found.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.found.append(f"CSP: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )


def _context(browser: Browser, base_url: str, **options: object) -> BrowserContext:
    """A fresh, offline context: anything not served by the live server is refused."""
    context = browser.new_context(base_url=base_url, **options)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    context.route(
        lambda url: not url.startswith(base_url),
        lambda route: route.abort("internetdisconnected"),
    )
    return context


def _open_page(browser: Browser, base_url: str, **options: object) -> Iterator[Page]:
    context = _context(browser, base_url, **options)
    problems = PageProblems()
    context.on("page", problems.watch)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    assert not problems.found, "\n".join(problems.found)


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A desktop page (1280 x 900) in a fresh context, under the app's real CSP."""
    yield from _open_page(browser, live_server, **DESKTOP)


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    """A phone page (375 x 812, touch) in a fresh context, under the app's real CSP."""
    yield from _open_page(browser, live_server, **PHONE)


@pytest.fixture
def audit_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A desktop page whose context bypasses CSP so axe-core can be injected (tests only)."""
    yield from _open_page(browser, live_server, bypass_csp=True, **DESKTOP)


@pytest.fixture
def new_context(browser: Browser, live_server: str) -> Iterator[Callable[..., BrowserContext]]:
    """``new_context(**options)`` for tests with several people at once (a manager, raters).

    Each context is offline like ``page``'s, its CSP violations and script errors fail the
    test, and it is closed afterwards. Options are Playwright's, e.g. ``**PHONE``.
    """
    contexts: list[BrowserContext] = []
    problems = PageProblems()

    def make(**options: object) -> BrowserContext:
        context = _context(browser, live_server, **options)
        context.on("page", problems.watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not problems.found, "\n".join(problems.found)


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.fixture
def axe() -> Callable[[Page, str], None]:
    """``axe(page, where)`` runs axe-core's WCAG 2.1 A and AA rules and fails on any violation."""
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `npm install`"

    def check(page: Page, where: str) -> None:
        if not page.evaluate("typeof window.axe === 'object'"):
            try:
                page.add_script_tag(path=str(AXE_SCRIPT))
            except PlaywrightError:
                pytest.fail(
                    "axe-core could not be injected: the app's CSP refuses inline scripts, "
                    "so audit pages opened from the `audit_page` fixture (it bypasses CSP)"
                )
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        violations = result["violations"]
        assert not violations, f"axe found problems on {where} ({page.url}):\n" + _describe(
            violations
        )

    return check


@pytest.fixture
def sign_in() -> Callable[[Page, str], None]:
    """``sign_in(page, email)`` signs in through the form and waits for the home page."""

    def go(page: Page, email: str, password: str = PASSWORD) -> None:
        page.goto("/sign-in")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")

    return go


@pytest.fixture
def submitted_assessment(
    app: Flask, make_user: Callable[..., str]
) -> Callable[[], tuple[str, str]]:
    """``submitted_assessment()`` makes a manager with a submitted assessment; (email, id)."""
    from coach.extensions import db
    from coach.instruments_registry import default_instrument
    from coach.services.accounts import accounts
    from coach.services.assessments import self_assessment as assessments

    pattern = (5, 4, 4, 3, 2, 4, 5, 3, 4)

    def make() -> tuple[str, str]:
        email = make_user("casey@example.org", "manager", "Casey Morgan")
        with app.app_context():
            owner = accounts.find_by_email(db.session, email)
            assert owner is not None
            instrument = default_instrument()
            assessment = assessments.start_assessment(db.session, owner, instrument)
            for index, questionnaire_page in enumerate(instrument.pages):
                items = instrument.items_on(questionnaire_page)
                answers: dict[str, int | None] = {
                    item.id: pattern[(index + n) % len(pattern)] for n, item in enumerate(items)
                }
                assessments.save_page(db.session, assessment, instrument, index, answers, index + 1)
            assessments.submit_assessment(db.session, assessment, instrument)
            public_id = assessment.public_id
            db.session.remove()
        return email, public_id

    return make
