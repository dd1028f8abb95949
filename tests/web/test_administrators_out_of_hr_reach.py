"""HR can neither change nor deactivate an administrator, by any path; every role change is
audited whichever path made it (the person page, an import, the create-user command)."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from coach.extensions import db
from coach.models import AuditEvent, User

from conftest import Auth, csrf_from

HR, ADMIN, MAYA = "hr@example.org", "ada@example.org", "maya@example.org"


def _people(make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(HR, "hr", "Helena Brandt")
    make_user(ADMIN, "admin", "Ada Admin")
    make_user(MAYA, "manager", "Maya Lind")


def _person(app, email: str) -> User:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge_all()
        return found


def _import(auth: Auth, rows: str, **extra: str):  # type: ignore[no-untyped-def]
    page = auth.client.get("/directory/import")
    text = "email,name,unit,manager_email,role\n" + rows
    data = {"csrf_token": csrf_from(page.text), "file": (BytesIO(text.encode()), "org.csv")}
    return auth.client.post(
        "/directory/import", data={**data, **extra}, content_type="multipart/form-data"
    )


def _role_changes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (e.target, e.detail)
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.event == "role_changed").order_by(AuditEvent.id)
            )
        ]


def test_hr_cannot_deactivate_or_send_links_to_an_administrator_from_the_directory(
    app, auth, make_user
):
    _people(make_user)
    admin = _person(app, ADMIN).public_id
    auth.sign_in(HR)
    assert auth.client.get(f"/directory/people/{admin}").status_code == 403
    for action in ("active", "activation"):
        response = auth.post(f"/directory/people/{admin}/{action}", {"active": "0"})
        assert response.status_code == 403, action
    assert _person(app, ADMIN).active


def test_an_hr_import_leaves_administrators_as_they_are_and_says_so(app, auth, make_user):
    _people(make_user)
    auth.sign_in(HR)
    result = _import(auth, f"{ADMIN},Someone Else,Acme,,manager\n{MAYA},Maya Lind,Acme,,hr\n")
    assert "Import done" in result.text and "Administrators kept as they were" in result.text
    admin = _person(app, ADMIN)
    assert (admin.role, admin.name, admin.active) == ("admin", "Ada Admin", True)
    assert _person(app, MAYA).role == "hr"
    assert _role_changes(app)[-1] == (MAYA, "manager -> hr (import)")
    refused = _import(auth, "new@example.org,New Admin,Acme,,admin\n")  # still refused
    assert "only an administrator can import administrators" in refused.text


def test_a_full_import_by_hr_does_not_deactivate_administrators_missing_from_it(
    app, auth, make_user
):
    _people(make_user)
    auth.sign_in(HR)
    result = _import(
        auth,
        f"{HR},Helena Brandt,Acme,,hr\n{MAYA},Maya Lind,Acme,,manager\n",
        deactivate_missing="y",
    )
    assert "Import done" in result.text and "not deactivated by an import" in result.text
    assert _person(app, ADMIN).active


def test_an_import_by_an_administrator_does_not_demote_an_administrator_either(
    app, auth, make_user
):
    _people(make_user)
    auth.sign_in(ADMIN)
    result = _import(auth, f"{ADMIN},Ada Admin,Acme,,manager\n")
    assert "stays an administrator" in result.text
    assert _person(app, ADMIN).role == "admin"


def test_role_changes_are_audited_on_the_person_page_and_by_create_user(app, auth, make_user):
    _people(make_user)
    maya = _person(app, MAYA).public_id
    auth.sign_in(ADMIN)
    page = auth.client.get(f"/directory/people/{maya}")
    auth.client.post(
        f"/directory/people/{maya}",
        data={
            "name": "Maya Lind",
            "email": MAYA,
            "role": "hr",
            "unit": "",
            "manager_email": "",
            "csrf_token": csrf_from(page.text),
        },
    )
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "root@example.org",
            "--name",
            "Root",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    changes = _role_changes(app)
    assert (MAYA, "manager -> hr (directory)") in changes
    assert ("root@example.org", "created as admin") in changes
