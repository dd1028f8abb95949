"""The reports and the archetype cards in a real browser: headline first, next step last,
hidden figures marked, every scale named on the charts, nothing wider than a phone, axe clean."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page
from report_builders import round_with_a_quiet_peer, self_assessed

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.services.hr import archetype_refit

from e2e.conftest import PHONE
from hr_builders import person, submit

pytestmark = pytest.mark.browser


def _subject_with_a_closed_round(app: Flask, make_user: Callable[..., str]) -> tuple[str, str]:
    email = make_user("sam@acme.test", "manager", "Sam Subject")
    with app.app_context():
        self_assessed(email, level=5, tilt=2)
        round_id = round_with_a_quiet_peer(email)
        db.session.remove()
    return email, round_id


def _fits_a_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"{page.url} is {width}px wide"  # type: ignore[index]


def test_the_self_report_reads_headline_first_and_offers_a_360_round_last(
    app, audit_page, make_user, sign_in, axe
):
    email = make_user("casey@example.org", "manager", "Casey Morgan")
    with app.app_context():
        public_id = self_assessed(email, level=4, tilt=2)
        db.session.remove()
    page = audit_page
    sign_in(page, email)
    page.goto(f"/assessments/{public_id}/report")
    page.wait_for_selector("html[data-charts='drawn']")
    first_card = page.locator("main section.card").first
    assert first_card.get_by_role("heading", level=2).inner_text() == "Leans towards leading"
    last_card = page.locator("main section.card").last
    assert last_card.get_by_role("button", name="Choose raters for a 360 round").is_visible()
    axe(page, "self report with its headline")


# Per chart, how much of each bar whose score is the axis' lowest value lies inside the plot.
FLOOR_BARS_SHOWN = """id => {
  const chart = Chart.getChart(id);
  const floor = chart.scales.x.min, left = chart.chartArea.left, shown = [];
  chart.data.datasets.forEach((set, i) => chart.getDatasetMeta(i).data.forEach((bar, j) => {
    if (set.data[j] === floor) {
      shown.push(Math.max(bar.x, bar.base) - Math.max(Math.min(bar.x, bar.base), left));
    }
  }));
  return shown;
}"""


def test_a_score_of_the_lowest_answer_still_shows_a_bar_on_the_self_report(
    app, page, make_user, sign_in
):
    email = make_user("casey@example.org", "manager", "Casey Morgan")
    with app.app_context():
        public_id = self_assessed(email, level=5, tilt=6)  # every manager pole answered 1
        db.session.remove()
    sign_in(page, email)
    page.goto(f"/assessments/{public_id}/report")
    page.wait_for_selector("html[data-charts='drawn']")
    for chart in ("pole-chart", "skill-chart"):
        shown = page.evaluate(FLOOR_BARS_SHOWN, chart)
        assert shown, f"{chart} has no score at the floor"
        assert min(shown) >= 3, f"{chart}: bars at the floor are {shown} px long"


def test_the_360_report_leads_with_what_stands_out_and_footnotes_a_hidden_figure(
    app, audit_page, make_user, sign_in, axe
):
    email, round_id = _subject_with_a_closed_round(app, make_user)
    page = audit_page
    sign_in(page, email)
    page.goto(f"/feedback/{round_id}/report")
    page.wait_for_selector("html[data-charts='drawn']")
    headline = page.locator("main section.card").first
    assert headline.get_by_role("heading", name="Blind spots").is_visible()
    assert headline.get_by_role("heading", name="Hidden strengths").is_visible()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Vision and direction"))
    row.get_by_role("link", name="why: note 1").click()
    assert page.evaluate("location.hash") == "#hidden-1"
    assert "Peers" in page.locator("#hidden-1").inner_text()
    assert page.locator("svg.dotplot circle.dot-self").count() == 18
    # The chart names the scale where others are hidden instead of leaving a silent gap.
    labels = page.evaluate("() => Chart.getChart('pole-chart').data.labels.flat().join(' ')")
    assert "(others hidden)" in labels
    assert page.evaluate("() => Chart.getChart('pole-chart').config.type") == "bar"
    plan = page.locator("main section.card").last.get_by_role("link", name="Make or update")
    assert plan.get_attribute("href") == "/plans/"
    axe(page, "360 report with its headline")


def test_the_360_report_fits_a_375px_phone(app, new_context, make_user, sign_in):
    email, round_id = _subject_with_a_closed_round(app, make_user)
    phone = new_context(**PHONE).new_page()
    sign_in(phone, email)
    phone.goto(f"/feedback/{round_id}/report")
    phone.wait_for_selector("html[data-charts='drawn']")
    _fits_a_phone(phone)
    assert phone.get_by_role("link", name="Make or update your development plan").is_visible()


def test_archetype_cards_name_all_eighteen_scales_and_pass_axe(
    app, audit_page, make_user, sign_in, axe
):
    hr = make_user("hana@example.org", "hr", "Hana Resources")
    with app.app_context():
        for n in range(6):
            submit(person(f"colleague{n}@example.org", "Acme"), level=2 + n % 3, tilt=n % 3 - 1)
        archetype_refit.recluster(db.session, default_instrument())
        db.session.remove()
    page = audit_page
    sign_in(page, hr)
    page.goto("/hr/archetypes")
    page.wait_for_selector("html[data-charts='drawn']")
    shown = page.evaluate(
        "() => [...document.querySelectorAll('canvas[id^=archetype-]')]"
        ".map(c => Chart.getChart(c).scales.y.ticks.length)"
    )
    assert shown == [18, 18, 18, 18]
    axe(page, "archetype cards")
