"""An outside rater in a real browser: refused own address, waiting, approved by the manager."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from sqlalchemy import select, update

from coach.extensions import db
from coach.models import User

pytestmark = pytest.mark.browser


def _add_rater(page: Page, name: str, email: str, relationship: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Add rater"))
    form.get_by_label("Name").fill(name)
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Works with me as").select_option(relationship)
    form.get_by_role("button", name="Add rater").click()


def test_an_outside_rater_waits_until_the_manager_approves_them_from_the_approvals_page(
    app, audit_page, new_context, submitted_assessment, make_user, sign_in, axe
):
    email, _ = submitted_assessment()
    boss = make_user("bea@example.org", "manager", "Bea Boss")
    with app.app_context():
        boss_id = db.session.scalar(select(User.id).where(User.email == boss))
        db.session.execute(update(User).where(User.email == email).values(manager_id=boss_id))
        db.session.commit()

    page = audit_page
    sign_in(page, email)
    page.goto("/feedback/")
    page.get_by_role("button", name="Choose raters").click()
    page.get_by_role("heading", name="Add someone").wait_for()

    _add_rater(page, "Me Again", email.replace("@", "+360@"), "peer")
    error = page.locator("#email-error")
    error.wait_for()
    assert "your own address" in error.inner_text()
    axe(page, "a refused rater address")

    _add_rater(page, "Cleo Client", "cleo@client.example", "other")
    page.get_by_role("heading", name="Waiting for approval").wait_for()
    assert "Bea Boss, or HR" in page.content()
    axe(page, "a rater waiting for approval")

    manager = new_context(bypass_csp=True).new_page()
    sign_in(manager, boss)
    # home says approvals wait and links to them, as the navigation does
    manager.get_by_role("link", name="Review the approvals").click()
    manager.get_by_role("heading", name="Outside raters to approve").wait_for()
    axe(manager, "the approvals page")
    manager.get_by_role("button", name="Approve Cleo Client for Casey Morgan").click()
    manager.get_by_text("Cleo Client is approved").wait_for()
    assert "Nothing is waiting for your decision." in manager.content()

    page.reload()
    assert "Waiting for approval" not in page.content()
    assert page.get_by_role("button", name="Remove Cleo Client").is_visible()
