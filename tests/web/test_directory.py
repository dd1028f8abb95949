"""The directory pages and API: HR and administrators only."""

from __future__ import annotations

import re

from sqlalchemy import select

from coach.extensions import db
from coach.models import OutboxMessage, User
from coach.services.people import directory

from conftest import Auth
from hr_builders import NEW_PERSON, save_person, sign_in_hr, upload_org_chart

CSV = (
    "email,name,unit,manager_email,role\n"
    "ceo@acme.test,Camille Reyes,Acme,,manager\n"
    "ops@acme.test,Jonas Fischer,Acme/Operations,ceo@acme.test,manager\n"
    "log@acme.test,Lucia Costa,Acme/Operations/Logistics,ops@acme.test,manager\n"
)


def test_hr_uploads_the_org_chart_and_sees_the_tree(app, auth, make_user):
    sign_in_hr(auth, make_user)
    result = upload_org_chart(auth, CSV)
    assert "Import done" in result.text and "Added 3" in result.text
    tree = auth.client.get("/directory/").text
    for name in ("Acme", "Operations", "Logistics", "Lucia Costa"):
        assert name in tree


def test_an_upload_with_a_bad_row_shows_the_row_and_imports_nothing(app, auth, make_user):
    sign_in_hr(auth, make_user)
    result = upload_org_chart(auth, CSV + "oops,Bad Row,Acme,,manager\n")
    assert "Nothing was imported" in result.text
    assert "<td>5</td><td>email</td>" in result.text.replace("\n", "").replace("  ", "")
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ceo@acme.test")) is None


def test_hr_filters_the_directory_by_unit_including_units_below(app, auth, make_user):
    sign_in_hr(auth, make_user)
    upload_org_chart(auth, CSV)
    units = auth.client.get("/api/v1/hr/units").get_json()["units"]
    acme = next(u for u in units if u["name"] == "Acme")
    operations = acme["children"][0]
    assert (acme["people_including_below"], operations["people_including_below"]) == (3, 2)
    people = auth.client.get(f"/api/v1/hr/people?unit={operations['id']}").get_json()["people"]
    assert sorted(p["email"] for p in people) == ["log@acme.test", "ops@acme.test"]
    lucia = next(p for p in people if p["email"] == "log@acme.test")
    assert lucia["manager"]["name"] == "Jonas Fischer" and lucia["active"] is True
    page = auth.client.get(f"/directory/?unit={operations['id']}").text
    assert "Lucia Costa" in page and "Camille Reyes" not in page.split("people-title")[1]


def test_managers_cannot_read_the_directory_pages_or_api(app, auth, make_user):
    auth.sign_in(make_user())
    for url in ("/directory/", "/directory/import", "/directory/people/new", "/admin/outbox"):
        assert auth.client.get(url).status_code == 403, url
    for url in ("/api/v1/hr/units", "/api/v1/hr/people"):
        response = auth.client.get(url)
        assert response.status_code == 403 and response.get_json()["error"] == "Forbidden"


def test_visitors_and_raters_without_accounts_cannot_read_the_directory(client):
    assert client.get("/api/v1/hr/people").status_code == 401
    assert "/sign-in" in client.get("/directory/").headers["Location"]


def test_hr_adds_a_person_who_gets_an_activation_message(app, auth, make_user):
    sign_in_hr(auth, make_user)
    response = save_person(
        auth, NEW_PERSON, "Noor Haddad", "Noor@Acme.test", unit="Acme/Sales", send_activation="y"
    )
    assert response.status_code == 302
    with app.app_context():
        noor = db.session.scalar(select(User).where(User.email == "noor@acme.test"))
        assert noor.unit.path() == "Acme/Sales" and noor.password_hash is None
        assert db.session.scalar(select(OutboxMessage.to_address)) == "noor@acme.test"


def test_hr_moves_a_person_and_a_reporting_loop_is_refused(app, auth, make_user):
    sign_in_hr(auth, make_user)
    upload_org_chart(auth, CSV)
    with app.app_context():
        ceo = db.session.scalar(select(User).where(User.email == "ceo@acme.test")).public_id
        lucia = db.session.scalar(select(User).where(User.email == "log@acme.test")).public_id
    looped = save_person(
        auth,
        f"/directory/people/{ceo}",
        "Camille Reyes",
        "ceo@acme.test",
        unit="Acme",
        manager_email="log@acme.test",
    )
    assert looped.status_code == 200 and "loop" in looped.text
    moved = save_person(
        auth,
        f"/directory/people/{lucia}",
        "Lucia Costa",
        "log@acme.test",
        unit="Acme/People",
        manager_email="ceo@acme.test",
    )
    assert moved.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "log@acme.test"))
        assert person.unit.path() == "Acme/People" and person.manager.email == "ceo@acme.test"


