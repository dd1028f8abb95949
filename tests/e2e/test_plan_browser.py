"""A manager's development plan in real Chromium: from the report to suggestions, a goal from
a suggested action, two check-ins, the progress chart drawn offline, the status changing,
accessibility, and the plan on a phone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375
TODAY = date.today()

# Counts a canvas's painted pixels, and those in the check-in (teal) and target (copper) colours.
PAINTED_PIXELS = """id => {
  const canvas = document.getElementById(id);
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const near = (i, r, g, b) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g)
    + Math.abs(data[i + 2] - b) < 48;
  let painted = 0, value = 0, target = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    painted++;
    if (data[i + 3] > 200 && near(i, 47, 111, 115)) value++;
    if (data[i + 3] > 200 && near(i, 154, 85, 48)) target++;
  }
  return {painted, value, target, total: canvas.width * canvas.height};
}"""


def wait_for_charts(page: Page) -> None:
    """plan-charts.js marks the page once every chart is drawn."""
    page.locator('html[data-charts="drawn"]').wait_for(state="attached")


def read_report_then_open_the_plan(page: Page, report_url: str) -> None:
    """Read the self-assessment report, then go to the development plan."""
    page.goto(report_url)
    page.locator('html[data-charts="drawn"]').wait_for(state="attached")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your leadership profile")
    page.goto("/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose what to work on")


def pick_first_suggestion(page: Page) -> str:
    """Tick the first suggested focus area and start the plan; returns the scale's name."""
    first = page.locator("li.suggestion").first
    expect(first.locator(".reason")).to_contain_text("you rate yourself")
    name = first.locator("label").inner_text().split(".", 1)[1].strip()
    first.get_by_label(name).check()
    page.get_by_role("button", name="Start my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your development plan")
    return name


def goal_from_the_first_action(page: Page) -> None:
    """Turn the first suggested action into a goal: half its time gone, 0 -> 10."""
    page.get_by_role("link", name="Make this a goal").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn this action into a goal")
    assert page.get_by_label("Key indicator").input_value()  # prefilled from the action
    page.get_by_label("Better when it goes").select_option("increase")
    page.get_by_label("Baseline (where it stands today)").fill("0")
    page.get_by_label("Target").fill("10")
    page.get_by_label("Start date").fill((TODAY - timedelta(days=28)).isoformat())
    page.get_by_label("Due date", exact=True).fill((TODAY + timedelta(days=28)).isoformat())
    page.get_by_label("Milestone 1", exact=True).fill("First review with the team")
    page.get_by_label("Milestone 1 due").fill((TODAY + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save the goal").click()
    expect(page.locator(".flash-success")).to_contain_text("Goal saved")


def check_in(page: Page, value: str, on: date, note: str) -> None:
    """Record a check-in on the (only) goal."""
    box = page.locator(".checkin-box")
    box.get_by_label("Value now").fill(value)
    box.get_by_label("Date").fill(on.isoformat())
    box.get_by_label("Note (optional)").fill(note)
    box.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".flash-success")).to_contain_text("Check-in saved")


def status(page: Page) -> str:
    """The goal's status at a glance."""
    return page.locator("article.goal .goal-head .status").inner_text()


def test_a_manager_turns_a_suggestion_into_a_goal_checks_in_twice_and_sees_progress(
    page: Page,
    submitted_assessment: Callable[[], tuple[str, str]],
    sign_in: Callable[..., None],
) -> None:
    email, public_id = submitted_assessment()
    sign_in(page, email)
    read_report_then_open_the_plan(page, f"/assessments/{public_id}/report")
    focus = pick_first_suggestion(page)
    expect(page.locator("article.focus h3").first).to_have_text(focus)
    goal_from_the_first_action(page)
    assert status(page) == "Off track"  # half the time gone and no check-in
    expect(page.locator(".explanation")).to_contain_text("no check-in yet")

    check_in(page, "3", TODAY - timedelta(days=2), "Delegated the weekly report")
    assert status(page) == "At risk"
    check_in(page, "6", TODAY, "Two more decisions handed over")
    assert status(page) == "On track"
    expect(page.locator(".explanation")).to_contain_text("60% of the way to the target")
    expect(page.locator("table.checkins tbody tr")).to_have_count(2)
    expect(page.locator(".due-list")).to_contain_text("First review with the team")

    wait_for_charts(page)
    canvas = page.locator("article.goal canvas").get_attribute("id")
    pixels = page.evaluate(PAINTED_PIXELS, canvas)
    assert pixels["painted"] > 0.02 * pixels["total"], f"the chart is nearly blank: {pixels}"
    assert pixels["value"] > 100, f"no check-in line drawn: {pixels}"
    assert pixels["target"] > 50, f"no target line drawn: {pixels}"


def test_every_plan_page_passes_axe(
    audit_page: Page,
    submitted_assessment: Callable[[], tuple[str, str]],
    sign_in: Callable[..., None],
    axe: Callable[[Page, str], None],
) -> None:
    page = audit_page
    email, _ = submitted_assessment()
    sign_in(page, email)
    page.goto("/plans/")
    page.locator("details.other-scales summary").click()
    axe(page, "plan start with suggestions")
    pick_first_suggestion(page)
    axe(page, "new plan without goals")
    page.get_by_role("link", name="Make this a goal").first.click()
    axe(page, "goal form from an action")
    page.get_by_label("Baseline (where it stands today)").fill("lots")
    page.get_by_role("button", name="Save the goal").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe(page, "goal form with errors")
    page.goto("/plans/")
    goal_from_the_first_action(page)
    check_in(page, "4", TODAY, "first")
    wait_for_charts(page)
    axe(page, "plan with a goal, a check-in and its chart")
    page.locator(".checkin-box").get_by_label("Value now").fill("many")
    page.locator(".checkin-box").get_by_role("button", name="Save check-in").click()
    expect(page.locator(".checkin-box .error")).to_contain_text("as a number")
    axe(page, "plan with a check-in error")
    page.get_by_role("link", name="Change over time").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change over time")
    expect(page.locator("canvas")).to_have_count(0)  # one cycle: a table, no one-dot charts
    axe(page, "trends")


def test_the_plan_reads_on_a_375px_phone(
    phone: Page,
    submitted_assessment: Callable[[], tuple[str, str]],
    sign_in: Callable[..., None],
) -> None:
    email, _ = submitted_assessment()
    sign_in(phone, email)
    phone.goto("/plans/")
    pick_first_suggestion(phone)
    goal_from_the_first_action(phone)
    check_in(phone, "5", TODAY, "halfway")
    wait_for_charts(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the plan is {width}px wide on a {PHONE_WIDTH}px screen"
    box = phone.locator("article.goal canvas").bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 150
