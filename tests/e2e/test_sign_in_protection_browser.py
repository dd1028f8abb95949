"""In a real browser: a person made to wait after wrong passwords is told so, and gets in."""

from __future__ import annotations

import pytest

from e2e.mailbox import mailbox_for

pytestmark = pytest.mark.browser

NEW_PASSWORD = "maya's long new password"


def test_after_wrong_passwords_the_person_is_told_to_wait_and_a_reset_link_lets_them_in(
    app, audit_page, live_server, make_user, axe, monkeypatch
):
    page = audit_page
    make_user("maya@example.org", "manager", "Maya Lind")
    with mailbox_for(app, live_server, monkeypatch) as mailbox:
        page.goto("/sign-in")
        for n in range(5):
            page.get_by_label("E-mail").fill("maya@example.org")
            page.get_by_label("Password").fill(f"not it {n}")
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text("do not match an active account").wait_for()
        page.get_by_label("E-mail").fill("maya@example.org")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Please try again in 1 minute, or ask for a reset link.").wait_for()
        axe(page, "sign-in while waiting")

        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_label("E-mail").fill("maya@example.org")
        page.get_by_role("button", name="Send me a reset link").click()
        page.get_by_text("If an active account uses that address").wait_for()
        assert mailbox.deliver() == 1
        page.goto(mailbox.link_for("maya@example.org", "Reset"))
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save my password").click()
        page.get_by_text("Welcome, Maya").wait_for()


def test_an_administrator_unlocks_an_account_from_the_administration_page(
    audit_page, make_user, sign_in, axe
):
    page = audit_page
    make_user("maya@example.org", "manager", "Maya Lind")
    make_user("ada@example.org", "admin", "Ada Admin")
    sign_in(page, "ada@example.org")
    page.goto("/admin/")
    page.get_by_role("link", name="Unlock an account").click()
    axe(page, "unlock an account")
    page.get_by_label("E-mail of the account").fill("nobody@example.org")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("No account uses nobody@example.org.").wait_for()
    axe(page, "unlock an account, with an error")
    page.get_by_label("E-mail of the account").fill("maya@example.org")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("maya@example.org can sign in again at once.").wait_for()
