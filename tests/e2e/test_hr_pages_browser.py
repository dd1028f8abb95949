"""HR's campaign page on a phone: who it is for, readable at 375 px, axe clean."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coach.extensions import db
from coach.models import User
from coach.services.people import org_import

from conftest import PASSWORD
from e2e.conftest import PHONE

pytestmark = pytest.mark.browser

LONG_NAME = "Maximiliane Hohenzollern-Sigmaringen-Wittelsbach"
LONG_UNIT = "Customer-Experience-and-Service-Operations-Excellence"


@pytest.fixture
def service_unit(app, make_user) -> str:  # type: ignore[no-untyped-def]
    """Five leads in Northwind/Service, one with a long name in a unit with a long name; HR."""
    rows = ["email,name,unit,manager_email,role", "ceo@nw.test,Noor Said,Northwind,,manager"]
    leads = [("a", "Amara Okafor"), ("b", "Bruno Costa"), ("c", "Chloé Martin")]
    leads += [("d", "Dmitri Volkov"), ("e", LONG_NAME)]
    for key, name in leads:
        unit = f"Northwind/Service/{LONG_UNIT}" if key == "e" else "Northwind/Service"
        rows.append(f"{key}@nw.test,{name},{unit},ceo@nw.test,manager")
        rows.append(f"{key}.1@nw.test,{name} Report,{unit},{key}@nw.test,")
    make_user("hana@example.org", "hr", "Hana Resources")
    with app.app_context():
        assert org_import.import_people(db.session, "\n".join(rows).encode(), base_url="x").ok
        lead = db.session.scalar(select(User).where(User.email == "a@nw.test"))
        unit = lead.unit.public_id
        db.session.remove()
    return unit


def test_the_campaign_page_lists_its_people_on_a_phone_without_sideways_scrolling(
    new_context, axe, service_unit
):
    phone = new_context(bypass_csp=True, **PHONE).new_page()  # bypass: axe is injected
    phone.goto("/sign-in")
    phone.get_by_label("E-mail").fill("hana@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url("**/")
    phone.goto(f"/hr/campaigns?unit={service_unit}")  # as the directory's link opens it
    phone.get_by_label("Name").fill("Spring feedback")
    phone.get_by_role("button", name="Create the rounds").click()
    phone.get_by_role("heading", name="Spring feedback").wait_for()
    phone.wait_for_load_state("load")  # the page's stylesheets too: the checks below measure
    people = phone.get_by_role("region", name="Who it is for").get_by_role("listitem")
    assert people.count() == 5
    assert people.last.inner_text().split("\n") == [LONG_NAME, LONG_UNIT]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    for box in (people.nth(n).bounding_box() for n in range(5)):
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert phone.get_by_text("Where each person's round stands is only counted").is_visible()
    axe(phone, "campaign page on a phone")
