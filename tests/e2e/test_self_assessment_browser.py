"""A manager's self-assessment in real Chromium: signing in, answering by keyboard and mouse,
leaving and coming back, the report's charts drawn offline, accessibility, phones and print."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from coach.web.auth.routes import GENERIC_FAILURE

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

LOCAL_CHART_JS = Path(__file__).resolve().parents[2] / "static/vendor/chart.umd.js"
CHARTS = ("pole-chart", "skill-chart")
PHONE_WIDTH = 375

# Counts a canvas's painted pixels, and those in the leader (teal) and manager (copper) colours.
PAINTED_PIXELS = """id => {
  const canvas = document.getElementById(id);
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const near = (i, r, g, b) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g)
    + Math.abs(data[i + 2] - b) < 48;
  let painted = 0, leader = 0, manager = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    painted++;
    if (data[i + 3] > 200 && near(i, 47, 111, 115)) leader++;
    if (data[i + 3] > 200 && near(i, 180, 105, 62)) manager++;
  }
  return {painted, leader, manager, total: canvas.width * canvas.height};
}"""

CHECKED_ANSWERS = """() => Object.fromEntries([...document.querySelectorAll('fieldset.item')].map(
  f => [f.id.slice(2), (f.querySelector('input:checked') || {}).value || null]))"""


# Helpers: one person's actions on the questionnaire ------------------------------------------


def item_ids(page: Page) -> list[str]:
    """The ids of the items on the open questionnaire page, in order."""
    return page.locator("fieldset.item").evaluate_all("els => els.map(e => e.id.slice(2))")


def checked_answers(page: Page) -> dict[str, str | None]:
    """Each item's checked value on the open page ("na" for not able to observe)."""
    return page.evaluate(CHECKED_ANSWERS)


def click_answer(page: Page, item_id: str, value: str) -> None:
    """Click the label of the option: "1".."5" or "na"."""
    item = page.locator(f"#q-{item_id}")
    label = item.locator(".option-na" if value == "na" else "label.option").nth(
        0 if value == "na" else int(value) - 1
    )
    label.click()


def answer_by_mouse(page: Page, answers: dict[str, str]) -> None:
    """Click a label for each of ``answers`` and check the page shows it."""
    for item_id, value in answers.items():
        click_answer(page, item_id, value)
    shown = checked_answers(page)
    assert {i: shown[i] for i in answers} == answers


def mouse_answers(ids: list[str], offset: int) -> dict[str, str]:
    """A varied set of answers for ``ids``, with one "not able to observe"."""
    values = ["4", "2", "5", "3", "1", "na", "4", "3", "5"]
    return {item_id: values[(n + offset) % len(values)] for n, item_id in enumerate(ids)}


def focused(page: Page) -> dict[str, str]:
    """What has the keyboard focus: tag, name, value and text."""
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName.toLowerCase(),"
        " name: e.name || '', value: e.value || '', text: e.textContent.trim()}; }"
    )


def start_assessment(page: Page) -> None:
    """From the home page, start the assessment and land on its first page."""
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/pages/1")


def next_page(page: Page) -> None:
    """Press the page's forward button ("Next", or "Review" on the last page)."""
    forward = page.get_by_role("button", name=re.compile(r"^(Next|Review)$"))
    with page.expect_navigation():
        forward.click()


def complete_page_by_mouse(page: Page, offset: int = 0) -> dict[str, str]:
    """Answer every item on the open page with the mouse and move on; returns the answers."""
    answers = mouse_answers(item_ids(page), offset)
    answer_by_mouse(page, answers)
    next_page(page)
    return answers


def page_number(page: Page) -> int:
    """The questionnaire page number in the address bar."""
    match = re.search(r"/pages/(\d+)(#.*)?$", page.url)
    assert match, page.url
    return int(match.group(1))


def wait_for_charts(page: Page) -> None:
    """The report script marks the page once both charts are drawn."""
    page.locator('html[data-charts="drawn"]').wait_for(state="attached")