def test_a_deactivated_person_is_kept_but_cannot_sign_in(app, auth, make_user):
    email = make_user("worker@example.org")
    worker = Auth(app.test_client())
    worker.sign_in(email)
    sign_in_hr(auth, make_user)
    with app.app_context():
        public_id = db.session.scalar(select(User.public_id).where(User.email == email))
    auth.post(
        f"/directory/people/{public_id}/active",
        {"active": "0"},
        page=f"/directory/people/{public_id}",
    )
    assert worker.client.get("/").headers["Location"].endswith("/sign-in")  # session ended
    assert Auth(app.test_client()).sign_in(email).status_code == 200  # stays on sign-in
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.email == email)) is False


def test_hr_cannot_make_anyone_an_administrator(app, auth, make_user):
    sign_in_hr(auth, make_user)
    refused = save_person(auth, NEW_PERSON, "Root", "root@acme.test", role="admin")
    assert refused.status_code == 200 and "Not a valid choice" in refused.text


def test_the_admin_outbox_lists_messages_and_shows_each_link_on_its_own_page(app, auth, make_user):
    auth.sign_in(make_user("admin@example.org", role="admin", name="Ade Mensah"))
    upload_org_chart(auth, CSV)
    page = auth.client.get("/admin/outbox").text
    assert "No SMTP server is configured" in page
    assert page.count("Open the activation message") == 3 and "/activate/" not in page
    opened = re.findall(r'href="(/admin/outbox/\d+)"', page)
    assert "/activate/" in auth.client.get(opened[0]).text


def test_a_unit_name_too_long_gets_a_clear_message_not_an_error(app, auth, make_user):
    sign_in_hr(auth, make_user)
    response = save_person(auth, NEW_PERSON, "Nia New", "nia@example.org", unit="a" * 300)
    assert response.status_code == 200 and "at most 200 characters" in response.text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "nia@example.org")) is None


WIDE = (
    "email,name,unit,manager_email,role\n"
    "ceo@acme.test,Camille Reyes,Acme,,manager\n"
    "ops@acme.test,Jonas Fischer,Acme/Operations,ceo@acme.test,manager\n"
    "log@acme.test,Lucia Costa,Acme/Operations/Logistics,ops@acme.test,manager\n"
    "dock@acme.test,Dara Okafor,Acme/Operations/Logistics/Docks,log@acme.test,manager\n"
    "fac@acme.test,Freya Novak,Acme/Operations/Facilities,ops@acme.test,manager\n"
    "sal@acme.test,Sami Haddad,Acme/Sales,ceo@acme.test,manager\n"
)


def _tree_links(html: str) -> dict[str, str]:
    """Unit name -> its people count, as the directory's unit list shows them."""
    tree = html.split('aria-label="Units"', 1)[1].split("</nav>", 1)[0]
    return dict(re.findall(r'unit=[^"]+"[^>]*>([^<]+)</a>\s*<span class="count"[^>]*>(\d+)<', tree))


def test_the_directory_shows_the_chosen_units_path_and_children_not_the_whole_tree(
    app, auth, make_user
):
    sign_in_hr(auth, make_user)
    upload_org_chart(auth, WIDE)
    assert _tree_links(auth.client.get("/directory/").text) == {"Acme": "6"}
    with app.app_context():
        operations = directory.ensure_unit(db.session, "Acme/Operations").public_id
    shown = _tree_links(auth.client.get(f"/directory/?unit={operations}").text)
    # Acme above, Operations itself, its two children; not Sales (a sibling) nor Docks (deeper)
    assert shown == {"Acme": "6", "Operations": "4", "Facilities": "1", "Logistics": "2"}


def test_a_campaign_offers_units_down_to_departments_and_a_deeper_one_from_the_directory(
    app, auth, make_user
):
    sign_in_hr(auth, make_user)
    upload_org_chart(auth, WIDE)
    page = auth.client.get("/hr/campaigns").text
    assert "Logistics (2 people)" in page and "Docks" not in page
    with app.app_context():
        docks = directory.ensure_unit(db.session, "Acme/Operations/Logistics/Docks").public_id
    assert f'href="/hr/campaigns?unit={docks}"' in auth.client.get(f"/directory/?unit={docks}").text
    chosen = auth.client.get(f"/hr/campaigns?unit={docks}").text
    assert re.search(
        rf'<option[^>]*selected[^>]*value="{docks}"|value="{docks}"[^>]*selected', chosen
    )


def test_the_navigation_marks_only_the_section_the_page_belongs_to(app, auth, make_user):
    sign_in_hr(auth, make_user)

    def current(url: str) -> list[str]:
        return re.findall(r'aria-current="page">([^<]+)</a>', auth.client.get(url).text)

    assert current("/hr/campaigns") == ["Campaigns"]
    assert current("/hr/dashboard") == ["Organisation"]
    assert current("/hr/quality") == ["Organisation"]
    assert current("/directory/") == ["People"]
