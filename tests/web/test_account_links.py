"""Activation and password-reset links: single use, expiring, and no account enumeration."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from coach.extensions import db
from coach.models import AccountToken, OutboxMessage, User
from coach.models._common import utcnow
from coach.services.people import org_import

from conftest import Auth, csrf_from

NEW_PASSWORD = "a fresh long password"


def _imported_person(app, email="noor@acme.test") -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        csv = f"email,name,unit,manager_email,role\n{email},Noor Haddad,Acme,,manager\n"
        assert org_import.import_people(db.session, csv.encode(), base_url="http://x").ok
        return db.session.scalar(
            select(OutboxMessage.link).where(OutboxMessage.to_address == email)
        )


def _path(link: str) -> str:
    return link.split("http://x", 1)[1]


def _choose_password(client, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    page = client.get(client.get_path)
    return client.post(
        client.get_path,
        data={"new": password, "confirm": password, "csrf_token": csrf_from(page.text)},
    )


def test_an_imported_person_activates_through_their_link_and_is_signed_in(app, client):
    link = _imported_person(app)
    first = client.get(_path(link))
    assert first.status_code == 302 and first.headers["Location"] == "/activate"  # token gone
    page = client.get("/activate")
    assert "Choose your password" in page.text and "noor@acme.test" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    done = client.post(
        "/activate",
        data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert done.status_code == 302
    assert "Welcome, Noor" in client.get("/").text
    assert Auth(app.test_client()).sign_in("noor@acme.test", NEW_PASSWORD).status_code == 302


def test_a_used_link_gets_a_clear_page_and_changes_nothing(app, client):
    link = _imported_person(app)
    client.get(_path(link))
    page = client.get("/activate")
    client.post(
        "/activate",
        data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    with app.app_context():
        hash_before = db.session.scalar(select(User.password_hash))
    other = app.test_client()
    other.get(_path(link))
    reused = other.get("/activate")
    assert reused.status_code == 400 and "already been used" in reused.text
    with app.app_context():
        assert db.session.scalar(select(User.password_hash)) == hash_before


def test_an_expired_link_gets_a_clear_page(app, client):
    link = _imported_person(app)
    with app.app_context():
        db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    client.get(_path(link))
    page = client.get("/activate")
    assert page.status_code == 400 and "expired" in page.text
    with app.app_context():
        assert db.session.scalar(select(User.password_hash)) is None


def test_a_made_up_link_gets_a_clear_page(client):
    client.get("/activate/this-token-was-never-issued")
    page = client.get("/activate")
    assert page.status_code == 400 and "not valid" in page.text
    assert client.get("/activate").status_code == 400  # and posting is impossible without one


def test_forgot_password_answers_the_same_for_unknown_addresses(app, client, make_user):
    make_user("known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        page = client.get("/forgot-password")
        response = client.post(
            "/forgot-password",
            data={"email": email, "csrf_token": csrf_from(page.text)},
            follow_redirects=True,
        )
        page_text = response.text.split("<main", 1)[1].replace(email, "EMAIL")
        # The CSRF token carries a timestamp; everything else must be the same.
        answers.append(re.sub(r'value="[^"]*"', 'value=""', page_text))
    assert answers[0] == answers[1]
    with app.app_context():
        sent = list(db.session.scalars(select(OutboxMessage.to_address)))
    assert sent == ["known@example.org"]


def test_a_reset_link_sets_a_new_password_and_signs_out_other_sessions(app, make_user):
    email = make_user("known@example.org")
    elsewhere = Auth(app.test_client())
    elsewhere.sign_in(email)
    assert elsewhere.client.get("/").status_code == 200
    client = app.test_client()
    page = client.get("/forgot-password")
    client.post("/forgot-password", data={"email": email, "csrf_token": csrf_from(page.text)})
    with app.app_context():
        link = db.session.scalar(select(OutboxMessage.link))
    client.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    page = client.get("/reset-password")
    assert "Choose a new password" in page.text
    client.post(
        "/reset-password",
        data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert elsewhere.client.get("/").headers["Location"].endswith("/sign-in")
    assert Auth(app.test_client()).sign_in(email, NEW_PASSWORD).status_code == 302


def test_asking_for_a_second_reset_link_leaves_the_first_usable_and_using_one_voids_both(
    app, make_user
):
    email = make_user("known@example.org")
    client = app.test_client()
    for _ in range(2):  # the owner, then anyone else who knows the address
        page = client.get("/forgot-password")
        client.post("/forgot-password", data={"email": email, "csrf_token": csrf_from(page.text)})
    with app.app_context():
        first, second = list(
            db.session.scalars(select(OutboxMessage.link).order_by(OutboxMessage.id))
        )
    owner = app.test_client()
    owner.get("/reset-password/" + first.rsplit("/", 1)[1])
    page = owner.get("/reset-password")
    assert page.status_code == 200 and "Choose a new password" in page.text
    owner.post(
        "/reset-password",
        data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert "Welcome" in owner.get("/").text
    late = app.test_client()
    late.get("/reset-password/" + second.rsplit("/", 1)[1])
    assert "already been used or was replaced" in late.get("/reset-password").text


def test_asking_for_reset_links_too_often_is_rate_limited(app, make_user):
    client = app.test_client()
    codes = []
    for _ in range(7):
        page = client.get("/forgot-password")
        response = client.post(
            "/forgot-password", data={"email": "x@example.org", "csrf_token": csrf_from(page.text)}
        )
        codes.append(response.status_code)
    assert codes[:5] == [302] * 5 and codes[-1] == 429
    assert "Too many attempts" in response.text
