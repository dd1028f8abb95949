"""Bad input never causes a 500: hypothesis drives every form, query and JSON endpoint.

Each form is sent a valid (or nearly valid) submission in which hypothesis replaces, drops or
repeats fields with hostile values: markup, template and SQL fragments, control characters
and NUL bytes, invalid UTF-8 (raw and percent-encoded), numbers out of range, impossible dates,
very long strings; and sends it in the wrong shape: raw bytes, multipart, JSON with wrongly
typed values, other content types. Every GET endpoint gets hostile query strings (raw bytes
included) and every URL parameter hostile values. For every answer:

- the status is below 500;
- a refusal says why: a 4xx page or JSON with a message, or the form again with its errors;
- a refused submission stores nothing (row counts of every table are unchanged; the audit
  log and rate-limit counters record attempts as such and are left out);
- markup sent in never comes back unescaped.

Bodies over MAX_CONTENT_LENGTH (2 MB) are refused with 413. COACH_FUZZ_EXAMPLES sets the
number of cases per endpoint (50 by default; more for a deeper local run).
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from test_access_control import (
    EMAILS,
    EXPECTED,
    ROLES,
    Visitor,
    World,
    _rules,
    _url,
    cheap_password_hashes,  # noqa: F401  (an autouse fixture)
    world,  # noqa: F401  (a fixture)
)
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import TokenPurpose, User
from coach.services.accounts import account_links
from coach.services.assessments import self_assessment

from conftest import csrf_from

EXAMPLES = int(os.environ.get("COACH_FUZZ_EXAMPLES") or 50)
MAX_BODY = 2 * 1024 * 1024
PROBE = "xss-probe"
# Tables that record attempts as such, so change on refused requests by design.
ATTEMPT_TABLES = {"audit_event", "rate_limit_counter", "sign_in_throttle"}
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

# --- hostile values ---------------------------------------------------------------------------

HOSTILE = [
    f"<{PROBE}>alert(1)</{PROBE}>",
    f'"><{PROBE} onerror=alert(1)>',
    f"javascript:alert(1)//<{PROBE}>",
    "{{ 7*7 }}{% print 1 %}",
    "' OR '1'='1",
    "'; DROP TABLE user_account; --",
    "1 UNION SELECT password_hash FROM user_account",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: stolen=1",
    "\x1b[31m\x07\x08\x7f",
    "\u202e\ufeff\u200b",
    "../../../../etc/passwd",
    "%00%ff%fe",
    "😀" * 40,
    "-1",
    "0",
    "99999999999999999999999999999",
    "-99999999999999999999999999999",
    "1e308",
    "1e309",
    "NaN",
    "-inf",
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "",
    " ",
    "null",
    "[]",
    "{}",
]
_long = st.builds(
    lambda size, unit: unit * size,
    st.sampled_from([255, 1_001, 70_000, 600_000]),
    st.sampled_from(["a", "<", "é", "\x00", "'"]),
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.text(st.characters(max_codepoint=0x9F), max_size=30),  # control characters
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(str),
    _long,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
json_not_an_object = st.one_of(
    st.lists(json_values, max_size=3), st.integers(), hostile_text, st.none()
)
OTHER_TYPES = [
    "text/plain",
    "application/xml",
    "application/octet-stream",
    "multipart/form-data",  # no boundary
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/json; charset=latin-1",
    "",
]


@dataclass
class Submission:
    """One request body: its fields and how it is encoded."""

    fields: MultiDict[str, str]
    shape: str
    raw: bytes = b""
    content_type: str = ""
    json_body: object = None


@st.composite
def submissions(draw: st.DrawFn, valid: Mapping[str, str]) -> Submission:
    """The valid fields with one to three of them replaced, dropped or repeated."""
    fields: MultiDict[str, str] = MultiDict(list(valid.items()))
    names = [n for n in valid if n != "csrf_token"] + ["extra"]
    for name in draw(
        st.lists(st.sampled_from(names * 8 + ["csrf_token"]), max_size=3, unique=True)
    ):
        fields.setlist(name, draw(st.lists(hostile_text, max_size=3)))
    shape = draw(st.sampled_from(["form"] * 5 + ["multipart", "raw", "json", "json-junk", "other"]))
    if shape == "raw":  # invalid UTF-8 straight in the body: the whole form is unreadable
        pairs = [f"{quote(k)}={quote(v)}".encode() for k, v in fields.items(multi=True)]
        pairs.insert(draw(st.integers(0, len(pairs))), draw(st.binary(min_size=1)) + b"\xff\xfe")
        return Submission(fields, shape, raw=b"&".join(pairs))
    if shape == "json":
        body: dict[str, object] = dict(valid)
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
            body[name] = draw(json_values)
        return Submission(fields, shape, json_body=body)
    if shape == "json-junk":
        return Submission(fields, shape, json_body=draw(json_not_an_object))
    if shape == "other":
        raw = draw(st.binary(max_size=200))
        return Submission(fields, shape, raw=raw, content_type=draw(st.sampled_from(OTHER_TYPES)))
    return Submission(fields, shape)


# --- browsers, requests and the checks -----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A form: where it posts, a valid submission, and how to treat what it stores."""

    url: str
    fields: Mapping[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # file fields, sent as uploads when the body is multipart
    keeps_drafts: bool = False  # saving a partial draft is the point of this form


class Browser:
    """Fresh test clients that share one session (signed in, or holding a link)."""

    addresses = count(1)

    def __init__(self, app: Flask, make: Callable[[], FlaskClient]) -> None:
        self.app = app
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        first = make()
        signed_in = first.get("/account/password").status_code == 200
        self.token = csrf_from(first.get("/account/password" if signed_in else "/sign-in").text)
        cookie = first.get_cookie(self.cookie_name)
        self.cookie = cookie.value if cookie else None

    def client(self) -> FlaskClient:
        """A new browser with the shared cookie, from an address of its own (rate limits)."""
        client = self.app.test_client()
        n = next(self.addresses)
        client.environ_base["REMOTE_ADDR"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        if self.cookie:
            client.set_cookie(self.cookie_name, self.cookie)
        return client

    def send(self, client: FlaskClient, target: Target, case: Submission) -> TestResponse:
        """POST ``case`` in its shape; the CSRF token rides in the form (or header for JSON)."""
        fields = MultiDict(
            (k, self.token if (k, v) == ("csrf_token", "{token}") else v)
            for k, v in case.fields.items(multi=True)
        )
        header = {"X-CSRFToken": self.token}
        if case.shape == "form" and not target.files:
            return client.post(target.url, data=fields)
        if case.shape in {"form", "multipart"}:
            data: MultiDict[str, object] = MultiDict(fields)
            for name in target.files:
                upload = fields.get(name, "").encode("utf-8", "surrogatepass")
                data.setlist(name, [(upload, f"{name}.csv")])
            return client.post(target.url, data=data, content_type="multipart/form-data")
        if case.shape == "raw":
            form = "application/x-www-form-urlencoded"
            return client.post(target.url, data=case.raw, content_type=form)
        if case.shape in {"json", "json-junk"}:
            body = json.dumps(case.json_body, default=str)
            return client.post(
                target.url, data=body, content_type="application/json", headers=header
            )
        return client.post(
            target.url, data=case.raw, content_type=case.content_type, headers=header
        )


def browser_as(app: Flask, world: World, role: str) -> Browser:  # noqa: F811
    """A browser signed in as ``role`` (or holding the rater link, or neither)."""
    return Browser(app, Visitor(app, role, world).browser)


def _counts(app: Flask) -> dict[str, int]:
    """Rows per table, in one query."""
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in ATTEMPT_TABLES]
        query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables)
        counts = {name: n for name, n in db.session.execute(text(query))}
        db.session.remove()
        return counts


