"""HR campaigns: one round per manager of a unit, progress in aggregate only."""

from __future__ import annotations

from sqlalchemy import select

from coach.extensions import db
from coach.models import FeedbackRound, Invitation, OutboxMessage, RoundState, User
from coach.services.people import org_import

from conftest import csrf_from

ORG = (
    "email,name,unit,manager_email,role\n"
    "ceo@acme.test,Camille Reyes,Acme,,manager\n"
    "ops@acme.test,Jonas Fischer,Acme/Ops,ceo@acme.test,manager\n"
    "a@acme.test,Ana Alves,Acme/Ops,ops@acme.test,manager\n"
    "b@acme.test,Ben Brook,Acme/Ops,ops@acme.test,manager\n"
    "c@acme.test,Cai Chen,Acme/Ops,ops@acme.test,manager\n"
    "sales@acme.test,Sofia Sales,Acme/Sales,ceo@acme.test,manager\n"
    "d@acme.test,Dev Das,Acme/Sales,sales@acme.test,manager\n"
)


def _hr_with_org(app, auth, make_user):  # type: ignore[no-untyped-def]
    with app.app_context():
        assert org_import.import_people(db.session, ORG.encode(), base_url="http://x").ok
        ops = db.session.scalar(select(User).where(User.email == "ops@acme.test")).unit.public_id
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))
    return ops


def _create(auth, unit: str, name: str = "Autumn feedback"):  # type: ignore[no-untyped-def]
    page = auth.client.get("/hr/campaigns")
    return auth.client.post(
        "/hr/campaigns",
        data={
            "name": name,
            "unit": unit,
            "deadline": "2099-01-31",
            "csrf_token": csrf_from(page.text),
        },
    )


def test_hr_opens_a_round_for_every_manager_of_a_unit_with_proposed_raters(app, auth, make_user):
    ops = _hr_with_org(app, auth, make_user)
    response = _create(auth, ops)
    assert response.status_code == 302
    with app.app_context():
        found = list(db.session.scalars(select(FeedbackRound)))
        assert [r.subject.email for r in found] == ["ops@acme.test"]  # the only manager in Ops
        nominated = {i.email: i.relationship_ for i in found[0].invitations}
        assert nominated == {
            "ceo@acme.test": "manager",
            "a@acme.test": "direct_report",
            "b@acme.test": "direct_report",
            "c@acme.test": "direct_report",
        }
        told = db.session.scalar(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "campaign")
        )
        assert told == "ops@acme.test"
    page = auth.client.get(response.headers["Location"]).text
    assert "Progress is shown for campaigns of at least 5 people" in page  # one round only


def test_a_campaign_on_the_top_unit_covers_every_manager_below_it(app, auth, make_user):
    _hr_with_org(app, auth, make_user)
    with app.app_context():
        top = db.session.scalar(select(User).where(User.email == "ceo@acme.test")).unit.public_id
    _create(auth, top)
    with app.app_context():
        subjects = {r.subject.email for r in db.session.scalars(select(FeedbackRound))}
    assert subjects == {"ceo@acme.test", "ops@acme.test", "sales@acme.test"}


def test_hr_opens_and_closes_every_round_and_sees_only_aggregates(app, auth, make_user):
    ops = _hr_with_org(app, auth, make_user)
    campaign_url = _create(auth, ops).headers["Location"]
    auth.post(f"{campaign_url}/open", page=campaign_url)
    with app.app_context():
        assert db.session.scalar(select(FeedbackRound.state)) == RoundState.OPEN.value
        assert db.session.scalar(select(Invitation.state)) == "invited"
    page = auth.client.get(campaign_url).text
    assert "of 4 invited" not in page  # one manager's round: not even counts
    assert "Progress is shown for campaigns of at least 5 people" in page
    for email in ("a@acme.test", "ceo@acme.test"):
        assert email not in page  # nobody's name or address, only counts
    auth.post(f"{campaign_url}/close", page=campaign_url)
    with app.app_context():
        found = db.session.scalar(select(FeedbackRound))
        assert found.state == RoundState.CLOSED.value and found.closed_by == "hr"


def test_managers_cannot_reach_campaigns(auth, make_user):
    auth.sign_in(make_user())
    assert auth.client.get("/hr/campaigns").status_code == 403
