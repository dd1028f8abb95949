"""Raters over real HTTP: a tiny cookie-keeping browser and the whole path to one submission.

Each rater's answers carry a fingerprint (their number, in base 5, in the first four items)
and their page-1 comment names them, so a stored response can be matched to the submission
that produced it without the database linking the two (it deliberately does not).
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FINGERPRINT_ITEMS = 4  # 5**4 = 625 distinct raters
# A request cut off by a killed worker (or a closed server) surfaces as one of these.
INTERRUPTED = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)


@dataclass(frozen=True)
class Reply:
    """Status, redirect target (path only) and body of one response."""

    status: int
    location: str
    text: str
    retry_after: str | None = None


class Browser:
    """One person's browser: keeps cookies, one connection per request (gunicorn sync workers)."""

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Reply:
        """GET ``path``."""
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        """POST a form to ``path``."""
        return self.request("POST", path, form)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        """One request; raises one of INTERRUPTED when the connection breaks."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            self._keep(response.headers.get_all("Set-Cookie") or [])
            location = urlsplit(response.headers.get("Location", ""))
            target = location.path + (f"?{location.query}" if location.query else "")
            return Reply(response.status, target, text, response.headers.get("Retry-After"))
        finally:
            connection.close()

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@dataclass(frozen=True)
class RaterPlan:
    """Who answers what: the link, the fingerprint number and the instrument's pages."""

    link: str
    number: int
    pages: Sequence[Sequence[str]]
    tag: str = "rater"

    @property
    def comment(self) -> str:
        """The page-1 comment that names this rater's submission."""
        return f"{self.tag}-{self.number}"

    def answers(self, page_index: int) -> dict[str, str]:
        """Answers for one page, as posted (values 1..5, "na" for not observed)."""
        flat = [item for page in self.pages for item in page]
        chosen = {}
        for item in self.pages[page_index]:
            k = flat.index(item)
            if k < FINGERPRINT_ITEMS:
                chosen[item] = str((self.number // 5**k) % 5 + 1)
            elif k % 9 == 0:
                chosen[item] = "na"
            else:
                chosen[item] = str((self.number + k) % 5 + 1)
        return chosen


def fingerprint(answers: dict[str, int | None], pages: Sequence[Sequence[str]]) -> int:
    """The rater number encoded in a stored response's first items."""
    flat = [item for page in pages for item in page]
    number = 0
    for k in range(FINGERPRINT_ITEMS):
        value = answers[flat[k]]
        assert value is not None
        number += (value - 1) * 5**k
    return number


@dataclass
class Outcome:
    """What happened to one rater: every status seen, breaks survived, whether acknowledged."""

    number: int
    statuses: list[int] = field(default_factory=list)
    interrupted: int = 0
    acknowledged: bool = False
    gave_up: str = ""

    @property
    def server_errors(self) -> list[int]:
        """Every 5xx this rater saw."""
        return [s for s in self.statuses if s >= 500]


class GaveUp(Exception):
    """A step answered something unexpected, or kept breaking."""


def take_part(browser: Browser, plan: RaterPlan, retries: int = 0) -> Outcome:
    """Arrive by the link, answer every page, review and submit: the path a browser takes."""
    outcome = Outcome(plan.number)

    def step(method: str, path: str, form: dict[str, str] | None, expect: int) -> Reply:
        for attempt in range(retries + 1):
            try:
                reply = browser.request(method, path, form)
            except INTERRUPTED as exc:
                outcome.interrupted += 1
                if attempt == retries:
                    raise GaveUp(f"{method} {path}: {exc!r}") from exc
                time.sleep(0.2)
                continue
            outcome.statuses.append(reply.status)
            if reply.status != expect:
                raise GaveUp(f"{method} {path}: {reply.status} (expected {expect})")
            return reply
        raise AssertionError("unreachable")

    try:
        welcome = step("GET", plan.link, None, 302).location
        for number, _ in enumerate(plan.pages, start=1):
            url = f"{welcome}/pages/{number}"
            token = csrf_token(step("GET", url, None, 200).text)
            form = plan.answers(number - 1) | {"action": "next", "csrf_token": token}
            if number == 1:
                form["comment"] = plan.comment
            step("POST", url, form, 302)
        token = csrf_token(step("GET", f"{welcome}/review", None, 200).text)
        done = step("POST", f"{welcome}/review", {"csrf_token": token}, 302)
        outcome.acknowledged = done.location == "/rate/thanks"
    except GaveUp as exc:
        outcome.gave_up = str(exc)
    return outcome


def run_raters(
    port: int,
    plans: Sequence[RaterPlan],
    concurrency: int,
    seconds: float,
    retries: int = 0,
) -> list[Outcome]:
    """``concurrency`` threads take plans in turn until none are left or ``seconds`` passed.

    A rater already under way finishes its path; every request has its own timeout, and the
    threads are joined with a bounded wait, so the whole run ends by itself.
    """
    pending = list(reversed(plans))
    lock = threading.Lock()
    outcomes: list[Outcome] = []
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(concurrency + 1)

    def work() -> None:
        start.wait(timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if not pending:
                    return
                plan = pending.pop()
            outcome = take_part(Browser(port), plan, retries)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait(timeout=30)
    for thread in threads:
        thread.join(timeout=seconds + 180)
    assert not any(t.is_alive() for t in threads), "a rater thread did not finish in time"
    return outcomes
