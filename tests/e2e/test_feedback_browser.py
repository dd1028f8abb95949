"""The whole 360 path in a real browser, with invitations delivered over real SMTP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from coach.extensions import db
from coach.services.people import org_import

from e2e.conftest import PHONE
from e2e.mailbox import mailbox_for

pytestmark = pytest.mark.browser

ORG = (
    "email,name,unit,manager_email,role\n"
    "bea@acme.test,Bea Boss,Acme,,manager\n"
    "r0@acme.test,Rui Costa,Acme/Ops,casey@example.org,manager\n"
    "r1@acme.test,Rita Novak,Acme/Ops,casey@example.org,manager\n"
    "r2@acme.test,Remy Silva,Acme/Ops,casey@example.org,manager\n"
)


def _answer_everything(rater: Page, answer: str, pages: int = 7) -> None:
    """Click one answer for every statement on every page, as a rater on a phone would."""
    for number in range(1, pages + 1):
        rater.wait_for_url(f"**/pages/{number}")  # never act on a page that is still leaving
        for fieldset in rater.locator("fieldset.item").all():
            fieldset.get_by_text(answer, exact=True).click()
        rater.get_by_role("button", name="Next" if number < pages else "Review").click()
    rater.wait_for_url("**/review")


def _canvas_ink(page: Page, canvas_id: str) -> int:
    return page.evaluate(
        """id => { const c = document.getElementById(id);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""",
        canvas_id,
    )


def test_a_manager_asks_for_feedback_raters_answer_and_the_report_overlays_self_and_others(
    app, audit_page, new_context, live_server, submitted_assessment, sign_in, axe, monkeypatch
):
    email, _ = submitted_assessment()
    with app.app_context():
        assert org_import.import_people(db.session, ORG.encode(), base_url=live_server).ok
        from sqlalchemy import update

        from coach.models import User

        boss = db.session.scalar(db.select(User.id).where(User.email == "bea@acme.test"))
        db.session.execute(update(User).where(User.email == email).values(manager_id=boss))
        db.session.commit()
    page = audit_page
    with mailbox_for(app, live_server, monkeypatch) as mailbox:
        mailbox.deliver()  # the activation messages of the import, not needed here
        sign_in(page, email)
        page.goto("/feedback/")
        page.get_by_role("button", name="Choose raters").click()
        page.get_by_text("Suggested from the org chart").wait_for()
        axe(page, "choosing raters")
        page.get_by_role("button", name="Add the ticked people").click()
        page.get_by_text("Added 4 raters").wait_for()
        page.get_by_role("button", name="Open the round and send invitations").click()
        page.get_by_text("Answers so far").wait_for()
        assert mailbox.deliver() == 4

        for number, address in enumerate(
            ["r0@acme.test", "r1@acme.test", "r2@acme.test", "bea@acme.test"]
        ):
            # The first rater's browser lets axe in; the others keep the real CSP.
            context = new_context(**PHONE, bypass_csp=number == 0)
            rater = context.new_page()
            rater.goto(mailbox.link_for(address, "Feedback for"))
            assert "/r/" not in rater.url
            if number == 0:
                axe(rater, "rater welcome")
            rater.get_by_role("link", name="Start").click()
            if number == 0:
                axe(rater, "rater questionnaire page")
                assert rater.evaluate("document.documentElement.scrollWidth") <= 375
            _answer_everything(rater, "Often" if address != "bea@acme.test" else "Always")
            rater.get_by_role("button", name="Submit my feedback").click()
            rater.get_by_text("Your feedback is submitted").wait_for()

        page.reload()
        assert "<strong>3</strong> of 3" in page.content()
        page.get_by_role("link", name="Close now and see the results").click()
        page.get_by_text("Close the round now?").wait_for()
        axe(page, "confirm closing")
        page.get_by_role("button", name="Close the round and see the results").click()
        page.wait_for_selector("html[data-charts='drawn']")
        assert _canvas_ink(page, "pole-chart") > 2000
        assert _canvas_ink(page, "skill-chart") > 2000
        content = page.content()
        assert "Direct reports" in content and "Manager" in content
        axe(page, "360 report")
