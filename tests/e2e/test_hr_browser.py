"""HR's organisation dashboard and archetype cards in a real browser: charts drawn, axe clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.services.hr import archetype_refit, instrument_quality

from e2e.conftest import PHONE
from hr_builders import closed_round, person, submit

pytestmark = pytest.mark.browser


def _canvas_ink(page: Page, canvas_id: str) -> int:
    return page.evaluate(
        """id => { const c = document.getElementById(id);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""",
        canvas_id,
    )


@pytest.fixture
def organisation(app, make_user):  # type: ignore[no-untyped-def]
    """Two teams of six with self-assessments, five of them rated in closed rounds; HR."""
    make_user("hana@example.org", "hr", "Hana Resources")
    with app.app_context():
        for team, level in (("Ops", 4), ("Sales", 2)):
            for i in range(6):
                someone = person(f"{team.lower()}{i}@example.org", f"Acme/{team}")
                submit(someone, level=level + i % 2, tilt=i % 3 - 1)
                if team == "Ops" and i < 5:
                    closed_round(someone, [("manager", 3), ("peer", 4), ("peer", 3), ("peer", 4)])
        instrument = default_instrument()
        archetype_refit.recluster(db.session, instrument)
        instrument_quality.refresh_quality(db.session, instrument)
        db.session.remove()
    return "hana@example.org"


def test_hr_reads_the_dashboard_with_its_charts_and_heatmap(audit_page, sign_in, axe, organisation):
    page = audit_page
    sign_in(page, organisation)
    page.get_by_role("link", name="Organisation").click()
    page.wait_for_selector("html[data-charts='drawn']")
    # One company holds everyone, so the dashboard opens at it with its teams below.
    assert page.get_by_role("heading", level=1).inner_text() == "Acme"
    for chart in ("pole-chart-self", "pole-chart-others", "skill-chart"):
        assert _canvas_ink(page, chart) > 1000, chart
    # Poles as pairs of bars, both names written out beside them: no radar joining them.
    drawn = page.evaluate(
        """() => ['pole-chart-self', 'pole-chart-others'].map(id => {
        const chart = Chart.getChart(document.getElementById(id));
        const sets = chart.data.datasets.map(d => [d.label, d.backgroundColor]);
        return [chart.config.type, chart.data.labels[0], sets]; })"""
    )
    first = ["Vision and direction", "Planning and execution"]
    # Told apart by fill, solid or outlined, not by hue alone (colour-blind readers).
    assert drawn == [
        ["bar", first, [["Leader pole", colour], ["Manager pole", "#ffffff"]]]
        for colour in ("#2f6f73", "#9a5530")
    ]
    assert page.locator("table.heatmap td.heat").count() > 18
    assert page.get_by_role("heading", name="Where to act").is_visible()
    assert page.get_by_text("Only one half-year").is_visible()
    assert page.get_by_role("heading", name="Self-assessments", exact=True).count() == 1
    axe(page, "HR dashboard of the company with its heatmap and where to act")
    page.get_by_role("link", name="Sales", exact=True).first.click()  # nobody there was rated
    page.wait_for_selector("html[data-charts='drawn']")
    assert _canvas_ink(page, "pole-chart-self") > 1000
    assert page.locator("#pole-chart-others").count() == 0
    assert page.get_by_text("No pole average of others' ratings is shown").is_visible()
    axe(page, "HR dashboard of a unit whose others' ratings are hidden")
    page.go_back()
    page.wait_for_selector("html[data-charts='drawn']")
    page.get_by_role("link", name="Whole organisation").click()
    page.wait_for_selector("html[data-charts='drawn']")
    assert page.locator("figure.histogram svg rect").count() >= 2
    axe(page, "HR dashboard of the whole organisation with its histograms")
    page.get_by_label("Raters (others' ratings)").select_option("peer")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**rater_group=peer**")
    assert page.get_by_role("heading", level=1).inner_text() == "Whole organisation"
    axe(page, "HR dashboard filtered by rater group")


def test_hr_reads_the_archetype_cards_and_instrument_quality(
    audit_page, sign_in, axe, organisation
):
    page = audit_page
    sign_in(page, organisation)
    page.goto("/hr/archetypes")
    page.wait_for_selector("html[data-charts='drawn']")
    for key in ("strong_both", "leader_leaning", "manager_leaning", "developing"):
        assert _canvas_ink(page, f"archetype-{key}") > 1000, key
    assert "they do not type people" in page.content()
    axe(page, "archetype cards")
    page.goto("/hr/quality")
    page.get_by_role("heading", name="Vision and direction").wait_for()
    axe(page, "instrument quality")


def test_the_dashboard_fits_a_phone_under_the_real_csp(new_context, organisation):
    context = new_context(**PHONE)
    phone = context.new_page()
    phone.goto("/sign-in")
    phone.get_by_label("E-mail").fill(organisation)
    phone.get_by_label("Password").fill("correct horse battery")
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url("**/")
    for path in ("/hr/dashboard", "/hr/archetypes"):
        phone.goto(path)
        phone.wait_for_selector("html[data-charts='drawn']")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