def no_sideways_scrolling(page: Page) -> None:
    """The page is no wider than the phone's screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px screen"


# Signing in --------------------------------------------------------------------------------


def test_signing_in_shows_one_generic_message_on_failure_and_lands_on_home(
    page: Page, make_user: Callable[..., str]
) -> None:
    email = make_user()
    for who, password in ((email, "not the password"), ("nobody@example.org", PASSWORD)):
        page.goto("/sign-in")
        page.get_by_label("E-mail").fill(who)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text(GENERIC_FAILURE)
        assert page.url.endswith("/sign-in")

    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Maya")


# The whole path ----------------------------------------------------------------------------

# Page 1 by keyboard: the keys pressed in each radio group and the value they choose.
KEYBOARD = [
    (["ArrowRight"] * 3, "4"),
    (["Space"], "1"),
    (["ArrowRight", "ArrowRight"], "3"),
    (["ArrowLeft"], "na"),  # from the first option, wraps round to the last
    (["ArrowDown"] * 4, "5"),
    (["ArrowRight"], "2"),
    (["ArrowRight"] * 4 + ["ArrowUp"], "4"),
    (["ArrowRight"] * 3 + ["ArrowLeft"], "3"),
]


def answer_page_one_by_keyboard(page: Page) -> dict[str, str]:
    """Skip link, then Tab into each radio group and choose with arrows or Space."""
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    ids = item_ids(page)
    assert len(ids) == len(KEYBOARD)
    expected = {}
    for item_id, (keys, value) in zip(ids, KEYBOARD, strict=True):
        page.keyboard.press("Tab")
        assert focused(page)["name"] == item_id, "Tab should reach the next question"
        for key in keys:
            page.keyboard.press(key)
        expected[item_id] = value
    assert checked_answers(page) == expected
    return expected


def test_a_manager_answers_by_keyboard_and_mouse_leaves_halfway_resumes_and_submits(
    page: Page, app: Flask, make_user: Callable[..., str], sign_in: Callable[..., None]
) -> None:
    email = make_user()
    sign_in(page, email)
    start_assessment(page)
    given = answer_page_one_by_keyboard(page)
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "next", "after the last question, Tab reaches Next"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page_number(page) == 2

    # Half of page 2 by mouse, then leave: save, sign out, come back another time.
    ids = item_ids(page)
    first_half = mouse_answers(ids[: len(ids) // 2], offset=1)
    answer_by_mouse(page, first_half)
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, email)
    answered = len(given) + len(first_half)
    page.get_by_role("link", name=f"Continue ({answered} of 72 answered)").click()
    page.wait_for_url("**/pages/2")
    shown = checked_answers(page)
    assert {i: shown[i] for i in first_half} == first_half, "answers given are still checked"
    assert all(shown[i] is None for i in ids[len(ids) // 2 :])

    # Back to page 1: the keyboard answers are kept; Next returns to page 2.
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/pages/1")
    assert checked_answers(page) == given
    next_page(page)
    assert page_number(page) == 2

    # The rest of page 2 but one; Enter on an answer moves on and names the gap.
    gap = ids[-1]
    rest = mouse_answers(ids[len(ids) // 2 : -1], offset=4)
    answer_by_mouse(page, rest)
    with page.expect_navigation():
        page.locator(f"#q-{ids[-2]} input:checked").press("Enter")
    assert page_number(page) == 2
    error = page.locator(f"#q-{gap} .error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Choose an answer")
    expect(page.locator(f"#q-{gap} input").first).to_have_attribute(
        "aria-describedby", f"{gap}-error"
    )
    expect(page.locator(".item.has-error")).to_have_count(1)
    expect(page.locator("#gaps").get_by_role("link")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text("still need an answer")
    assert checked_answers(page) == {**first_half, **rest, gap: None}, "nothing given was lost"
    page.locator("#gaps").get_by_role("link").click()
    click_answer(page, gap, "5")
    page.get_by_role("button", name="Next").focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    given.update({**first_half, **rest, gap: "5"})

    # Pages 3 to the last by mouse.
    while "/pages/" in page.url:
        given.update(complete_page_by_mouse(page, offset=page_number(page)))

    # Review, submit, read the report.
    page.wait_for_url("**/review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ready to submit?")
    expect(page.locator(".checklist li.missing")).to_have_count(0)
    page.get_by_role("button", name="Submit and see my report").click()
    page.wait_for_url("**/report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your leadership profile")
    wait_for_charts(page)
    assert stored_answers(app, email) == given, "what was chosen is exactly what was stored"


def stored_answers(app: Flask, email: str) -> dict[str, str]:
    """The person's submitted answers as the form writes them ("na" for not observed)."""
    from coach.extensions import db
    from coach.models import Assessment
    from coach.services.accounts import accounts

    with app.app_context():
        owner = accounts.find_by_email(db.session, email)
        assert owner is not None
        assessment = db.session.scalar(db.select(Assessment).where(Assessment.owner == owner))
        assert assessment is not None and assessment.is_submitted
        answers = {a.item_id: "na" if a.value is None else str(a.value) for a in assessment.answers}
        db.session.remove()
    return answers


