"""What an operator's tools see: health and readiness, metrics behind a token, JSON logs."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from flask_migrate import upgrade

from coach import create_app, logging_setup
from coach.extensions import db, limiter
from coach.services.people import directory

from feedback_helpers import answer_every_page, arrive, open_round_with, raters, submit_review
from plan_helpers import submit_assessment

TOKEN = "operator-scrape-token-0123456789abcdef"


def _scrape(client, token: str = TOKEN):  # type: ignore[no-untyped-def]
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def _value(text: str, name: str, labels: str = "") -> float:
    """One sample's value from the text format (0 when the series is absent)."""
    pattern = re.escape(name + (f"{{{labels}}}" if labels else "")) + r" ([0-9.e+-]+)\n"
    found = re.search(pattern, text)
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def build_app(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Build a second application on ``database_url``; the shared limiter is put back after."""
    saved = dict(limiter.__dict__)  # init_app points the one limiter at the newest app's store

    def build(database_url: str | None = None, **config: object):  # type: ignore[no-untyped-def]
        if database_url:
            monkeypatch.setenv("COACH_DATABASE_URL", database_url)
        monkeypatch.setenv("COACH_INSTANCE_DIR", str(tmp_path))
        return create_app({"TESTING": True, **config})

    yield build
    limiter.__dict__.update(saved)


@pytest.fixture
def metrics_token(app, monkeypatch):  # type: ignore[no-untyped-def]
    """The operator's token, set for this test only."""
    monkeypatch.setitem(app.config, "COACH_METRICS_TOKEN", TOKEN)
    return TOKEN


def test_a_load_balancer_sees_health_and_readiness_without_signing_in(client):
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.text == "ok\n"
        assert response.mimetype == "text/plain"
        assert "Set-Cookie" not in response.headers


def test_readiness_fails_without_detail_until_the_schema_is_migrated(
    tmp_path, monkeypatch, loggers_kept, caplog, build_app
):
    # Alembic's logging file, read by the session's migration, switched our loggers off.
    monkeypatch.setattr(logging.getLogger("coach.health"), "disabled", False)
    fresh = build_app(f"sqlite:///{tmp_path / 'new.db'}")
    client = fresh.test_client()
    assert client.get("/healthz").status_code == 200  # the process itself is fine
    refused = client.get("/readyz")
    assert refused.status_code == 503
    assert refused.text == "not ready\n"  # no version, no schema name, no error text
    assert "code expects" in caplog.text  # the reason is in the server's log
    with fresh.app_context():
        upgrade()
        db.engine.dispose()
    assert client.get("/readyz").status_code == 200


def test_readiness_fails_when_the_database_cannot_be_reached(build_app):
    unreachable = build_app("postgresql://nobody@127.0.0.1:9/absent")
    refused = unreachable.test_client().get("/readyz")
    assert refused.status_code == 503
    assert refused.text == "not ready\n"


def test_the_metrics_page_is_not_found_without_the_operators_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "COACH_METRICS_TOKEN", "")
    assert _scrape(client).status_code == 404  # no token configured: no metrics at all
    monkeypatch.setitem(app.config, "COACH_METRICS_TOKEN", TOKEN)
    assert client.get("/metrics").status_code == 404
    assert _scrape(client, TOKEN + "x").status_code == 404
    assert _scrape(client, TOKEN[:-1]).status_code == 404
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404
    assert _scrape(client).status_code == 200


def test_failed_sign_ins_and_rater_submissions_move_the_counters(
    app, client, auth, make_user, metrics_token
):
    make_user("subject@example.org", name="Sam Subject")
    with app.app_context():
        directory.ensure_unit(db.session, "Northwind Logistics / Harbour Depot")
        db.session.commit()
        _, links = open_round_with("subject@example.org", raters({"peer": 3}))
    before = _scrape(client).text

    assert auth.sign_in("subject@example.org", "not the password").status_code == 200
    rater = app.test_client()
    welcome = arrive(rater, links["peer0@example.org"])
    answer_every_page(app, rater, welcome)
    assert submit_review(rater, welcome).headers["Location"].endswith("/rate/thanks")
    after = _scrape(client).text

    failed = "coach_failed_sign_ins_total"
    assert _value(after, failed) == _value(before, failed) + 1
    rater = ("coach_submissions_total", 'kind="rater"')
    assert _value(after, *rater) == _value(before, *rater) + 1
    assert _value(after, "coach_outbox_messages", 'status="pending"') == 3  # the invitations
    assert _value(after, "coach_outbox_oldest_pending_age_seconds") >= 0
    assert _value(after, "coach_database_readable") == 1
    signed_in = 'endpoint="auth.sign_in",method="POST",status="200"'
    assert _value(after, "coach_http_requests_total", signed_in) >= 1
    assert 'coach_http_request_duration_seconds_bucket{endpoint="rate.review"' in after
    # Route names only: no address, name, link token or unit ever reaches the page.
    token = links["peer0@example.org"].rsplit("/", 1)[1]
    for private in ("@example.org", "Sam Subject", "Peer 0", token, "Northwind", "Harbour"):
        assert private not in after, private
    assert "/r/" not in after


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """What the JSON log handler writes during one test; the handler is removed after."""
    root = logging.getLogger()
    level, written = root.level, io.StringIO()
    handler = logging_setup.install_json_handler(written)
    yield written
    root.removeHandler(handler)
    root.setLevel(level)


def test_json_logs_give_each_request_one_line_without_tokens_or_personal_data(
    app, make_user, json_logs, build_app
):
    make_user("subject@example.org", name="Sam Subject")
    with app.app_context():
        _, links = open_round_with("subject@example.org", raters({"peer": 3}))
    logged = build_app(COACH_LOG_FORMAT="json")  # on the test database
    client = logged.test_client()
    link = links["peer0@example.org"]
    client.get(link + "?utm_source=mail-campaign")
    client.get("/sign-in?next=/secret-place", headers={"X-Request-ID": "proxy-chosen-id-42"})
    client.post("/sign-in", data={"email": "subject@example.org", "password": "hunter2-typed"})

    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    requests = [entry for entry in lines if entry["logger"] == "coach.request"]
    assert [r["endpoint"] for r in requests] == ["rate.arrive", "auth.sign_in", "auth.sign_in"]
    assert [r["status"] for r in requests][1] == 200
    assert all(r["duration_ms"] >= 0 and r["request_id"] for r in requests)
    assert requests[1]["request_id"] == "proxy-chosen-id-42"
    text = json.dumps(lines)
    token = link.rsplit("/", 1)[1]
    for private in (token, "utm_source", "secret-place", "subject@example.org", "hunter2"):
        assert private not in text, private


def test_a_submitted_self_assessment_moves_the_self_counter(app, client, make_user, metrics_token):
    email = make_user()
    before = _value(_scrape(client).text, "coach_submissions_total", 'kind="self"')
    with app.app_context():
        submit_assessment(email)
    after = _value(_scrape(client).text, "coach_submissions_total", 'kind="self"')
    assert after == before + 1
