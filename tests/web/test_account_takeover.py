"""HR cannot take over a person's account, or their shared plan, through the directory.

Each attack goes through the real pages: HR changes an address to one it reads and asks for
a password link; HR makes itself someone's manager to read a plan shared with the previous
one. Each test checks that the attacker learns nothing and that the change left a trace.
"""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import action_libraries, instruments
from coach.models import AccountToken, AuditEvent, DevelopmentPlan, OutboxMessage, User
from coach.services.plans import development_plans as plans

from conftest import Auth, csrf_from
from plan_helpers import set_manager, submit_assessment

MAYA, BEA, HR, ADMIN = "maya@example.org", "bea@example.org", "hr@example.org", "ada@example.org"
HR_INBOX = "helena.private@example.net"


def _people(make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(MAYA, "manager", "Maya Lind")
    make_user(BEA, "manager", "Bea Boss")
    make_user(HR, "hr", "Helena Brandt")
    make_user(ADMIN, "admin", "Ada Admin")


def _public_id(app, email: str) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(User.public_id).where(User.email == email))


def _edit(auth: Auth, public_id: str, **changes: str):  # type: ignore[no-untyped-def]
    """Save the person page with these fields changed (the rest as shown)."""
    page = auth.client.get(f"/directory/people/{public_id}")
    assert page.status_code == 200
    fields = {
        "name": "Maya Lind",
        "email": MAYA,
        "role": "manager",
        "unit": "",
        "manager_email": "",
    }
    fields.update(changes)
    return auth.client.post(
        f"/directory/people/{public_id}", data={**fields, "csrf_token": csrf_from(page.text)}
    )


def _send_link(auth: Auth, public_id: str):  # type: ignore[no-untyped-def]
    return auth.post(
        f"/directory/people/{public_id}/activation", page=f"/directory/people/{public_id}"
    )


def _mail_to(app, address: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == address)
        ).all()
        db.session.expunge_all()
        return list(found)


def _events(app, kind: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == kind)))
        db.session.expunge_all()
        return found


def _sign_out(auth: Auth) -> None:
    auth.client.post("/sign-out", data={"csrf_token": csrf_from(auth.client.get("/").text)})


def test_hr_changing_an_address_to_its_own_and_sending_a_password_link_gets_no_link(
    app, auth, make_user
):
    _people(make_user)
    maya = _public_id(app, MAYA)
    auth.sign_in(HR)
    assert _edit(auth, maya, email=HR_INBOX).status_code == 302

    refused = auth.client.get(
        _send_link(auth, maya).headers["Location"]
    )  # the person page, with the reason
    assert "not confirmed" in refused.text
    forgot = auth.client.get("/forgot-password")
    auth.client.post(
        "/forgot-password", data={"email": HR_INBOX, "csrf_token": csrf_from(forgot.text)}
    )

    assert _mail_to(app, HR_INBOX) == []  # nothing at all went to the new address
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == HR_INBOX))
        usable = db.session.scalars(
            select(AccountToken).where(
                AccountToken.user_id == person.id,
                AccountToken.used_at.is_(None),
                AccountToken.purpose != "email_change",
            )
        ).all()
        assert usable == [] and person.email_unconfirmed_from == MAYA
    told = _mail_to(app, MAYA)
    assert [m.kind for m in told] == ["email_change"]
    assert HR_INBOX in told[0].body and "/directory/confirm-email/" in (told[0].link or "")
    changed = _events(app, "email_changed")
    assert len(changed) == 1 and changed[0].detail == f"{MAYA} -> {HR_INBOX}"


def test_once_the_person_confirms_from_the_old_address_links_go_to_the_new_one(
    app, auth, make_user, client
):
    _people(make_user)
    maya = _public_id(app, MAYA)
    auth.sign_in(HR)
    _edit(auth, maya, email="maya.lind@example.org")
    link = _mail_to(app, MAYA)[0].link or ""
    path = link.removeprefix(app.config["COACH"].base_url)

    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and "maya.lind@example.org" in page.text
    assert visitor.post(path, data={"csrf_token": csrf_from(page.text)}).status_code == 302
    assert visitor.get(path).status_code == 400  # used once

    assert _send_link(auth, maya).status_code == 302
    assert [m.kind for m in _mail_to(app, "maya.lind@example.org")] == ["activation"]
    assert len(_events(app, "email_change_confirmed")) == 1


