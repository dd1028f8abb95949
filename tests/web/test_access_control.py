"""Every route of the app, asked by every role: the status each gets is in one table below.

Roles are enforced on the server, so the table is checked through the test client with real
requests: GET for each rule that allows it, otherwise the rule's method with a valid CSRF
token taken from a page the role can open. URL parameters are the real public ids of objects
that belong to the "owner" manager. A rule of ``app.url_map`` that is missing from the table
fails the run: a new route has to be classified before it ships.

Roles: ``anonymous`` (no session), ``rater`` (not signed in, but the browser holds a valid
rater link of the owner's open round), ``owner`` (the manager who owns the objects),
``other`` (another manager), ``hr`` and ``admin``.

To add a route: add one row to EXPECTED (and, if it takes a new URL parameter, one entry to
PARAMETERS). Run the test: a mismatch prints the statuses every role actually got.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, inspect, select
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Rule

from coach.extensions import db
from coach.instruments_registry import (
    action_libraries,
    action_library,
    default_instrument,
    instruments,
)
from coach.models import Milestone, OutboxMessage, TokenPurpose, User
from coach.models._common import new_public_id
from coach.services.accounts import account_links, passwords
from coach.services.feedback import campaigns
from coach.services.feedback.rounds import default_deadline
from coach.services.people import directory
from coach.services.plans import development_plans as plans
from coach.services.plans import goals as plan_goals

from conftest import PASSWORD, csrf_from
from feedback_helpers import invitation_of, open_round_with, raters
from plan_helpers import goal_draft, submit_assessment

ROLES = ("anonymous", "rater", "owner", "other", "hr", "admin")
EMAILS = {
    "owner": "maya@example.org",
    "other": "otto@example.org",
    "hr": "hana@example.org",
    "admin": "ada@example.org",
}

# The status each role gets from each endpoint, in the order of ROLES. The request is a GET
# when the rule allows GET, otherwise a POST with a valid CSRF token and no other fields.
# Reading guide: 302 for a visitor on a signed-in page is the redirect to /sign-in; 404 on
# someone else's object is deliberate (the app does not admit the object exists); 403 is a
# role the page is not for; the API answers 401/403/404 in JSON instead of redirecting.
# fmt: off
EXPECTED: dict[str, tuple[int, int, int, int, int, int]] = {
    #                                  anon rater owner other  hr  admin
    "main.home":                       (302, 302, 200, 200, 200, 200),
    # operations: probes for the load balancer; metrics are only for the operator's token
    "health.healthz":                  (200, 200, 200, 200, 200, 200),
    "health.readyz":                   (200, 200, 200, 200, 200, 200),
    "metrics.metrics":                 (404, 404, 404, 404, 404, 404),
    # signing in and out, account links, my account
    "auth.sign_in":                    (200, 200, 302, 302, 302, 302),
    "auth.sign_out":                   (302, 302, 302, 302, 302, 302),
    "auth.forgot_password":            (200, 200, 200, 200, 200, 200),
    "auth.activate_link":              (302, 302, 302, 302, 302, 302),
    "auth.activate":                   (400, 400, 400, 400, 400, 400),
    "auth.reset_link":                 (302, 302, 302, 302, 302, 302),
    "auth.reset_password":             (400, 400, 400, 400, 400, 400),
    "auth.change_password":            (302, 302, 200, 200, 200, 200),
    "auth.my_data":                    (302, 302, 200, 200, 200, 200),
    "auth.my_data_download":           (302, 302, 200, 200, 200, 200),
    "auth.request_erasure":            (302, 302, 302, 302, 302, 302),
    # the self-assessment: the owner's alone
    "assess.start":                    (302, 302, 302, 302, 302, 302),
    "assess.resume":                   (302, 302, 302, 404, 404, 404),
    "assess.page":                     (302, 302, 302, 404, 404, 404),
    "assess.review":                   (302, 302, 302, 404, 404, 404),
    "assess.autosave":                 (302, 302, 400, 404, 404, 404),  # nothing posted
    "assess.submit":                   (302, 302, 302, 404, 404, 404),
    "assess.report":                   (302, 302, 200, 404, 404, 404),
    # 360 feedback, the subject's side: the owner's alone
    "feedback.index":                  (302, 302, 200, 200, 200, 200),
    "feedback.start":                  (302, 302, 302, 302, 302, 302),
    "feedback.round_page":             (302, 302, 200, 404, 404, 404),
    "feedback.add_raters":             (302, 302, 400, 404, 404, 404),  # empty form: errors
    "feedback.withdraw":               (302, 302, 302, 404, 404, 404),
    "feedback.deadline":               (302, 302, 302, 404, 404, 404),
    "feedback.open_round":             (302, 302, 302, 404, 404, 404),
    "feedback.remind":                 (302, 302, 302, 404, 404, 404),
    "feedback.confirm_close":          (302, 302, 200, 404, 404, 404),
    "feedback.close":                  (302, 302, 302, 404, 404, 404),
    "feedback.report":                 (302, 302, 302, 404, 404, 404),
    # outside raters: their approvers decide; nothing is pending in this world, hence 404
    "feedback.approvals":              (302, 302, 200, 200, 200, 200),
    "feedback.approve_rater":          (302, 302, 404, 404, 404, 404),
    "feedback.decline_rater":          (302, 302, 404, 404, 404, 404),
    # the rater's path: only the browser that holds the link
    "rate.arrive":                     (302, 302, 302, 302, 302, 302),
    "rate.welcome":                    (404, 200, 404, 404, 404, 404),
    "rate.page":                       (404, 200, 404, 404, 404, 404),
    "rate.saved":                      (404, 200, 404, 404, 404, 404),
    "rate.autosave":                   (404, 204, 404, 404, 404, 404),
    "rate.review":                     (404, 200, 404, 404, 404, 404),
    "rate.thanks":                     (200, 200, 200, 200, 200, 200),
    # a request sent to the signed-in person's own address (here nobody's: 404 for all)
    "rate.from_account":               (302, 302, 404, 404, 404, 404),
    # development plans: the owner's; anyone else gets 404, visitors included
    "plans.index":                     (302, 302, 302, 200, 200, 200),
    "plans.create":                    (302, 302, 302, 302, 302, 302),
    "plans.trends":                    (302, 302, 200, 200, 200, 200),
    "plans.plan_page":                 (404, 404, 200, 404, 404, 404),
    "plans.new_goal":                  (404, 404, 200, 404, 404, 404),
    "plans.check_in":                  (404, 404, 200, 404, 404, 404),
    "plans.goal_done":                 (404, 404, 302, 404, 404, 404),
    "plans.milestone_done":            (404, 404, 302, 404, 404, 404),
    "plans.sharing":                   (404, 404, 302, 404, 404, 404),
    "plans.reminders":                 (404, 404, 302, 404, 404, 404),
    "plans.archive":                   (404, 404, 302, 404, 404, 404),
    # the directory: HR and administrators
    "directory.index":                 (302, 302, 403, 403, 200, 200),
    "directory.new_person":            (302, 302, 403, 403, 200, 200),
    "directory.person":                (302, 302, 403, 403, 200, 200),
    "directory.set_active":            (302, 302, 403, 403, 302, 302),
    "directory.resend_activation":     (302, 302, 403, 403, 302, 302),
    "directory.approve_email":         (302, 302, 403, 403, 403, 302),
    "directory.confirm_email":         (400, 400, 400, 400, 400, 400),  # not a real link
    "directory.import_people":         (302, 302, 403, 403, 200, 200),
    # HR: campaigns and imports
    "hr.campaign_list":                (302, 302, 403, 403, 200, 200),
    "hr.campaign":                     (302, 302, 403, 403, 200, 200),
    "hr.open_all":                     (302, 302, 403, 403, 302, 302),
    "hr.close_all":                    (302, 302, 403, 403, 302, 302),
    "hr.import_responses":             (302, 302, 403, 403, 200, 200),
    # HR analytics: aggregates for HR and administrators (quality exists once computed)
    "hr.dashboard":                    (302, 302, 403, 403, 200, 200),
    "hr.dashboard_export":             (302, 302, 403, 403, 200, 200),
    "hr.archetypes":                   (302, 302, 403, 403, 200, 200),
    "hr.archetypes_export":            (302, 302, 403, 403, 200, 200),
    "hr.instrument_quality":           (302, 302, 403, 403, 200, 200),
    "hr.quality_export":               (302, 302, 403, 403, 404, 404),
    # administration
    "admin.index":                     (302, 302, 403, 403, 403, 200),
    "admin.outbox":                    (302, 302, 403, 403, 403, 200),
    "admin.outbox_message":            (302, 302, 403, 403, 403, 200),
    "admin.audit_log":                 (302, 302, 403, 403, 403, 200),
    "admin.unlock_account":            (302, 302, 403, 403, 403, 200),
    # the JSON API
    "api.openapi":                     (200, 200, 200, 200, 200, 200),
    "api.list_instruments":            (401, 401, 200, 200, 200, 200),
    "api.get_instrument":              (401, 401, 200, 200, 200, 200),
    "api.my_assessments":              (401, 401, 200, 200, 200, 200),
    "api.get_assessment":              (401, 401, 200, 404, 404, 404),
    "api.get_round":                   (401, 401, 200, 404, 404, 404),
    "api.get_round_report":            (401, 401, 409, 404, 404, 404),
    "api.my_suggestions":              (401, 401, 200, 200, 200, 200),
    "api.my_plan":                     (401, 401, 200, 404, 404, 404),
    "api.my_trends":                   (401, 401, 200, 200, 200, 200),
    "api.hr_units":                    (401, 401, 403, 403, 200, 200),
    "api.hr_people":                   (401, 401, 403, 403, 200, 200),
    "api.hr_summary":                  (401, 401, 403, 403, 200, 200),
    "api.hr_archetypes_model":         (401, 401, 403, 403, 200, 200),
    "api.hr_psychometrics":            (401, 401, 403, 403, 404, 404),
}
# fmt: on

# What each URL parameter names: (blueprint-relative rule prefix, parameter) first, then the
# parameter alone. Values are keys of World.values.
PARAMETERS_BY_PREFIX: dict[tuple[str, str], str] = {
    ("/assessments/", "public_id"): "assessment",
    ("/api/v1/assessments/", "public_id"): "assessment",
    ("/feedback/", "public_id"): "round",
    ("/api/v1/rounds/", "public_id"): "round",
    ("/plans/", "public_id"): "plan",
    ("/directory/people/", "public_id"): "person",
    ("/hr/campaigns/", "public_id"): "campaign",
    ("/hr/units/", "public_id"): "unit",
    ("/hr/people/", "public_id"): "person",
    ("/r/", "token"): "rater_token",
    ("/activate/", "token"): "activation_token",
    ("/reset-password/", "token"): "reset_token",
    ("/directory/confirm-email/", "token"): "email_change_token",
}
PARAMETERS: dict[str, str] = {
    "invitation_id": "invitation",
    "goal_id": "goal",
    "milestone_id": "milestone",
    "unit_id": "unit",
    "person_id": "person",
    "campaign_id": "campaign",
    "plan_id": "plan",
    "round_id": "round",
    "assessment_id": "assessment",
    "number": "page_number",
    "instrument_id": "instrument",
    "message_id": "outbox_message",
}
# Values in URLs that are not identifiers of stored rows, so need not be random ids.
NOT_IDENTIFIERS = {
    "page_number": "a page of the instrument (1, 2, ...)",
    "instrument": "the instrument's slug from its YAML file, public by design",
    "outbox_message": "an outbox row's number, on pages only administrators (who list them "
    "all) can open",
}
SECRET_TOKENS = {"rater_token", "activation_token", "reset_token", "email_change_token"}


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its lowest cost: these tests sign in many times and argon2's cost is not
    what they are about (the hashes still go through the real sign-in code)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("not-a-real-password"))


@dataclass
class World:
    """The objects the URLs name, all belonging to the owner (the campaign covers their unit)."""

    values: dict[str, str]


@pytest.fixture
def world(app: Flask, make_user) -> World:  # type: ignore[no-untyped-def]
    """Four people, and the owner's assessment, open round, plan with a goal, unit, campaign."""
    make_user(EMAILS["owner"], "manager", "Maya Lind")
    make_user(EMAILS["other"], "manager", "Otto Other")
    make_user(EMAILS["hr"], "hr", "Hana Resources")
    make_user(EMAILS["admin"], "admin", "Ada Admin")
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == EMAILS["owner"]))
        owner.unit = directory.ensure_unit(db.session, "Acme/Ops")
        db.session.commit()
        assessment = submit_assessment(EMAILS["owner"], {"delegation": 2})
        round_id, links = open_round_with(EMAILS["owner"], raters({"peer": 3}))
        rater_email = sorted(links)[0]
        plan = plans.start_plan(
            db.session,
            owner,
            plans.plan_start(db.session, owner, instruments(), action_libraries()),
            ["delegation"],
        )
        goal = plan_goals.add_goal(
            db.session,
            plan,
            goal_draft("First decision handed over"),
            default_instrument(),
            _library(),
            date.today(),
        )
        hr = db.session.scalar(select(User).where(User.email == EMAILS["hr"]))
        campaign = campaigns.create_campaign(
            db.session,
            hr,
            "Autumn feedback",
            owner.unit,
            default_deadline(),
            default_instrument(),
            "http://coach.test",
        ).campaign
        values = {
            "assessment": assessment.public_id,
            "round": round_id,
            "invitation": invitation_of(rater_email).public_id,
            "plan": plan.public_id,
            "goal": goal.public_id,
            "milestone": db.session.scalar(select(Milestone.public_id)),
            "unit": owner.unit.public_id,
            "person": owner.public_id,
            "campaign": campaign.public_id,
            "rater_token": links[rater_email].removeprefix("/r/"),
            "activation_token": _link_token(owner, TokenPurpose.ACTIVATION),
            "reset_token": _link_token(owner, TokenPurpose.RESET),
            "page_number": "1",
            "instrument": default_instrument().id,
            "email_change_token": "a-link-that-was-never-sent-0123456789abcdef",
            "outbox_message": str(db.session.scalar(select(OutboxMessage.id).limit(1))),
        }
        db.session.remove()
    return World(values)