def test_pressing_enter_on_an_answer_moves_forward_never_back(
    page: Page, make_user: Callable[..., str], sign_in: Callable[..., None]
) -> None:
    sign_in(page, make_user())
    start_assessment(page)
    complete_page_by_mouse(page)
    answers = mouse_answers(item_ids(page), offset=2)
    answer_by_mouse(page, answers)
    with page.expect_navigation():
        page.locator(f"#q-{next(iter(answers))} input:checked").press("Enter")
    assert page_number(page) == 3


# The report --------------------------------------------------------------------------------


@pytest.fixture
def report_url(
    page: Page, submitted_assessment: Callable[[], tuple[str, str]], sign_in: Callable[..., None]
) -> str:
    """A signed-in manager's submitted report."""
    assert LOCAL_CHART_JS.exists(), "the local Chart.js is missing: run `make vendor`"
    email, public_id = submitted_assessment()
    sign_in(page, email)
    return f"/assessments/{public_id}/report"


def assert_charts_painted(page: Page) -> None:
    """Both canvases hold a real drawing, in both the leader and the manager colours."""
    for canvas in CHARTS:
        pixels = page.evaluate(PAINTED_PIXELS, canvas)
        assert pixels["painted"] > 0.05 * pixels["total"], f"{canvas} is nearly blank: {pixels}"
        assert pixels["leader"] > 100, f"{canvas} has no leader-coloured marks: {pixels}"
        assert pixels["manager"] > 50, f"{canvas} has no manager-coloured marks: {pixels}"


def test_the_report_draws_both_charts_offline_from_the_local_chart_js(
    page: Page, report_url: str
) -> None:
    unreachable: list[str] = []
    local: list[int] = []
    page.on("requestfailed", lambda r: unreachable.append(r.url))
    page.on(
        "response",
        lambda r: local.append(r.status) if r.url.endswith("/vendor/chart.umd.js") else None,
    )
    page.goto(report_url)
    wait_for_charts(page)
    assert any("cdn.jsdelivr.net" in url for url in unreachable), "the CDN was tried first"
    assert local == [200], "the local copy was loaded once"
    assert_charts_painted(page)


def test_printing_the_report_hides_the_header_and_keeps_both_charts(
    page: Page, report_url: str
) -> None:
    page.goto(report_url)
    wait_for_charts(page)
    page.emulate_media(media="print")
    for hidden in (".site-header", "nav", ".site-footer", "[data-print]"):
        expect(page.locator(hidden).first).to_be_hidden()
    for canvas in CHARTS:
        expect(page.locator(f"#{canvas}")).to_be_visible()
        box = page.locator(f"#{canvas}").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200, box
    page.wait_for_timeout(200)  # Chart.js redraws after the print style resizes the boxes
    assert_charts_painted(page)


# Phones ------------------------------------------------------------------------------------


