"""Signing in and out, roles, and the account commands."""

from __future__ import annotations

from coach.extensions import db
from coach.models import User

from conftest import PASSWORD, csrf_from


def test_the_right_password_signs_in_whatever_the_email_case(auth, make_user):
    make_user("Maya.Lind@Example.org")
    response = auth.sign_in("MAYA.LIND@example.ORG")
    assert response.status_code == 302
    assert "Welcome, Maya" in auth.client.get("/").text


def test_wrong_password_and_unknown_email_get_the_same_message(auth, make_user):
    make_user()
    wrong_password = auth.sign_in("maya@example.org", "not the password")
    unknown = auth.sign_in("nobody@example.org", PASSWORD)
    assert wrong_password.status_code == unknown.status_code == 200
    message = "That e-mail and password do not match an active account."
    assert message in wrong_password.text and message in unknown.text


def test_a_deactivated_person_cannot_sign_in(app, auth, make_user):
    make_user()
    with app.app_context():
        user = db.session.scalar(db.select(User))
        user.active = False
        db.session.commit()
    assert auth.sign_in("maya@example.org").status_code == 200
    assert auth.client.get("/").status_code == 302


def test_sign_out_ends_the_session(auth, make_user):
    auth.sign_in(make_user())
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    assert auth.client.get("/").headers["Location"].endswith("/sign-in")


def test_changing_the_password_signs_out_other_sessions(app, make_user):
    from conftest import Auth

    email = make_user()
    first, second = Auth(app.test_client()), Auth(app.test_client())
    first.sign_in(email)
    second.sign_in(email)
    page = first.client.get("/account/password")
    response = first.client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "a brand new secret",
            "confirm": "a brand new secret",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 302
    assert first.client.get("/").status_code == 200
    assert second.client.get("/").headers["Location"].endswith("/sign-in")


def test_managers_cannot_open_the_people_page_but_hr_can(auth, make_user):
    auth.sign_in(make_user())
    assert auth.client.get("/directory/").status_code == 403
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena"))
    assert auth.client.get("/directory/").status_code == 200


def test_create_user_command_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "Ana@Example.org",
            "--name",
            "Ana Costa",
            "--role",
            "hr",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email == "ana@example.org" and user.role == "hr"
        assert user.password_hash.startswith("$argon2id$")


def test_create_user_command_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "ana@example.org", "--name", "Ana", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
