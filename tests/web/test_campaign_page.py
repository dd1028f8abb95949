"""The campaign page names who the campaign is for, and says nothing about anyone's round."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Campaign, FeedbackRound, OrgUnit, User
from coach.services.feedback import campaigns
from coach.services.feedback import rounds as feedback_rounds
from coach.services.people import org_import

BASE = "http://coach.test"
# Six team leads in Delivery (two of them in Delivery/Platform), each with two reports.
LEADS = [
    ("amara", "Amara Okafor", "Northwind/Delivery"),
    ("bruno", "Bruno Costa", "Northwind/Delivery"),
    ("chloe", "Chloé Martin", "Northwind/Delivery"),
    ("dmitri", "Dmitri Volkov", "Northwind/Delivery"),
    ("elif", "Elif Demir", "Northwind/Delivery/Platform"),
    ("farah", "Farah Haddad", "Northwind/Delivery/Platform"),
]


def _organisation(app, auth, make_user) -> str:  # type: ignore[no-untyped-def]
    """Northwind with its six leads imported, and HR signed in; returns the campaign's URL."""
    rows = ["email,name,unit,manager_email,role", "ceo@nw.test,Noor Said,Northwind,,manager"]
    for key, name, unit in LEADS:
        rows.append(f"{key}@nw.test,{name},{unit},ceo@nw.test,manager")
        rows += [f"{key}.{n}@nw.test,{name} Report {n},{unit},{key}@nw.test," for n in range(2)]
    hr = make_user("hr@example.org", role="hr", name="Helena Brandt")
    with app.app_context():
        assert org_import.import_people(db.session, "\n".join(rows).encode(), base_url=BASE).ok
        lead = db.session.scalar(select(User).where(User.email == "amara@nw.test"))
        creator = db.session.scalar(select(User).where(User.email == hr))
        result = campaigns.create_campaign(
            db.session,
            creator,
            "Spring feedback",
            lead.unit,
            datetime(2099, 3, 31, tzinfo=UTC),
            default_instrument(),
            BASE,
        )
        public_id = result.campaign.public_id
        db.session.remove()
    auth.sign_in(hr)
    return f"/hr/campaigns/{public_id}"


def _round_of(email: str) -> FeedbackRound:
    return db.session.scalar(
        select(FeedbackRound)
        .join(User, User.id == FeedbackRound.subject_id)
        .where(User.email == email, FeedbackRound.campaign_id.is_not(None))
    )


def _text(html: str, start: str, end: str) -> str:
    part = html[html.index(start) : html.index(end)]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def _page(auth, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The page's lines, its form tokens (new on every request) blanked."""
    html = auth.client.get(url).text
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html).splitlines()


def test_the_campaign_page_lists_its_people_by_name_and_unit_above_the_counts(app, auth, make_user):
    url = _organisation(app, auth, make_user)
    html = auth.client.get(url).text
    people = _text(html, '<h2 id="people-title">', "<h2>Progress</h2>")
    assert people.startswith(
        "Who it is for Everyone who manages people in Delivery and the units below it, "
        "as the directory lists them today: 6 people."
    )
    assert "Where each person's round stands is only counted" in people
    listed = re.findall(
        r'<span class="person-name">([^<]+)</span> <span class="person-unit">([^<]+)</span>', html
    )
    assert listed == [
        ("Amara Okafor", "Delivery"),
        ("Bruno Costa", "Delivery"),
        ("Chloé Martin", "Delivery"),
        ("Dmitri Volkov", "Delivery"),
        ("Elif Demir", "Platform"),
        ("Farah Haddad", "Platform"),
    ]
    assert html.index('id="people-title"') < html.index("<h2>Progress</h2>")
    # Nothing in the list leads to a person or a round.
    people_html = html[html.index('class="people-list"') : html.index("<h2>Progress</h2>")]
    assert "<a " not in people_html
    with app.app_context():
        round_ids = [r.public_id for r in db.session.scalars(select(FeedbackRound))]
    assert len(round_ids) == 6
    assert not [r for r in round_ids if r in html]


def test_one_round_changing_state_changes_only_the_counts_the_rule_allows(app, auth, make_user):
    url = _organisation(app, auth, make_user)
    before = _page(auth, url)
    with app.app_context():  # one lead opens their own round early, as they may
        feedback_rounds.open_round(db.session, _round_of("chloe@nw.test"), BASE, 2)
        db.session.remove()
    after = _page(auth, url)
    removed, added = (
        " ".join(
            re.sub(r"<[^>]+>", " ", line[1:])
            for line in difflib.unified_diff(before, after, lineterm="", n=0)
            if line.startswith(sign) and not line.startswith(sign * 3)
        ).split()
        for sign in "-+"
    )
    # Five choosing raters and one open would point at Chloé: the states are counted together.
    # The close button follows the counts: offered unless they say no round is open.
    assert " ".join(removed) == "Choosing raters 6 Open 0 Closed 0"
    assert " ".join(added) == (
        "Closed 0 Choosing raters or open 6 States with fewer than 5 rounds are counted "
        "together, so that no manager's round can be picked out. Close every open round now"
    )


def test_a_lead_who_already_had_a_round_is_listed_like_everyone_else(app, auth, make_user):
    url = _organisation(app, auth, make_user)
    with app.app_context():  # a second campaign on Delivery: every lead has a round going
        first = db.session.scalar(select(Campaign))
        assert first is not None
        second = campaigns.create_campaign(
            db.session,
            db.session.get(User, first.created_by_id),
            "Second look",
            db.session.get(OrgUnit, first.unit_id),
            first.deadline,
            default_instrument(),
            BASE,
        )
        assert (second.created, len(second.skipped)) == (0, 6)
        other = f"/hr/campaigns/{second.campaign.public_id}"
        db.session.remove()

    def people(page: str) -> str:
        html = auth.client.get(page).text
        return _text(html, '<h2 id="people-title">', "<h2>Progress</h2>")

    # The list comes from the directory, so it does not single out who got no new round.
    assert people(other) == people(url)
    assert "Elif Demir Platform" in people(other)


def test_a_long_list_names_the_first_people_by_name_and_counts_everyone(app, auth, make_user):
    _organisation(app, auth, make_user)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        found = campaigns.people_of(db.session, campaign, limit=4)
        assert found.total == 6
        assert [name for name, _ in found.people] == [
            "Amara Okafor",
            "Bruno Costa",
            "Chloé Martin",
            "Dmitri Volkov",
        ]