def test_signing_in_and_answering_work_on_a_375px_phone(
    phone: Page, make_user: Callable[..., str], sign_in: Callable[..., None]
) -> None:
    phone.goto("/sign-in")
    no_sideways_scrolling(phone)
    sign_in(phone, make_user())
    no_sideways_scrolling(phone)
    start_assessment(phone)
    no_sideways_scrolling(phone)
    ids = item_ids(phone)
    for n, item_id in enumerate(ids[:-1]):
        options = phone.locator(f"#q-{item_id} label.option")
        for option in options.all():
            box = option.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
            assert box["height"] >= 44, "options are comfortable touch targets"
        options.nth(n % 6).tap()
        expect(options.nth(n % 6).locator("input")).to_be_checked()
    phone.get_by_role("button", name="Next").tap()
    expect(phone.locator(f"#q-{ids[-1]} .error")).to_be_visible()
    no_sideways_scrolling(phone)
    phone.locator(f"#q-{ids[-1]} .option-na").tap()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Next").tap()
    assert page_number(phone) == 2


def test_the_report_reads_on_a_375px_phone_with_every_dimension_named_beside_its_two_poles(
    phone: Page, submitted_assessment: Callable[[], tuple[str, str]], sign_in: Callable[..., None]
) -> None:
    email, public_id = submitted_assessment()
    sign_in(phone, email)
    no_sideways_scrolling(phone)
    phone.goto(f"/assessments/{public_id}/report")
    wait_for_charts(phone)
    no_sideways_scrolling(phone)
    assert_charts_painted(phone)
    chart = phone.evaluate(
        "() => { const chart = Chart.getChart('pole-chart'); const y = chart.scales.y;"
        " return {type: chart.config.type, series: chart.data.datasets.map(d => d.label),"
        " labels: y.ticks.length, left: y.left, width: chart.width}; }"
    )
    # One bar per pole, side by side per dimension: never a line joining the two kinds.
    assert chart["type"] == "bar" and chart["series"] == ["Leader pole", "Manager pole"]
    assert chart["labels"] == 5 and chart["left"] >= 0, chart


# Accessibility -----------------------------------------------------------------------------


def test_every_page_on_the_path_passes_axe(
    audit_page: Page,
    make_user: Callable[..., str],
    sign_in: Callable[..., None],
    axe: Callable[[Page, str], None],
) -> None:
    page = audit_page
    email = make_user()
    page.goto("/sign-in")
    axe(page, "sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe(page, "sign-in after a wrong password")
    sign_in(page, email)
    axe(page, "home")
    start_assessment(page)
    axe(page, "questionnaire page 1")
    next_page(page)
    expect(page.locator(".item.has-error").first).to_be_visible()
    axe(page, "questionnaire page 1 with every question unanswered")
    complete_page_by_mouse(page)
    while "/pages/" in page.url:
        axe(page, f"questionnaire page {page_number(page)}")
        complete_page_by_mouse(page, offset=page_number(page))
    axe(page, "review")
    page.get_by_role("button", name="Submit and see my report").click()
    page.wait_for_url("**/report")
    wait_for_charts(page)
    axe(page, "report")
    page.get_by_role("link", name="Account").click()
    axe(page, "change password")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".field.has-error").first).to_be_visible()
    axe(page, "change password with errors")
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    axe(page, "404 error page")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, make_user("hr@example.org", "hr", "Hana Ruiz"))
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory")
    axe(page, "people (HR)")


def test_the_report_with_an_archetype_passes_axe_and_fits_a_phone(
    audit_page: Page,
    phone: Page,
    app: Flask,
    submitted_assessment: Callable[[], tuple[str, str]],
    sign_in: Callable[..., None],
    axe: Callable[[Page, str], None],
) -> None:
    from coach.extensions import db
    from coach.instruments_registry import default_instrument
    from coach.services.hr import archetype_refit as archetype_runs

    email, public_id = submitted_assessment()
    with app.app_context():
        archetype_runs.recluster(db.session, default_instrument())
        db.session.remove()
    for page in (audit_page, phone):
        sign_in(page, email)
        page.goto(f"/assessments/{public_id}/report")
        wait_for_charts(page)
        section = page.locator("section", has=page.locator("#archetype-title"))
        expect(section).to_contain_text("Your archetype")
        expect(section).to_contain_text("they do not type people")
    axe(audit_page, "report with an archetype")
    no_sideways_scrolling(phone)
