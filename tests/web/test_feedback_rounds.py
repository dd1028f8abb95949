"""The subject's side of a round: nominate, open, follow counts, remind, close, read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackRound, Invitation, OutboxMessage, RoundState, User
from coach.models._common import utcnow
from coach.scoring import score_scales
from coach.services.feedback import rater_path, rounds
from coach.services.people import org_import

from conftest import Auth, csrf_from
from feedback_helpers import BASE, invitation_of, open_round_with, raters

ORG = (
    "email,name,unit,manager_email,role\n"
    "boss@acme.test,Bea Boss,Acme,,manager\n"
    "sam@acme.test,Sam Subject,Acme/Ops,boss@acme.test,manager\n"
    "r1@acme.test,Rui One,Acme/Ops,sam@acme.test,manager\n"
    "r2@acme.test,Rita Two,Acme/Ops,sam@acme.test,manager\n"
    "p1@acme.test,Pia Peer,Acme/Ops,boss@acme.test,manager\n"
)


def _submit_all(found_id: str, values: dict[str, int]) -> None:
    """Every invited rater answers every item with ``values[relationship]``."""
    instrument = default_instrument()
    found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == found_id))
    for invitation in list(found.invitations):
        value = values[invitation.relationship_]
        answers = {i.id: value for i in instrument.items}
        rater_path.save_draft(db.session, invitation, instrument, answers, {}, 7)
        rater_path.submit(db.session, invitation, instrument)


def _submit_one_answer(email: str) -> None:
    """The rater invited at ``email`` answers the first item only and submits."""
    invitation = invitation_of(email)
    instrument = default_instrument()
    rater_path.save_draft(db.session, invitation, instrument, {instrument.items[0].id: 4}, {}, 1)
    rater_path.submit(db.session, invitation, instrument)


def _close(found_id: str) -> None:
    found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == found_id))
    rounds.close_round(db.session, found, "subject")


def _signed_in_subject(app, auth):  # type: ignore[no-untyped-def]
    from coach.services.accounts.passwords import hash_password

    from conftest import PASSWORD

    with app.app_context():
        assert org_import.import_people(db.session, ORG.encode(), base_url=BASE).ok
        db.session.execute(update(User).values(password_hash=hash_password(PASSWORD)))
        db.session.commit()
    auth.sign_in("sam@acme.test")


def test_a_new_round_proposes_the_manager_direct_reports_and_unit(app, auth):
    _signed_in_subject(app, auth)
    start = auth.post("/feedback/start", page="/feedback/")
    page = auth.client.get(start.headers["Location"]).text
    for name in ("Bea Boss", "Rui One", "Rita Two", "Pia Peer"):
        assert name in page
    assert "Sam Subject</strong>" not in page


def test_nominating_warns_when_a_group_cannot_reach_the_floor_and_opening_invites(app, auth):
    _signed_in_subject(app, auth)
    round_url = auth.post("/feedback/start", page="/feedback/").headers["Location"]
    page = auth.client.get(round_url)
    token = csrf_from(page.text)
    auth.client.post(
        f"{round_url}/raters",
        data={
            "csrf_token": token,
            "source": "proposals",
            "pick": ["boss@acme.test", "r1@acme.test", "r2@acme.test"],
        },
    )
    page = auth.client.get(round_url).text
    assert "Direct reports" in page and "fewer than 3" in page
    opened = auth.post(f"{round_url}/open", page=round_url)
    assert opened.status_code == 302
    with app.app_context():
        sent = list(
            db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
        )
        assert {m.to_address for m in sent} == {"boss@acme.test", "r1@acme.test", "r2@acme.test"}
        for message in sent:
            raw = message.link.rsplit("/", 1)[1]
            assert len(raw) >= 22  # >= 128 bits, base64url
            stored = db.session.scalar(
                select(Invitation.token_hash).where(Invitation.email == message.to_address)
            )
            assert raw not in stored and len(stored) == 64
        found = db.session.scalar(select(FeedbackRound))
        assert found.state == RoundState.OPEN.value and found.min_group_n == 3


def test_the_subject_sees_counts_per_group_but_not_who_answered(app, auth, make_user):
    _signed_in_subject(app, auth)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3}))
        _submit_one_answer("peer1@example.org")
    page = auth.client.get(f"/feedback/{round_id}").text
    assert "<strong>1</strong> of 3" in page
    api = auth.client.get(f"/api/v1/rounds/{round_id}").get_json()
    assert api["responses"]["peer"] == 1 and api["state"] == "open"
    assert "peer1@example.org" not in str(api)
    assert auth.client.get(f"/api/v1/rounds/{round_id}/report").status_code == 409


def test_reminders_go_only_to_raters_who_have_not_answered(app, auth):
    _signed_in_subject(app, auth)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3}))
        _submit_one_answer("peer0@example.org")
    response = auth.post(f"/feedback/{round_id}/remind", page=f"/feedback/{round_id}")
    assert response.status_code == 302
    with app.app_context():
        reminded = set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(OutboxMessage.kind == "reminder")
            )
        )
    assert reminded == {"peer1@example.org", "peer2@example.org"}
    page = auth.client.get(f"/feedback/{round_id}").text
    assert "peer1@example.org" in page  # the list of nominees is the subject's own...
    listed = page.split('<ul class="raters">')[1].split("</ul>")[0]
    assert "answered" not in listed.lower()  # ...without status
    assert listed.count(">Remove</button>") == 3  # and the same controls for everyone


def test_a_round_with_manager_direct_reports_and_two_peers_never_shows_the_peers(app, auth):
    _signed_in_subject(app, auth)
    with app.app_context():
        round_id, _ = open_round_with(
            "sam@acme.test", raters({"manager": 1, "direct_report": 3, "peer": 2})
        )
        _submit_all(round_id, {"manager": 4, "direct_report": 3, "peer": 1})
        _close(round_id)
        instrument = default_instrument()
        alone = {  # what each group's raters score on their own, scale by scale
            group: score_scales(instrument, {i.id: v for i in instrument.items})
            for group, v in (("manager", 4), ("direct_report", 3))
        }
    body = auth.client.get(f"/api/v1/rounds/{round_id}/report").get_json()
    for scale in body["scales"]:
        keys = {f["figure"] for f in scale["figures"]}
        assert keys == {"manager", "direct_report"}, keys
        for figure in scale["figures"]:  # the peers' answers never reach any shown mean
            assert figure["mean"] == alone[figure["figure"]][scale["id"]].score
    page = auth.client.get(f"/feedback/{round_id}/report").text
    assert "Direct reports" in page and "Manager" in page
    assert ">Peers <" not in page


def test_closing_shows_the_report_with_self_and_bands(app, auth):
    _signed_in_subject(app, auth)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3, "direct_report": 3}))
        _submit_all(round_id, {"peer": 4, "direct_report": 5})
    closed = auth.post(f"/feedback/{round_id}/close", page=f"/feedback/{round_id}")
    assert closed.headers["Location"].endswith("/report")
    page = auth.client.get(closed.headers["Location"]).text
    assert "How others see your work" in page and "90% range" in page
    body = auth.client.get(f"/api/v1/rounds/{round_id}/report").get_json()
    figures = {f["figure"]: f for f in body["scales"][0]["figures"]}
    assert set(figures) == {"peer", "direct_report", "all_others"}
    assert figures["all_others"]["n"] == 6
    low, high = figures["peer"]["band"]
    assert low < 4.0 < high


def test_a_round_closes_by_itself_at_its_deadline(app, auth):
    _signed_in_subject(app, auth)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3}))
        db.session.execute(update(FeedbackRound).values(deadline=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert auth.client.get(f"/api/v1/rounds/{round_id}").get_json()["state"] == "closed"
    with app.app_context():
        assert db.session.scalar(select(FeedbackRound.closed_by)) == "deadline"


def test_no_one_else_can_see_a_round_not_even_hr(app, auth, make_user):
    _signed_in_subject(app, auth)
    with app.app_context():
        round_id, _ = open_round_with("sam@acme.test", raters({"peer": 3}))
    for email, role in (("other@example.org", "manager"), ("hr@example.org", "hr")):
        other = Auth(app.test_client())
        other.sign_in(make_user(email, role=role, name=role.title()))
        assert other.client.get(f"/feedback/{round_id}").status_code == 404
        assert other.client.get(f"/feedback/{round_id}/report").status_code == 404
        assert other.client.get(f"/api/v1/rounds/{round_id}").status_code == 404


def test_a_subject_cannot_nominate_themselves_or_the_same_person_twice(app, auth):
    _signed_in_subject(app, auth)
    round_url = auth.post("/feedback/start", page="/feedback/").headers["Location"]
    for email in ("sam@acme.test", "p1@acme.test", "P1@acme.test"):
        page = auth.client.get(round_url)
        auth.client.post(
            f"{round_url}/raters",
            data={
                "csrf_token": csrf_from(page.text),
                "name": "X",
                "email": email,
                "relationship": "peer",
            },
        )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