ERROR_MARKS = re.compile(
    r'class="[^"]*\b(error|has-error|error-summary|flash-error)\b|role="alert"|'
    r"Nothing was imported|problems? found"
)


def _flashes(client: FlaskClient) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def _said(response: TestResponse) -> bool:
    """A 4xx that tells the person what happened: a page with a heading, or JSON."""
    if response.is_json:
        return bool((response.get_json(silent=True) or {}).get("message"))
    return "<h1>" in response.get_data(as_text=True)


def check(app: Flask, browser: Browser, target: Target, case: Submission) -> None:
    """Send one case and check every rule of this module against the answer."""
    client = browser.client()
    before = _counts(app)
    response = browser.send(client, target, case)
    status, body = response.status_code, response.get_data(as_text=True)
    assert status < 500, f"{status} from {target.url}: {body[:300]}"
    assert f"<{PROBE}" not in body, f"markup came back unescaped from {target.url}"
    flashed = _flashes(client) if status in {302, 303} else []
    if any(PROBE in message for _, message in flashed):  # the page that shows it escapes it
        assert f"<{PROBE}" not in client.get(response.location).get_data(as_text=True)
    if status >= 400:
        assert _said(response), f"{status} from {target.url} without a message"
    refused = status >= 400 or (
        not target.keeps_drafts
        and (bool(ERROR_MARKS.search(body)) or any(c == "error" for c, _ in flashed))
    )
    if refused:
        assert _counts(app) == before, f"a refused {target.url} ({status}) stored something"


