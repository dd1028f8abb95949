"""The directory pages refuse unit paths that are too deep or too long, next to the field."""

from __future__ import annotations

from sqlalchemy import func, select

from coach.extensions import db
from coach.models import OrgUnit, User

from hr_builders import NEW_PERSON, save_person, sign_in_hr, upload_org_chart

ELEVEN = "/".join(f"L{i}" for i in range(1, 12))


def _units(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OrgUnit))


def test_adding_a_person_in_a_unit_eleven_levels_deep_is_refused_at_the_unit_field(
    app, auth, make_user
):
    sign_in_hr(auth, make_user)
    response = save_person(auth, NEW_PERSON, "Nia New", "nia@example.org", unit=ELEVEN)
    assert response.status_code == 200
    error = '<p class="error" id="unit-error">A unit path can have at most 10 levels'
    assert error in response.text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "nia@example.org")) is None
    assert _units(app) == 0


def test_moving_a_person_into_a_path_too_long_is_refused_and_they_stay_put(app, auth, make_user):
    sign_in_hr(auth, make_user)
    with app.app_context():
        nia = db.session.scalar(select(User).where(User.email == "hr@example.org"))
        public_id = nia.public_id
    url = f"/directory/people/{public_id}"
    response = save_person(
        auth, url, "Helena Brandt", "hr@example.org", role="hr", unit="/".join(["x" * 150] * 7)
    )
    assert "A unit path can have at most 1000 characters." in response.text
    assert _units(app) == 0


def test_an_upload_with_a_unit_path_too_deep_names_the_row_and_imports_nothing(
    app, auth, make_user
):
    sign_in_hr(auth, make_user)
    csv = (
        "email,name,unit,manager_email,role\n"
        "ceo@acme.test,Camille Reyes,Acme,,manager\n"
        f"deep@acme.test,Dee Deep,{'/'.join(['u'] * 8000)},,manager\n"
    )
    result = upload_org_chart(auth, csv)
    text = result.text.replace("\n", "").replace("  ", "")
    assert "Nothing was imported" in text and "<td>3</td><td>unit</td>" in text
    assert _units(app) == 0


def test_the_units_api_lists_a_ten_level_tree_with_paths(app, auth, make_user):
    sign_in_hr(auth, make_user)
    ten = "/".join(f"L{i}" for i in range(1, 11))
    upload_org_chart(auth, f"email,name,unit,manager_email,role\na@acme.test,A,{ten},,\n")
    node = auth.client.get("/api/v1/hr/units").get_json()["units"][0]
    for _ in range(9):
        assert node["people_including_below"] == 1
        node = node["children"][0]
    assert node["path"] == ten and node["people"] == 1 and node["children"] == []


def test_units_left_by_a_hostile_import_can_be_cleared_once_nobody_is_in_them(app, auth, make_user):
    sign_in_hr(auth, make_user)
    with app.app_context():  # a chain made before the limits, with someone at its bottom
        hr = db.session.scalar(select(User).where(User.email == "hr@example.org"))
        parent = None
        for level in range(600):
            parent = OrgUnit(name=f"L{level}", parent=parent)
            db.session.add(parent)
        hr.unit = parent
        db.session.flush()
        for unit in db.session.scalars(select(OrgUnit).order_by(OrgUnit.id)):
            unit.tree_path = "/"  # deep paths do not fit PostgreSQL's column; unused here
        public_id = hr.public_id
        db.session.commit()
    url = f"/directory/people/{public_id}"
    moved = save_person(auth, url, "Helena Brandt", "hr@example.org", role="hr", unit="Acme/People")
    assert moved.status_code == 302
    result = app.test_cli_runner().invoke(args=["remove-unused-units", "--yes"])
    assert result.exit_code == 0 and "Removed 600 unused units." in result.output
    units = auth.client.get("/api/v1/hr/units").get_json()["units"]
    assert [(u["name"], [c["path"] for c in u["children"]]) for u in units] == [
        ("Acme", ["Acme/People"])
    ]
