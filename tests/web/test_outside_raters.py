"""Raters the subject cannot control: outside addresses wait for the manager's or HR's approval."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coach.extensions import db
from coach.models import AuditEvent, FeedbackRound, Invitation, OutboxMessage, User

from conftest import csrf_from
from rater_control_helpers import OUTSIDER, PEERS, add, org, signed_in, start


def _outsider_nominated(app):  # type: ignore[no-untyped-def]
    """Sam, signed in, with a draft round of peers and Cleo Client from outside the directory."""
    org(app)
    subject = signed_in(app, "sam@acme.test")
    round_url = start(subject, PEERS)
    add(subject, round_url, "Cleo Client", OUTSIDER)
    return subject, round_url


def _request_id(app) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(Invitation.public_id).where(Invitation.email == OUTSIDER))


def _invited(app) -> set[str]:  # type: ignore[no-untyped-def]
    """Every address an invitation went to."""
    with app.app_context():
        return set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(OutboxMessage.kind == "invitation")
            )
        )


def test_an_outside_rater_waits_and_gets_no_invitation_until_the_manager_approves(app):
    org(app)
    subject = signed_in(app, "sam@acme.test")
    round_url = start(subject, PEERS)
    added = add(subject, round_url, "Cleo Client", OUTSIDER)
    page = subject.client.get(added.headers["Location"]).text
    assert "must approve them before any invitation is sent" in page
    assert "Waiting for approval" in page and "Bea Boss, or HR" in page
    subject.post(f"{round_url}/open", page=round_url)
    invited = _invited(app)
    assert OUTSIDER not in invited and set(PEERS) <= invited

    with app.app_context():
        asked = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "approval_request")
        ).one()
        assert asked.to_address == "bea@acme.test" and asked.link.endswith("/feedback/approvals")
        assert "Cleo Client" in asked.body and "Sam Subject" in asked.subject
    manager = signed_in(app, "bea@acme.test")
    home = manager.client.get("/").text
    assert 'href="/feedback/approvals"' in home
    approvals = manager.client.get("/feedback/approvals").text
    assert "Cleo Client" in approvals and "Sam Subject" in approvals
    current = re.findall(r'aria-current="page">([^<]+)<', approvals)
    assert current == ["Approvals"]  # its own section, not Feedback's
    assert 'href="/feedback/approvals"' not in subject.client.get("/").text  # manages nobody
    request_id = _request_id(app)
    approved = manager.post(f"/feedback/approvals/{request_id}/approve", page="/feedback/approvals")
    assert approved.status_code == 302
    with app.app_context():
        sent = db.session.scalar(
            select(OutboxMessage.link).where(OutboxMessage.to_address == OUTSIDER)
        )
        audited = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "rater_approved"))
        assert sent and "/r/" in sent
        assert audited.target == request_id and audited.actor_id is not None
    assert "Nothing is waiting" in manager.client.get("/feedback/approvals").text
    assert "Waiting for approval" not in subject.client.get(round_url).text


def test_hr_can_approve_an_outside_rater_who_is_invited_when_the_round_opens(app):
    subject, round_url = _outsider_nominated(app)
    hr = signed_in(app, "hana@acme.test")
    request_id = _request_id(app)
    assert "Cleo Client" in hr.client.get("/feedback/approvals").text
    hr.post(f"/feedback/approvals/{request_id}/approve", page="/feedback/approvals")
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind == "invitation")
            )
            == 0
        )
    subject.post(f"{round_url}/open", page=round_url)
    invited = _invited(app)
    assert invited == {*PEERS, OUTSIDER}


def test_another_manager_and_the_subject_cannot_approve(app):
    subject, round_url = _outsider_nominated(app)
    subject.post(f"{round_url}/open", page=round_url)
    request_id = _request_id(app)
    other = signed_in(app, "otto@acme.test")
    assert "Cleo Client" not in other.client.get("/feedback/approvals").text
    for person in (other, subject):
        for decision in ("approve", "decline"):
            refused = person.post(
                f"/feedback/approvals/{request_id}/{decision}", page="/feedback/approvals"
            )
            assert refused.status_code == 404
    assert OUTSIDER not in _invited(app)
    with app.app_context():
        assert db.session.scalar(select(Invitation.approval).where(Invitation.email == OUTSIDER))
        assert (
            db.session.scalar(select(Invitation.approval).where(Invitation.email == OUTSIDER))
            == "pending"
        )


def test_a_declined_outside_rater_is_dropped_with_a_note_and_cannot_be_added_again(app):
    subject, round_url = _outsider_nominated(app)
    manager = signed_in(app, "bea@acme.test")
    request_id = _request_id(app)
    manager.post(f"/feedback/approvals/{request_id}/decline", page="/feedback/approvals")
    page = subject.client.get(round_url).text
    assert "Not approved, so never invited: Cleo Client" in page
    again = add(subject, round_url, "Cleo Client", OUTSIDER)
    assert again.status_code == 400 and "was not approved" in again.text
    subject.post(f"{round_url}/open", page=round_url)
    assert OUTSIDER not in _invited(app)
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent.event).where(AuditEvent.event == "rater_declined")
        )


def test_only_the_manager_in_the_directory_can_rate_as_manager(app):
    org(app)
    subject = signed_in(app, "sam@acme.test")
    round_url = start(subject, [])
    refused = add(subject, round_url, "Pia", "p0@acme.test", "manager")
    assert refused.status_code == 400
    error = re.search(r'<p class="error" id="relationship-error">([^<]+)</p>', refused.text)
    assert error and "Bea Boss" in error.group(1)
    assert add(subject, round_url, "B", "bea@acme.test", "manager").status_code == 302


def test_a_colleague_added_by_address_is_invited_at_once_under_their_directory_name(app):
    org(app)
    subject = signed_in(app, "sam@acme.test")
    round_url = start(subject, PEERS[:2])
    subject.post(f"{round_url}/open", page=round_url)
    add(subject, round_url, "whoever", "olga@acme.test", "other")
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.email == "olga@acme.test")
        )
        assert invitation.name == "Olga Report" and invitation.approval is None
        assert "olga@acme.test" in set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(OutboxMessage.kind == "invitation")
            )
        )


def test_hr_opening_a_campaign_skips_a_round_whose_only_rater_waits_for_approval(app):
    org(app)
    hr = signed_in(app, "hana@acme.test")
    with app.app_context():
        sales = db.session.scalar(select(User).where(User.email == "otto@acme.test")).unit
        unit_id = sales.public_id
    page = hr.client.get("/hr/campaigns")
    created = hr.client.post(
        "/hr/campaigns",
        data={
            "name": "Winter",
            "unit": unit_id,
            "deadline": "2099-01-31",
            "csrf_token": csrf_from(page.text),
        },
    )
    campaign_url = created.headers["Location"]
    subject = signed_in(app, "otto@acme.test")
    with app.app_context():
        round_id = db.session.scalar(select(FeedbackRound.public_id))
        proposed = list(db.session.scalars(select(Invitation.public_id)))
    round_url = f"/feedback/{round_id}"
    for invitation_id in proposed:  # the campaign proposed directory people only
        subject.post(f"{round_url}/raters/{invitation_id}/withdraw", page=round_url)
    add(subject, round_url, "Cleo Client", OUTSIDER)
    opened = hr.post(f"{campaign_url}/open", page=campaign_url)
    assert opened.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(FeedbackRound.state)) == "draft"
        invited = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "invitation")
        )
        assert invited == 0
