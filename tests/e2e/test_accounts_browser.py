"""Accounts in a real browser: HR imports the org chart, people activate and reset by e-mail."""

from __future__ import annotations

import pytest

from e2e.mailbox import mailbox_for

pytestmark = pytest.mark.browser

ORG = (
    "email,name,unit,manager_email,role\n"
    "ceo@acme.test,Camille Reyes,Acme,,manager\n"
    "noor@acme.test,Noor Haddad,Acme/Operations,ceo@acme.test,manager\n"
)
NEW_PASSWORD = "noor's long new password"


def test_imported_people_activate_through_their_emailed_link(
    app, page, new_context, live_server, make_user, sign_in, monkeypatch, tmp_path
):
    make_user("hr@example.org", "hr", "Helena Brandt")
    with mailbox_for(app, live_server, monkeypatch) as mailbox:
        sign_in(page, "hr@example.org")
        page.goto("/directory/import")
        csv = tmp_path / "org.csv"
        csv.write_text(ORG)
        page.get_by_label("Org-chart CSV file").set_input_files(str(csv))
        page.get_by_role("button", name="Check and import").click()
        page.get_by_text("Added 2").wait_for()
        assert mailbox.deliver() == 2

        link = mailbox.link_for("noor@acme.test", "account")
        noor = new_context().new_page()
        noor.goto(link)
        assert "/activate/" not in noor.url  # the token left the address bar
        noor.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        noor.get_by_label("New password again").fill(NEW_PASSWORD)
        noor.get_by_role("button", name="Save my password").click()
        noor.get_by_text("Welcome, Noor").wait_for()

        again = new_context().new_page()
        again.goto(link)
        assert "already been used" in again.content()


def test_a_forgotten_password_is_reset_without_an_administrator(
    app, audit_page, live_server, make_user, axe, monkeypatch
):
    page = audit_page
    make_user("maya@example.org", "manager", "Maya Lind")
    with mailbox_for(app, live_server, monkeypatch) as mailbox:
        page.goto("/sign-in")
        page.get_by_role("link", name="Forgot your password?").click()
        axe(page, "forgot password")
        page.get_by_label("E-mail").fill("maya@example.org")
        page.get_by_role("button", name="Send me a reset link").click()
        page.get_by_text("If an active account uses that address").wait_for()
        assert mailbox.deliver() == 1
        page.goto(mailbox.link_for("maya@example.org", "Reset"))
        axe(page, "choose a new password")
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save my password").click()
        page.get_by_text("Welcome, Maya").wait_for()
