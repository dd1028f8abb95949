"""The subject cannot learn who answered, nor plant raters they control, through any route."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select, update

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import AuditEvent, FeedbackResponse, Invitation, OutboxMessage, User
from coach.models.feedback import FeedbackRound
from coach.services import org_import, rating
from coach.services.passwords import hash_password

from conftest import PASSWORD, Auth, csrf_from
from feedback_helpers import BASE

ORG = (
    "email,name,unit,manager_email,role\n"
    "bea@acme.test,Bea Boss,Acme,,manager\n"
    "sam@acme.test,Sam Subject,Acme/Ops,bea@acme.test,manager\n"
    "p0@acme.test,Pia Zero,Acme/Ops,bea@acme.test,manager\n"
    "p1@acme.test,Pat One,Acme/Ops,bea@acme.test,manager\n"
    "p2@acme.test,Pol Two,Acme/Ops,bea@acme.test,manager\n"
    "otto@acme.test,Otto Other,Acme/Sales,bea@acme.test,manager\n"
    "olga@acme.test,Olga Report,Acme/Sales,otto@acme.test,manager\n"
    "hana@acme.test,Hana Resources,Acme,,hr\n"
)
PEERS = ["p0@acme.test", "p1@acme.test", "p2@acme.test"]
OUTSIDER = "cleo@client.example"
DEADLINE = datetime(2099, 1, 31, 23, 59, tzinfo=UTC)
ROUND_TABLES = {
    "response_scale_score",
    "response_answer",
    "feedback_comment",
    "feedback_response",
    "rater_draft",
    "invitation",
    "feedback_round",
    "outbox_message",
    "pooled_variance",
}


def _org(app: Flask) -> None:
    with app.app_context():
        assert org_import.import_people(db.session, ORG.encode(), base_url=BASE).ok
        db.session.execute(update(User).values(password_hash=hash_password(PASSWORD)))
        db.session.commit()


def _signed_in(app: Flask, email: str) -> Auth:
    person = Auth(app.test_client())
    person.sign_in(email)
    return person


def _start(subject: Auth, peers: list[str]) -> str:
    round_url = subject.post("/feedback/start", page="/feedback/").headers["Location"]
    token = csrf_from(subject.client.get(round_url).text)
    subject.client.post(
        f"{round_url}/raters", data={"csrf_token": token, "source": "proposals", "pick": peers}
    )
    return round_url


def _add(subject: Auth, round_url: str, name: str, email: str, relationship: str = "other"):  # type: ignore[no-untyped-def]
    token = csrf_from(subject.client.get(round_url).text)
    return subject.client.post(
        f"{round_url}/raters",
        data={"csrf_token": token, "name": name, "email": email, "relationship": relationship},
    )


def _answer(app: Flask, email: str) -> None:
    with app.app_context():
        instrument = default_instrument()
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == email))
        answers = {item.id: 4 for item in instrument.items}
        rating.save_draft(db.session, invitation, instrument, answers, {}, 7)
        rating.submit(db.session, invitation, instrument)


def _fixed_ids(app: Flask) -> str:
    """Give the round and its invitations the same ids in every scenario, so pages compare."""
    with app.app_context():
        db.session.execute(
            update(FeedbackRound).values(public_id="round-under-test", deadline=DEADLINE)
        )
        for email in PEERS:
            db.session.execute(
                update(Invitation)
                .where(Invitation.email == email)
                .values(public_id=f"rater-{email.split('@')[0]}")
            )
        db.session.commit()
    return "/feedback/round-under-test"


def _wipe_rounds(app: Flask) -> None:
    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name in ROUND_TABLES:
                conn.execute(table.delete())


def _masked(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1-", html)


def _seen_by_subject(subject: Auth, round_url: str) -> tuple[str, bytes]:
    subject.client.get(round_url)  # shows and clears any message left by the last action
    page = subject.client.get(round_url)
    api = subject.client.get(f"/api/v1/rounds/{round_url.rsplit('/', 1)[1]}")
    assert page.status_code == 200 and api.status_code == 200
    return _masked(page.text), api.data


def _open_round_answered_by(app: Flask, subject: Auth, rater: str) -> str:
    _wipe_rounds(app)
    _start(subject, PEERS)
    round_url = _fixed_ids(app)
    assert subject.post(f"{round_url}/open", page=round_url).status_code == 302
    _answer(app, rater)
    return round_url


def test_the_open_round_page_and_api_are_identical_whichever_rater_has_answered(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    seen = []
    for rater in ("p0@acme.test", "p1@acme.test"):
        round_url = _open_round_answered_by(app, subject, rater)
        seen.append(_seen_by_subject(subject, round_url))
    (page_a, api_a), (page_b, api_b) = seen
    assert page_a == page_b
    assert api_a == api_b
    assert "<strong>1</strong> of 3" in page_a
    assert page_a.count(">Remove</button>") == 3


def test_removing_an_answered_or_an_unanswered_rater_answers_the_same_and_keeps_answers(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    outcomes = []
    for rater in ("p0@acme.test", "p1@acme.test"):  # p0 has answered in the first run only
        round_url = _open_round_answered_by(app, subject, rater)
        removed = subject.post(f"{round_url}/raters/rater-p0/withdraw", page=round_url)
        after = _masked(subject.client.get(round_url).text)  # with the message it left
        reminded = subject.post(f"{round_url}/remind", page=round_url)
        after_reminder = _masked(subject.client.get(round_url).text)
        with app.app_context():
            responses = db.session.scalar(select(func.count()).select_from(FeedbackResponse))
            state = db.session.scalar(select(Invitation.state).where(Invitation.email == PEERS[0]))
        outcomes.append(
            (
                removed.status_code,
                removed.headers["Location"],
                after,
                reminded.status_code,
                after_reminder,
                _seen_by_subject(subject, round_url),
                responses,
                state,
            )
        )
    assert outcomes[0] == outcomes[1]
    status, _, after, _, after_reminder, _, responses, state = outcomes[0]
    assert status == 302 and responses == 1 and state == "revoked"
    assert "invitation is withdrawn" in after and "Any answers already given stay" in after
    assert "Pia Zero</strong>" not in after
    assert "<strong>1</strong> of 2" in after
    assert "Reminders are sent to every rater who has not answered yet." in after_reminder


def test_a_subject_cannot_nominate_their_own_address_in_any_spelling(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    round_url = _start(subject, [])
    for spelling in ("sam+1@acme.test", "Sam+feedback@ACME.test", " SAM@acme.test "):
        refused = _add(subject, round_url, "Someone", spelling, "peer")
        assert refused.status_code == 400
        error = re.search(r'<p class="error" id="email-error">([^<]+)</p>', refused.text)
        assert error and "your own address" in error.group(1), spelling
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_an_outside_rater_waits_and_gets_no_invitation_until_the_manager_approves(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    round_url = _start(subject, PEERS)
    added = _add(subject, round_url, "Cleo Client", OUTSIDER)
    page = subject.client.get(added.headers["Location"]).text
    assert "must approve them before any invitation is sent" in page
    assert "Waiting for approval" in page and "Bea Boss, or HR" in page
    subject.post(f"{round_url}/open", page=round_url)
    with app.app_context():
        invited = set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(OutboxMessage.kind == "invitation")
            )
        )
    assert OUTSIDER not in invited and set(PEERS) <= invited

    manager = _signed_in(app, "bea@acme.test")
    home = manager.client.get("/").text
    assert 'href="/feedback/approvals"' in home
    approvals = manager.client.get("/feedback/approvals").text
    assert "Cleo Client" in approvals and "Sam Subject" in approvals
    with app.app_context():
        request_id = db.session.scalar(
            select(Invitation.public_id).where(Invitation.email == OUTSIDER)
        )
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
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    round_url = _start(subject, PEERS)
    _add(subject, round_url, "Cleo Client", OUTSIDER)
    hr = _signed_in(app, "hana@acme.test")
    with app.app_context():
        request_id = db.session.scalar(
            select(Invitation.public_id).where(Invitation.email == OUTSIDER)
        )
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
    with app.app_context():
        invited = set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(OutboxMessage.kind == "invitation")
            )
        )
    assert invited == {*PEERS, OUTSIDER}


def test_another_manager_and_the_subject_cannot_approve(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    round_url = _start(subject, PEERS)
    _add(subject, round_url, "Cleo Client", OUTSIDER)
    subject.post(f"{round_url}/open", page=round_url)
    with app.app_context():
        request_id = db.session.scalar(
            select(Invitation.public_id).where(Invitation.email == OUTSIDER)
        )
    other = _signed_in(app, "otto@acme.test")
    assert "Cleo Client" not in other.client.get("/feedback/approvals").text
    for person in (other, subject):
        for decision in ("approve", "decline"):
            refused = person.post(
                f"/feedback/approvals/{request_id}/{decision}", page="/feedback/approvals"
            )
            assert refused.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Invitation.approval).where(Invitation.email == OUTSIDER))
        assert OUTSIDER not in set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(OutboxMessage.kind == "invitation")
            )
        )
        assert (
            db.session.scalar(select(Invitation.approval).where(Invitation.email == OUTSIDER))
            == "pending"
        )


def test_a_declined_outside_rater_is_dropped_with_a_note_and_cannot_be_added_again(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    round_url = _start(subject, PEERS)
    _add(subject, round_url, "Cleo Client", OUTSIDER)
    manager = _signed_in(app, "bea@acme.test")
    with app.app_context():
        request_id = db.session.scalar(
            select(Invitation.public_id).where(Invitation.email == OUTSIDER)
        )
    manager.post(f"/feedback/approvals/{request_id}/decline", page="/feedback/approvals")
    page = subject.client.get(round_url).text
    assert "Not approved, so never invited: Cleo Client" in page
    again = _add(subject, round_url, "Cleo Client", OUTSIDER)
    assert again.status_code == 400 and "was not approved" in again.text
    subject.post(f"{round_url}/open", page=round_url)
    with app.app_context():
        assert OUTSIDER not in set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(OutboxMessage.kind == "invitation")
            )
        )
        assert db.session.scalar(
            select(AuditEvent.event).where(AuditEvent.event == "rater_declined")
        )


def test_only_the_manager_in_the_directory_can_rate_as_manager(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    round_url = _start(subject, [])
    refused = _add(subject, round_url, "Pia", "p0@acme.test", "manager")
    assert refused.status_code == 400
    error = re.search(r'<p class="error" id="relationship-error">([^<]+)</p>', refused.text)
    assert error and "Bea Boss" in error.group(1)
    assert _add(subject, round_url, "B", "bea@acme.test", "manager").status_code == 302


def test_a_colleague_added_by_address_is_invited_at_once_under_their_directory_name(app):
    _org(app)
    subject = _signed_in(app, "sam@acme.test")
    round_url = _start(subject, PEERS[:2])
    subject.post(f"{round_url}/open", page=round_url)
    _add(subject, round_url, "whoever", "olga@acme.test", "other")
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
    _org(app)
    hr = _signed_in(app, "hana@acme.test")
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
    subject = _signed_in(app, "otto@acme.test")
    with app.app_context():
        round_id = db.session.scalar(select(FeedbackRound.public_id))
        proposed = list(db.session.scalars(select(Invitation.public_id)))
    round_url = f"/feedback/{round_id}"
    for invitation_id in proposed:  # the campaign proposed directory people only
        subject.post(f"{round_url}/raters/{invitation_id}/withdraw", page=round_url)
    _add(subject, round_url, "Cleo Client", OUTSIDER)
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
