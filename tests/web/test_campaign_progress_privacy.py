"""HR campaign progress: counts only from 5 rounds up, so no manager's round can be read."""

from __future__ import annotations

import re

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackRound, OutboxMessage, User
from coach.services.feedback import rater_path
from coach.services.feedback import rounds as feedback_rounds
from coach.services.people import org_import

from conftest import csrf_from
from hr_builders import answers_for

BASE = "http://coach.test"


def _org() -> str:
    """Acme: Ops with six managers of three people each; Sales with one manager of three."""
    rows = ["email,name,unit,manager_email,role", "ceo@acme.test,Camille Reyes,Acme,,manager"]
    leads = [(f"lead{m}", "Acme/Ops") for m in range(6)] + [("sales", "Acme/Sales")]
    for lead, unit in leads:
        rows.append(f"{lead}@acme.test,{lead.title()} Lead,{unit},ceo@acme.test,manager")
        for n in range(3):
            rows.append(f"{lead}.{n}@acme.test,{lead.title()} Report {n},{unit},{lead}@acme.test,")
    return "\n".join(rows) + "\n"


def _unit_of(email: str) -> str:
    return db.session.scalar(select(User).where(User.email == email)).unit.public_id


def _hr(app, auth, make_user) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        assert org_import.import_people(db.session, _org().encode(), base_url=BASE).ok
        units = _unit_of("lead0@acme.test"), _unit_of("sales@acme.test")
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))
    return units


def _create(auth, unit: str):  # type: ignore[no-untyped-def]
    page = auth.client.get("/hr/campaigns")
    return auth.client.post(
        "/hr/campaigns",
        data={
            "name": "Autumn feedback",
            "unit": unit,
            "deadline": "2099-01-31",
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=True,
    )


def _progress(html: str) -> str:
    """The progress card of a campaign page, tags stripped."""
    card = html[html.index("<h2>Progress</h2>") : html.index('<div class="actions start">')]
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


def _answer_one(subject_email: str) -> None:
    """One invited rater of ``subject_email``'s round answers every question."""
    instrument = default_instrument()
    subject = db.session.scalar(select(User).where(User.email == subject_email))
    found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.subject_id == subject.id))
    addresses = {i.email for i in found.invitations}
    link = db.session.scalar(
        select(OutboxMessage.link).where(
            OutboxMessage.kind == "invitation", OutboxMessage.to_address.in_(addresses)
        )
    )
    invitation = rater_path.invitation_for_token(db.session, link.rsplit("/", 1)[1])
    rater_path.save_draft(db.session, invitation, instrument, answers_for(3), {}, 7)
    rater_path.submit(db.session, invitation, instrument)


def test_a_one_manager_campaign_shows_no_counts_before_or_after_a_rater_answers(
    app, auth, make_user
):
    _, sales = _hr(app, auth, make_user)
    created = _create(auth, sales)
    assert "rounds created" not in created.text  # "1 rounds created" would count one manager
    url = created.request.path
    before = _progress(auth.client.get(url).text)
    assert before == (
        "Progress Progress is shown for campaigns of at least 5 people. With fewer, the counts "
        "would tell where individual managers' rounds stand."
    )
    opened = auth.post(f"{url}/open", page=url)
    assert "1 rounds" not in auth.client.get(opened.headers["Location"]).text
    with app.app_context():
        _answer_one("sales@acme.test")
    after = auth.client.get(url).text
    assert _progress(after) == before  # watching the page tells nothing about the round
    assert "invited" not in after and "Choosing raters" not in after
    # Both actions stay offered, so their presence does not tell the round's state either.
    assert f"{url}/open" in after and f"{url}/close" in after


def test_a_six_manager_campaign_merges_states_under_five_rounds_and_counts_answers_from_five(
    app, auth, make_user
):
    ops, _ = _hr(app, auth, make_user)
    created = _create(auth, ops)
    assert "6 rounds created, each manager notified." in created.text
    url = created.request.path
    assert _progress(auth.client.get(url).text) == (
        "Progress Rounds 6 Choosing raters 6 Open 0 Closed 0 "
        "Answers are counted once at least 5 rounds have invited their raters."
    )
    with app.app_context():  # one manager opens their own round early
        found = db.session.scalar(
            select(FeedbackRound)
            .join(User, User.id == FeedbackRound.subject_id)
            .where(User.email == "lead3@acme.test")
        )
        feedback_rounds.open_round(db.session, found, BASE, 3)
        _answer_one("lead3@acme.test")
    early = _progress(auth.client.get(url).text)
    # 5 choosing and 1 open would show that one round opened, and its answers: merged.
    assert early == (
        "Progress Rounds 6 Closed 0 Choosing raters or open 6 "
        "Answers are counted once at least 5 rounds have invited their raters. "
        "States with fewer than 5 rounds are counted together, so that no manager's round "
        "can be picked out."
    )
    auth.post(f"{url}/open", page=url)
    assert _progress(auth.client.get(url).text) == (
        "Progress Rounds 6 Choosing raters 0 Open 6 Closed 0 Answers 1 of 144 invited"  # 24 each
    )
