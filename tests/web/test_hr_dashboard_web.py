"""The HR analytics pages, downloads and API: HR and admin only, figures under anonymity."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import AuditEvent, OrgUnit, User
from coach.services.demo import organisation as demo_organisation
from coach.services.hr import archetype_refit, instrument_quality
from coach.services.people import directory

from hr_builders import person, submit, synthetic_org

PAGES = ("/hr/dashboard", "/hr/archetypes", "/hr/quality", "/hr/dashboard/export.csv")
API = ("/api/v1/hr/summary", "/api/v1/hr/archetypes")


@pytest.fixture
def hr(auth, make_user):  # type: ignore[no-untyped-def]
    auth.sign_in(make_user("hana@example.org", "hr", "Hana Resources"))
    return auth


def _org(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        # Ops and Sales are shown; Tiny and Mini (3 each) are not, and together they are
        # 6 people, so Acme minus Ops and Sales reveals nobody.
        for name, size, level in (("Ops", 6, 4), ("Sales", 6, 2), ("Tiny", 3, 1), ("Mini", 3, 5)):
            for i in range(size):
                submit(person(f"{name}{i}@example.org", f"Acme/{name}"), level=level)
        db.session.remove()


def test_visitors_sign_in_managers_are_refused_hr_and_admins_read(app, client, auth, make_user):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for path in (*API, "/api/v1/hr/psychometrics"):
        assert client.get(path).status_code == 401
    auth.sign_in(make_user("m@example.org", "manager", "Max Manager"))
    for path in (*PAGES, *API, "/api/v1/hr/psychometrics"):
        assert client.get(path).status_code == 403, path
    client.post("/sign-out", data={})
    admin = app.test_client()
    make_user("ada@example.org", "admin", "Ada Admin")
    from conftest import Auth

    Auth(admin).sign_in("ada@example.org")
    for path in (*PAGES, *API):
        assert admin.get(path).status_code == 200, path


def test_the_dashboard_shows_a_unit_and_leaves_out_a_small_one(app, hr):
    _org(app)
    with app.app_context():
        acme = directory.ensure_unit(db.session, "Acme").public_id
    page = hr.client.get(f"/hr/dashboard?unit={acme}")
    assert page.status_code == 200
    html = page.text
    assert "Ops" in html and "Tiny" in html
    assert "fewer than 5 people, or it would reveal a small group" in html
    assert 'id="hr-data"' in html and "<script>" not in html
    assert hr.client.get("/hr/dashboard?unit=nope").status_code == 404
    # an unknown filter value falls back to its default instead of failing
    assert hr.client.get("/hr/dashboard?cycle=abc&rater_group=x&archetype=y").status_code == 200


def test_csv_downloads_carry_only_shown_figures_and_are_audited(app, hr):
    _org(app)
    with app.app_context():
        acme = directory.ensure_unit(db.session, "Acme").public_id
    response = hr.client.get(f"/hr/dashboard/export.csv?unit={acme}&figure=heatmap")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {r["figure"] for r in rows} == {"heatmap"}
    assert {r["unit"].rsplit("/", 1)[1] for r in rows} == {"Ops", "Sales"}
    assert all(int(r["n"]) >= 5 for r in rows)
    everything = hr.client.get(f"/hr/dashboard/export.csv?unit={acme}")
    assert all(int(r["n"]) >= 5 for r in csv.DictReader(io.StringIO(everything.text)) if r["n"])
    assert hr.client.get("/hr/dashboard/export.csv?figure=nonsense").status_code == 404
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.event == "export").order_by(AuditEvent.id)
        ).all()
        assert [e.target for e in events] == ["hr-dashboard:heatmap", "hr-dashboard:all"]
        assert all(e.actor_id for e in events)


def test_the_api_gives_each_figure_with_its_n_and_leaves_suppressed_ones_out(app, hr):
    _org(app)
    with app.app_context():
        tiny = directory.ensure_unit(db.session, "Acme/Tiny").public_id
    body = hr.client.get("/api/v1/hr/summary").get_json()
    assert body["available"] and body["self"]["n"] == 18
    assert all(s["n"] == 18 for s in body["self"]["scales"])
    small = hr.client.get(f"/api/v1/hr/summary?unit={tiny}").get_json()
    assert small["self"] == {"shown": False}
    assert hr.client.get("/api/v1/hr/summary?unit=nope").status_code == 404
    assert hr.client.get("/api/v1/hr/psychometrics").status_code == 404  # not computed yet
    with app.app_context():
        instrument_quality.refresh_quality(db.session, default_instrument())
    figures = hr.client.get("/api/v1/hr/psychometrics?instrument=leader-manager").get_json()
    assert figures["instrument"] == "leader-manager" and figures["computed_at"]
    assert hr.client.get("/api/v1/hr/psychometrics?instrument=nope").status_code == 404


def test_the_pages_with_the_demo_organisation(app, client, auth):
    with app.app_context():
        instrument = default_instrument()
        demo_organisation.seed_demo(db.session, instrument, "correct horse battery")
        archetype_refit.recluster(db.session, instrument)
        instrument_quality.refresh_quality(db.session, instrument)
        db.session.remove()
    auth.sign_in("hr@demo.coach.example")
    dashboard = client.get("/hr/dashboard").text
    assert "Whole organisation" in dashboard and "Leader index" in dashboard
    cards = client.get("/hr/archetypes").text
    assert "they do not type people" in cards and "Above average at both" in cards
    assert "theory prototypes" in cards
    checks = client.get("/hr/quality").text
    assert "Vision and direction" in checks and "Alpha" in checks
    api = client.get("/api/v1/hr/archetypes").get_json()
    assert api["available"] and len(api["cards"]) == 4
    exported = client.get("/hr/archetypes/export.csv")
    assert exported.status_code == 200 and "centroid vision" in exported.text
    assert client.get("/hr/quality/export.csv").status_code == 200


@contextmanager
def counted_queries(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _summary_queries(app, hr) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        first = db.session.scalar(select(OrgUnit.public_id).order_by(OrgUnit.id).limit(1))
    urls = (
        "/api/v1/hr/summary",
        f"/api/v1/hr/summary?unit={first}",
        "/api/v1/hr/summary?rater_group=peer",
    )
    for url in urls:  # warm the statement caches
        hr.client.get(url)
    with counted_queries(app) as statements:
        for url in urls:
            assert hr.client.get(url).status_code == 200
    return len(statements)


def test_the_summary_api_runs_as_many_queries_for_500_people_as_for_50(app, hr):
    with app.app_context():
        synthetic_org(50, seed=50)
    small = _summary_queries(app, hr)
    with app.app_context():
        synthetic_org(450, seed=450)  # a second organisation tree: 500 people in all
        total = db.session.scalar(select(func.count()).select_from(User))
    assert total == 501  # and the HR account
    large = _summary_queries(app, hr)
    assert small == large