def test_only_an_administrator_can_approve_a_changed_address_and_the_approval_is_audited(
    app, auth, make_user
):
    _people(make_user)
    maya = _public_id(app, MAYA)
    auth.sign_in(HR)
    _edit(auth, maya, email=HR_INBOX)
    approve = f"/directory/people/{maya}/email-approval"
    assert auth.post(approve, page=f"/directory/people/{maya}").status_code == 403
    assert _mail_to(app, HR_INBOX) == []
    _sign_out(auth)

    auth.sign_in(ADMIN)
    page = auth.client.get(f"/directory/people/{maya}").text
    assert "not confirmed" in page and f"Approve {HR_INBOX}" in page
    assert auth.post(approve, page=f"/directory/people/{maya}").status_code == 302
    approved = _events(app, "email_change_approved")
    assert len(approved) == 1 and approved[0].detail == MAYA
    assert _send_link(auth, maya).status_code == 302
    assert [m.kind for m in _mail_to(app, HR_INBOX)] == ["activation"]


def test_an_address_changed_back_to_the_confirmed_one_needs_no_confirmation(app, auth, make_user):
    _people(make_user)
    maya = _public_id(app, MAYA)
    auth.sign_in(HR)
    _edit(auth, maya, email="typo@example.org")
    _edit(auth, maya, email="second-typo@example.org", name="Maya Lind")
    with app.app_context():  # the address to confirm from is still the first one
        assert (
            db.session.scalar(select(User.email_unconfirmed_from).where(User.public_id == maya))
            == MAYA
        )
    _edit(auth, maya, email=MAYA)
    assert _send_link(auth, maya).status_code == 302
    assert "activation" in [m.kind for m in _mail_to(app, MAYA)]


def _shared_plan(app) -> str:  # type: ignore[no-untyped-def]
    """Maya reports to Bea and shares her plan with Bea; returns the plan's address."""
    with app.app_context():
        set_manager(MAYA, BEA)
        submit_assessment(MAYA, {"delegation": 2})
        owner = db.session.scalar(select(User).where(User.email == MAYA))
        start = plans.plan_start(db.session, owner, instruments(), action_libraries())
        plan = plans.start_plan(db.session, owner, start, ["delegation"])
        plans.set_sharing(db.session, plan, True)
        url = f"/plans/{plan.public_id}"
        db.session.remove()
        return url


def test_hr_making_itself_the_manager_cannot_read_a_plan_shared_with_the_previous_one(
    app, auth, make_user
):
    _people(make_user)
    plan_url = _shared_plan(app)
    auth.sign_in(BEA)
    assert auth.client.get(plan_url).status_code == 200
    _sign_out(auth)

    auth.sign_in(HR)
    assert _edit(auth, _public_id(app, MAYA), manager_email=HR).status_code == 302
    assert auth.client.get(plan_url).status_code == 404
    assert "Maya Lind" not in auth.client.get("/plans/").text
    _sign_out(auth)
    auth.sign_in(BEA)  # nor the previous manager: sharing ended with the change
    assert auth.client.get(plan_url).status_code == 404
    with app.app_context():
        plan = db.session.scalar(select(DevelopmentPlan))
        assert not plan.shared_with_manager and plan.shared_with_id is None
    ended = _events(app, "plan_sharing_ended")
    assert len(ended) == 1 and ended[0].target == MAYA


def test_an_import_that_changes_the_manager_ends_the_sharing_too(app, auth, make_user):
    _people(make_user)
    plan_url = _shared_plan(app)
    auth.sign_in(HR)
    page = auth.client.get("/directory/import")
    rows = f"email,name,unit,manager_email,role\n{MAYA},Maya Lind,Acme,{HR},manager\n"
    auth.client.post(
        "/directory/import",
        data={"csrf_token": csrf_from(page.text), "file": (BytesIO(rows.encode()), "org.csv")},
        content_type="multipart/form-data",
    )
    assert auth.client.get(plan_url).status_code == 404
    with app.app_context():
        assert not db.session.scalar(select(DevelopmentPlan.shared_with_manager))


def test_every_read_of_a_shared_plan_by_the_manager_is_audited(app, auth, make_user):
    _people(make_user)
    plan_url = _shared_plan(app)
    auth.sign_in(MAYA)
    assert auth.client.get(plan_url).status_code == 200  # the owner's own reads are not
    _sign_out(auth)
    auth.sign_in(BEA)
    for _ in range(2):
        assert auth.client.get(plan_url).status_code == 200
    viewed = _events(app, "shared_plan_viewed")
    assert len(viewed) == 2 and all(e.target == MAYA for e in viewed)