def _library():  # type: ignore[no-untyped-def]
    return action_library(default_instrument().id)


def _link_token(user: User, purpose: TokenPurpose) -> str:
    link = account_links.stage_link(db.session, user, purpose, "http://coach.test")
    db.session.commit()
    return link.rsplit("/", 1)[1]


# --- walking the URL map ---------------------------------------------------------------------


def _rules(app: Flask) -> list[Rule]:
    """Every rule but static files: GETs first, then the rest, signing out last of all."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    return sorted(
        rules,
        key=lambda r: ("GET" not in r.methods, r.endpoint == "auth.sign_out", r.rule),
    )


def _method(rule: Rule) -> str:
    methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
    return "GET" if "GET" in methods else sorted(methods)[0]


def _object_of(rule: Rule, parameter: str) -> str:
    for (prefix, name), kind in PARAMETERS_BY_PREFIX.items():
        if name == parameter and rule.rule.startswith(prefix):
            return kind
    if parameter in PARAMETERS:
        return PARAMETERS[parameter]
    raise AssertionError(
        f"{rule.endpoint} ({rule.rule}) has a URL parameter <{parameter}> this test does not "
        "know: add it to PARAMETERS or PARAMETERS_BY_PREFIX in tests/web/test_access_control.py"
    )


def _url(rule: Rule, world: World) -> str:
    values = {p: world.values[_object_of(rule, p)] for p in rule.arguments}
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, path)
    return path


class Visitor:
    """A fresh browser per request, signed in (or holding the rater link) as its role."""

    def __init__(self, app: Flask, role: str, world: World) -> None:
        self.app, self.role, self.world = app, role, world
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.cookie: str | None = None
        if role in EMAILS:
            self.cookie = self._sign_in()

    def _sign_in(self) -> str:
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.9.{ROLES.index(self.role)}.1"
        page = client.get("/sign-in")
        signed_in = client.post(
            "/sign-in",
            data={
                "email": EMAILS[self.role],
                "password": PASSWORD,
                "csrf_token": csrf_from(page.text),
            },
        )
        assert signed_in.status_code == 302, f"{self.role} could not sign in"
        cookie = client.get_cookie(self.cookie_name)
        assert cookie is not None
        return cookie.value

    def browser(self) -> FlaskClient:
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.9.{ROLES.index(self.role)}.2"
        if self.cookie:
            client.set_cookie(self.cookie_name, self.cookie)
        if self.role == "rater":
            held = client.get(f"/r/{self.world.values['rater_token']}")
            assert held.status_code == 302, "the rater link should be valid"
        return client

    def send(self, method: str, url: str) -> int:
        client = self.browser()
        if method == "GET":
            return client.get(url).status_code
        # A page this role can open, to take a valid CSRF token from.
        page = "/account/password" if self.cookie else "/sign-in"
        token = csrf_from(client.get(page).text)
        response = client.open(
            url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token}
        )
        return response.status_code


def test_every_rule_of_the_app_is_in_the_table(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    missing = sorted(endpoints - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not missing, f"routes without a row in EXPECTED (classify them): {missing}"
    assert not stale, f"rows in EXPECTED for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(
    app: Flask, world: World, role: str
) -> None:
    visitor = Visitor(app, role, world)
    column = ROLES.index(role)
    wrong = []
    for rule in _rules(app):
        if rule.endpoint not in EXPECTED:
            continue  # reported by test_every_rule_of_the_app_is_in_the_table
        method = _method(rule)
        url = _url(rule, world)
        got = visitor.send(method, url)
        expected = EXPECTED[rule.endpoint][column]
        if got != expected:
            wrong.append(f"  {rule.endpoint:32} {method:5} {url}: expected {expected}, got {got}")
    assert not wrong, f"{role}: statuses that differ from the table\n" + "\n".join(wrong)


def test_a_method_a_route_does_not_allow_is_refused_with_405(app: Flask, world: World) -> None:
    client = app.test_client()
    adapter = app.url_map.bind("localhost")
    for rule in _rules(app):
        url = _url(rule, world)
        for method in ("GET", "POST", "PUT", "DELETE"):
            try:
                adapter.match(url, method=method)
            except MethodNotAllowed:
                assert client.open(url, method=method).status_code == 405, (method, url)
            except HTTPException:
                pass


# --- identifiers in URLs -----------------------------------------------------------------------


def _identifier_kinds(app: Flask) -> set[str]:
    kinds = {
        _object_of(rule, p)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for p in rule.arguments
    }
    return kinds - NOT_IDENTIFIERS.keys() - SECRET_TOKENS


RANDOM_ID = re.compile(r"^[A-Za-z0-9_-]{12,}$")


def _looks_random(value: str) -> bool:
    return bool(RANDOM_ID.match(value)) and not value.isdigit()


def test_ids_in_urls_are_random_not_sequential(app: Flask, world: World) -> None:
    kinds = _identifier_kinds(app)
    assert {"assessment", "round", "invitation", "person", "campaign", "goal", "milestone"} <= kinds
    sequential = {k: world.values[k] for k in kinds if not _looks_random(world.values[k])}
    assert not sequential, f"ids in URLs that are short or numbers (guessable): {sequential}"


def test_every_public_id_column_is_filled_with_random_ids(app: Flask) -> None:
    with app.app_context():
        for mapper in db.Model.registry.mappers:
            for column in inspect(mapper).columns:
                named = column.name == "public_id" or (
                    column.name == "id" and isinstance(column.type, String)
                )
                if named:
                    assert column.default is not None, f"{mapper.class_.__name__}.{column.name}"
                    assert column.default.arg.__name__ == new_public_id.__name__  # type: ignore[union-attr]
    made = {new_public_id() for _ in range(200)}
    assert len(made) == 200 and all(RANDOM_ID.match(m) and not m.isdigit() for m in made)


def test_forms_work_over_https_where_browsers_send_no_referer(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    """Every page sets Referrer-Policy: no-referrer, so over TLS a browser posts its forms with
    no Referer at all: the CSRF token alone must be enough, and still be required."""
    make_user(EMAILS["owner"], "manager", "Maya Lind")
    client = app.test_client()
    https = "https://localhost"
    page = client.get("/sign-in", base_url=https)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    form = {"email": EMAILS["owner"], "password": PASSWORD, "csrf_token": csrf_from(page.text)}
    assert client.post("/sign-in", base_url=https, data=form).status_code == 302
    assert client.post("/sign-out", base_url=https).status_code == 400  # no token: refused
    home = client.get("/", base_url=https)
    assert home.status_code == 200 and "Strict-Transport-Security" in home.headers
