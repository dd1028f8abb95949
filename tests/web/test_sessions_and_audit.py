"""Sessions end when they should, attempts are limited across workers, events are audited."""

from __future__ import annotations

import time

from sqlalchemy import select

from coach.extensions import db
from coach.models import AuditEvent, User

from conftest import PASSWORD, Auth, csrf_from


def _events(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.event).order_by(AuditEvent.id)))


def test_wrong_passwords_make_that_network_wait_but_not_the_owner_elsewhere(app, auth, make_user):
    email = make_user()
    for _ in range(5):  # the fifth wrong password starts a wait for this address from here
        page = auth.client.get("/sign-in")
        auth.client.post(
            "/sign-in",
            data={"email": email, "password": "wrong!", "csrf_token": csrf_from(page.text)},
            environ_base={"REMOTE_ADDR": "192.0.2.66"},
        )
    page = auth.client.get("/sign-in")
    waiting = auth.client.post(  # the right password, during the wait, from the same network
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        environ_base={"REMOTE_ADDR": "192.0.2.66"},
    )
    assert waiting.status_code == 429 and "try again in 1 minute" in waiting.text
    assert "sign_in_throttled" in _events(app)
    assert auth.sign_in(email).status_code == 302  # the owner, from their own address


def test_too_many_sign_in_attempts_from_one_address_get_a_clear_429(app, auth, make_user):
    codes = [auth.sign_in(f"nobody{n}@example.org", "x").status_code for n in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    with app.app_context():
        stored = db.session.execute(db.text("SELECT count(*) FROM rate_limit_counter")).scalar()
    assert stored >= 1  # counted in the database, shared by every worker


def test_an_idle_session_ends_after_thirty_minutes(app, auth, make_user):
    auth.sign_in(make_user())
    with auth.client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    response = auth.client.get("/")
    assert "/sign-in" in response.headers["Location"]
    assert auth.client.get("/").headers["Location"].endswith("/sign-in")


def test_a_session_ends_after_twelve_hours_however_active(app, auth, make_user):
    auth.sign_in(make_user())
    with auth.client.session_transaction() as session:
        session["started_at"] = time.time() - 12 * 3600 - 5
    assert "/sign-in" in auth.client.get("/").headers["Location"]


def test_signing_out_ends_every_other_session_too(app, make_user):
    email = make_user()
    laptop, phone = Auth(app.test_client()), Auth(app.test_client())
    laptop.sign_in(email)
    phone.sign_in(email)
    laptop.client.post("/sign-out", data={"csrf_token": csrf_from(laptop.client.get("/").text)})
    assert phone.client.get("/").headers["Location"].endswith("/sign-in")


def test_the_session_cookie_is_httponly_and_samesite_lax(auth, make_user):
    response = auth.sign_in(make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_every_page_sends_the_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_behind_tls(client):
    response = client.get("/sign-in", base_url="https://coach.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_sign_ins_role_changes_and_deactivations_are_audited_for_admins_only(app, auth, make_user):
    make_user("worker@example.org", name="Wim Worker")
    auth.sign_in(make_user("admin@example.org", role="admin", name="Ada Admin"))
    with app.app_context():
        worker = db.session.scalar(select(User).where(User.email == "worker@example.org"))
        public_id = worker.public_id
    page = auth.client.get(f"/directory/people/{public_id}")
    auth.client.post(
        f"/directory/people/{public_id}",
        data={
            "name": "Wim Worker",
            "email": "worker@example.org",
            "role": "hr",
            "unit": "",
            "manager_email": "",
            "csrf_token": csrf_from(page.text),
        },
    )
    auth.post(
        f"/directory/people/{public_id}/active",
        {"active": "0"},
        page=f"/directory/people/{public_id}",
    )
    events = _events(app)
    assert {"sign_in", "role_changed", "account_deactivated"} <= set(events)
    page = auth.client.get("/admin/audit").text
    assert "Role changed" in page and "from manager to hr in the directory" in page
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena"))
    assert auth.client.get("/admin/audit").status_code == 403