def fuzz(app: Flask, browser: Browser, targets: list[Target]) -> None:
    """EXAMPLES cases per target (a third of that for a form without fields)."""
    for target in targets:
        _fuzz_one(app, browser, target)


def _fuzz_one(app: Flask, browser: Browser, target: Target) -> None:
    @settings(FUZZ, max_examples=EXAMPLES if target.fields else max(EXAMPLES // 3, 1))
    @given(case=submissions({**target.fields, "csrf_token": "{token}"}))
    def run(case: Submission) -> None:
        check(app, browser, target, case)

    run()


# --- the forms, by audience -------------------------------------------------------------------


def _person_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Nia New",
        "email": "nia@example.org",
        "role": "manager",
        "unit": "Acme/Ops",
        "manager_email": EMAILS["owner"],
        **changes,
    }


GOAL_FORM = {
    "title": "Delegate one decision a week",
    "scale": "delegation",
    "indicator": "decisions delegated",
    "unit": "decisions",
    "direction": "increase",
    "baseline": "0",
    "target": "10",
    "start_date": "2030-01-01",
    "due_date": "2030-03-01",
    "milestone_1_title": "First one",
    "milestone_1_due": "2030-01-15",
}
ORG_CSV = (
    "email,name,unit,manager_email,role\n"
    "ivy@example.org,Ivy Imported,Acme/Ops,maya@example.org,manager\n"
)
RESPONSES_CSV = "email,rater_group,date,vision-1\nmaya@example.org,self,2025-01-01,4\n"


def _answers(app: Flask, observer: bool) -> dict[str, str]:
    """Page 1 of the instrument answered, saved for later."""
    with app.app_context():
        instrument = default_instrument()
        items = instrument.items_on(instrument.pages[0])
    answers = {i.id: str(n % 5 + 1) for n, i in enumerate(items)} | {"action": "save"}
    return answers | ({"comment": "Clear and kind."} if observer else {})


def _link_holder(app: Flask, purpose: TokenPurpose) -> Browser:
    """A browser that opened the owner's activation or reset link."""
    with app.app_context():
        owner = db.session.scalar(db.select(User).where(User.email == EMAILS["owner"]))
        link = account_links.stage_link(db.session, owner, purpose, "http://coach.test")
        db.session.commit()
        db.session.remove()

    def holding_the_link() -> FlaskClient:
        client = app.test_client()
        assert client.get(link.removeprefix("http://coach.test")).status_code == 302
        return client

    return Browser(app, holding_the_link)


def test_forms_for_visitors(app: Flask, world: World) -> None:  # noqa: F811
    visitor = browser_as(app, world, "anonymous")
    fuzz(
        app,
        visitor,
        [
            Target("/sign-in", {"email": EMAILS["owner"], "password": "not the password"}),
            Target("/sign-in?next=/feedback/", {"email": "x@example.org", "password": "y"}),
            Target("/forgot-password", {"email": EMAILS["owner"]}),
        ],
    )
    for purpose, url in [
        (TokenPurpose.ACTIVATION, "/activate"),
        (TokenPurpose.RESET, "/reset-password"),
    ]:
        holder = _link_holder(app, purpose)
        fuzz(app, holder, [Target(url, {"new": "short", "confirm": "other"})])


def test_forms_of_a_manager(app: Flask, world: World) -> None:  # noqa: F811
    v = world.values
    plan, goal, rnd = v["plan"], v["goal"], v["round"]
    with app.app_context():  # a second, unfinished self-assessment to answer
        owner = db.session.scalar(db.select(User).where(User.email == EMAILS["owner"]))
        draft = self_assessment.start_assessment(db.session, owner, default_instrument()).public_id
        db.session.remove()
    checkin = {
        f"c-{goal}-value": "3",
        f"c-{goal}-recorded_on": "2030-01-02",
        f"c-{goal}-note": "ok",
    }
    fuzz(
        app,
        browser_as(app, world, "owner"),
        [
            Target(
                "/account/password",
                {"current": "not my password", "new": "a new password", "confirm": "a new pass"},
            ),
            Target(f"/assessments/{draft}/pages/1", _answers(app, False), keeps_drafts=True),
            Target(f"/assessments/{draft}/submit"),
            Target(
                f"/feedback/{rnd}/raters",
                {"name": "Pia Peer", "email": "pia@example.org", "relationship": "peer"},
            ),
            Target(f"/feedback/{rnd}/raters", {"source": "proposals", "pick": "x@example.org"}),
            Target(f"/feedback/{rnd}/deadline", {"deadline": "2030-01-01"}),
            Target(f"/feedback/{rnd}/raters/{v['invitation']}/withdraw"),
            Target(f"/plans/{plan}/goals/new", GOAL_FORM),
            Target(f"/plans/{plan}/goals/{goal}/checkins", checkin),
            Target(f"/plans/{plan}/goals/{goal}/done", {"done": "1"}),
            Target(f"/plans/{plan}/goals/{goal}/milestones/{v['milestone']}", {"done": "1"}),
            Target(f"/plans/{plan}/sharing", {"shared": "1"}),
            Target(f"/plans/{plan}/reminders", {"reminders": "1"}),
            Target("/plans/", {"focus": "delegation"}),
            Target("/account/erasure"),
            Target(f"/feedback/{rnd}/remind"),
            Target(f"/feedback/{rnd}/close"),
        ],
    )


def test_forms_of_a_rater(app: Flask, world: World) -> None:  # noqa: F811
    invitation = world.values["invitation"]
    fuzz(
        app,
        browser_as(app, world, "rater"),
        [
            Target(f"/rate/{invitation}/pages/1", _answers(app, True), keeps_drafts=True),
            Target(f"/rate/{invitation}/pages/2", {"action": "back"}, keeps_drafts=True),
            Target(f"/rate/{invitation}/review"),
        ],
    )


def test_forms_of_hr(app: Flask, world: World) -> None:  # noqa: F811
    v = world.values
    fuzz(
        app,
        browser_as(app, world, "hr"),
        [
            Target("/directory/people/new", _person_form()),
            Target(f"/directory/people/{v['person']}", _person_form(email=EMAILS["owner"])),
            Target(f"/directory/people/{v['person']}/active", {"active": "1"}),
            Target(f"/directory/people/{v['person']}/activation"),
            Target("/directory/import", {"file": ORG_CSV}, files=("file",)),
            Target(
                "/hr/campaigns", {"name": "Spring", "unit": v["unit"], "deadline": "2030-01-01"}
            ),
            Target(
                "/hr/import-responses",
                {"instrument": "leader-manager", "file": RESPONSES_CSV},
                files=("file",),
            ),
            Target(f"/hr/campaigns/{v['campaign']}/open"),
            Target(f"/hr/campaigns/{v['campaign']}/close"),
        ],
    )


def test_csv_uploads_with_hostile_cells(app: Flask, world: World) -> None:  # noqa: F811
    """A well-formed file whose one cell is hostile: refused whole, or stored as text."""
    browser = browser_as(app, world, "hr")
    for url, sample, extra in [
        ("/directory/import", ORG_CSV, {}),
        ("/hr/import-responses", RESPONSES_CSV, {"instrument": "leader-manager"}),
    ]:
        header, row = [list(r) for r in csv.reader(io.StringIO(sample))]
        _fuzz_csv(app, browser, url, header, row, extra)


def _fuzz_csv(
    app: Flask, browser: Browser, url: str, header: list[str], row: list[str], extra: dict[str, str]
) -> None:
    @FUZZ
    @given(column=st.integers(0, len(row) - 1), cell=hostile_text)
    def run(column: int, cell: str) -> None:
        cells = [cell if n == column else c for n, c in enumerate(row)]
        out = io.StringIO()
        csv.writer(out).writerows([header, cells])
        fields = MultiDict({**extra, "file": out.getvalue(), "csrf_token": "{token}"})
        check(app, browser, Target(url, files=("file",)), Submission(fields, "multipart"))

    run()


# --- query strings and URL parameters -----------------------------------------------------------

QUERY_KEYS = [
    "page",
    "unit",
    "q",
    "event",
    "next",
    "action",
    "scale",
    "instrument",
    "figure",
    "cycle",
    "rater_group",
    "archetype",
    "x",
    # url_for's own arguments: a view that passes request.args on to url_for must not break
    "endpoint",
    "_external",
    "_scheme",
    "_anchor",
    "_method",
]
query_values = st.one_of(hostile_text.filter(lambda s: len(s) < 5000), st.binary(max_size=40))


@st.composite
def query_strings(draw: st.DrawFn) -> str:
    """A QUERY_STRING as the server hands it over: bytes as latin-1, some percent-encoded."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(QUERY_KEYS) | st.text(max_size=8))
        value = draw(query_values)
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        encoded = quote(raw) if draw(st.booleans()) else raw.decode("latin-1")
        parts.append(f"{quote(key)}={encoded}")
    return "&".join(parts)


def _reads_query(rule: Rule, app: Flask) -> bool:
    """The view, or a function of its module that it calls, reads request.args."""
    view = inspect.unwrap(app.view_functions[rule.endpoint])
    module = inspect.getmodule(view)
    readers = {
        name
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == view.__module__ and "request.args" in inspect.getsource(fn)
    }
    source = inspect.getsource(view)
    return "request.args" in source or any(f"{name}(" in source for name in readers)


def _who_sees(endpoint: str) -> str:
    """A role that gets the page itself (200), to reach the code that reads the query."""
    statuses = EXPECTED[endpoint]
    for role in ("owner", "hr", "admin", "anonymous", "rater"):
        if statuses[ROLES.index(role)] == 200:
            return role
    return "owner"


def test_hostile_query_strings(app: Flask, world: World) -> None:  # noqa: F811
    """Each endpoint that reads its query gets EXAMPLES cases, the rest some between them."""
    roles = ("anonymous", "rater", "owner", "hr", "admin")
    browsers = {role: browser_as(app, world, role) for role in roles}
    gets = [
        r
        for r in _rules(app)
        if "GET" in (r.methods or ()) and r.endpoint in EXPECTED and r.endpoint != "auth.sign_out"
    ]
    for rule in [r for r in gets if _reads_query(r, app)]:
        _fuzz_query(browsers[_who_sees(rule.endpoint)], _url(rule, world))

    @settings(FUZZ, max_examples=3 * EXAMPLES)
    @given(rule=st.sampled_from(gets), role=st.sampled_from(roles), query=query_strings())
    def any_page(rule: Rule, role: str, query: str) -> None:
        _get_with(browsers[role], _url(rule, world), query)

    any_page()


def _fuzz_query(browser: Browser, url: str) -> None:
    @FUZZ
    @given(query=query_strings())
    def run(query: str) -> None:
        _get_with(browser, url, query)

    run()


def _get_with(browser: Browser, url: str, query: str) -> None:
    response = browser.client().get(url, environ_overrides={"QUERY_STRING": query})
    body = response.get_data(as_text=True)
    assert response.status_code < 500, f"{response.status_code} from {url}?{query[:200]}"
    assert f"<{PROBE}" not in body, f"markup came back unescaped from {url}"
    if response.status_code >= 400:
        assert _said(response), f"{response.status_code} from {url} without a message"


path_values = st.one_of(
    hostile_text.filter(lambda s: 0 < len(s) < 3000),
    st.binary(min_size=1, max_size=30),
    st.integers(-(10**30), 10**30).map(str),
)


def test_hostile_url_parameters(app: Flask, world: World) -> None:  # noqa: F811
    browser = browser_as(app, world, "owner")
    rules = [r for r in _rules(app) if r.arguments and r.endpoint != "static"]

    @settings(FUZZ, max_examples=4 * EXAMPLES)
    @given(rule=st.sampled_from(rules), value=path_values)
    def run(rule: Rule, value: str | bytes) -> None:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", quote(raw, safe=""), path)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = browser.client().open(path, method=method, data={"csrf_token": browser.token})
        assert response.status_code < 500, f"{response.status_code} from {method} {path}"
        assert f"<{PROBE}" not in response.get_data(as_text=True)

    run()


# --- size limits ------------------------------------------------------------------------------


def test_bodies_over_two_megabytes_are_refused_with_413(app: Flask, world: World) -> None:  # noqa: F811
    """Refused with 413 as soon as the body is read; a route that turns the role away first
    (sign in, 401, 403, 404) may answer that instead, as it does without a body."""
    huge = b"a=" + b"x" * MAX_BODY
    posts = [_url(r, world) for r in _rules(app) if "POST" in (r.methods or ())]
    for role in ("anonymous", "rater", "owner", "hr"):
        browser = browser_as(app, world, role)
        header = {"X-CSRFToken": browser.token}
        for url in posts:
            turned_away = browser.client().post(url, headers=header).status_code
            expected = {413, turned_away} if turned_away in {302, 401, 403, 404} else {413}
            before = _counts(app)
            for kind in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=b"):
                response = browser.client().post(url, data=huge, content_type=kind, headers=header)
                assert response.status_code in expected, (role, url, kind, response.status_code)
                if response.status_code == 413:
                    body = response.get_data(as_text=True)
                    assert response.is_json or "larger than this site accepts" in body
            assert _counts(app) == before, (role, url)


def test_a_field_just_under_the_limit_is_refused_without_a_500(app: Flask, world: World) -> None:  # noqa: F811
    browser = browser_as(app, world, "hr")
    almost = "<" * (MAX_BODY - 10_000)  # as it is in multipart: just under 2 MB
    for url, name in [
        ("/directory/people/new", "name"),
        ("/hr/campaigns", "name"),
        ("/account/password", "new"),
        ("/directory/", "q"),
    ]:
        before = _counts(app)
        response = browser.client().post(
            url,
            data={"csrf_token": browser.token, name: almost},
            content_type="multipart/form-data",
        )
        assert response.status_code in {200, 400, 405, 413}, (url, response.status_code)
        assert _counts(app) == before
