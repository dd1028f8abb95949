"""The HR dashboard opens where there is something to compare and leads to a campaign."""

from __future__ import annotations

import re

import pytest

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.services.hr import archetype_refit, instrument_quality
from coach.services.people import directory

from hr_builders import closed_round, person, submit


@pytest.fixture
def acme(app, auth, make_user):  # type: ignore[no-untyped-def]
    """One company, Acme, holding two teams of six; Ops rated lower by others than by itself."""
    with app.app_context():
        for team, level in (("Ops", 5), ("Sales", 3)):
            for i in range(6):
                someone = person(f"{team.lower()}{i}@example.org", f"Acme/{team}")
                submit(someone, level=level)
                if team == "Ops" and i < 5:
                    closed_round(someone, [("manager", 3), ("peer", 3), ("peer", 2), ("peer", 3)])
        ids = {
            name: directory.ensure_unit(db.session, path).public_id
            for name, path in (("Acme", "Acme"), ("Ops", "Acme/Ops"), ("Sales", "Acme/Sales"))
        }
        db.session.remove()
    auth.sign_in(make_user("hana@example.org", "hr", "Hana Resources"))
    return ids


def _heading(html: str) -> str:
    return re.search(r"<h1>([^<]+)</h1>", html).group(1)  # type: ignore[union-attr]


def test_the_dashboard_opens_at_the_single_company_and_lists_its_teams(client, acme):
    html = client.get("/hr/dashboard").text
    assert _heading(html) == "Acme"
    rows = re.findall(r'<th scope="row"><a href="[^"]*unit=([^"&]+)', html)
    assert set(rows) == {acme["Ops"], acme["Sales"]}
    # The organisation itself is one click away, through the units above.
    assert 'href="/hr/dashboard?unit=all' in html
    whole = client.get("/hr/dashboard?unit=all").text
    assert _heading(whole) == "Whole organisation"
    assert set(re.findall(r'<th scope="row"><a href="[^"]*unit=([^"&]+)', whole)) == {acme["Acme"]}


def test_where_to_act_names_the_largest_gap_and_offers_a_campaign_there(client, acme):
    html = client.get("/hr/dashboard").text
    card = html.split('id="act-title"', 1)[1].split("</section>", 1)[0]
    assert "Largest differences, self against others" in card
    assert "<strong>Ops</strong>" in card and "self" in card and "higher" in card
    link = f'href="/hr/campaigns?unit={acme["Ops"]}#new-title"'
    assert link in card and "Start a feedback campaign in Ops" in card
    form = client.get(f"/hr/campaigns?unit={acme['Ops']}").text
    assert re.search(
        rf'<option[^>]*selected[^>]*value="{acme["Ops"]}"|'
        rf'value="{acme["Ops"]}"[^>]*selected',
        form,
    )


def test_one_half_year_is_said_in_a_sentence_instead_of_an_empty_chart(client, acme):
    html = client.get("/hr/dashboard").text
    trend = html.split('id="trend-title"', 1)[1].split("</section>", 1)[0]
    assert "Only one half-year" in trend and "nothing to compare yet" in trend
    assert "trend-chart" not in trend
    assert "Figures as of" in html


def test_index_bands_are_drawn_with_their_true_widths_not_as_equal_bars(client, acme):
    html = client.get("/hr/dashboard?unit=all").text
    assert "leader-index-chart" not in html and "manager-index-chart" not in html
    widths = [
        float(w)
        for w in re.findall(r'<rect class="bar-self" x="[^"]+" y="[^"]+" width="([^"]+)"', html)
    ]
    assert widths and sum(widths) > 0


def test_computed_pages_say_as_of_when_their_figures_were_computed(app, client, acme):
    with app.app_context():
        archetype_refit.recluster(db.session, default_instrument())
        instrument_quality.refresh_quality(db.session, default_instrument())
        db.session.remove()
    assert re.search(r"Figures as of \d+ \w+ \d{4}, \d\d:\d\d UTC", client.get("/hr/quality").text)
    assert re.search(r"as of \d+ \w+ \d{4}, \d\d:\d\d UTC", client.get("/hr/archetypes").text)
