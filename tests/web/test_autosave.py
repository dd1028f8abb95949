"""Answers are saved as they are given: the questionnaire pages' script posts each answer to
an endpoint of its own, and a person who leaves without Next finds the answer on return."""

from __future__ import annotations

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Assessment

from conftest import csrf_from, is_checked
from feedback_helpers import open_round_with, raters

ME = "maya@example.org"


def _items(app, page: int) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        instrument = default_instrument()
        return [i.id for i in instrument.items_on(instrument.pages[page - 1])]


def _started(make_user, auth) -> str:  # type: ignore[no-untyped-def]
    make_user(ME)
    auth.sign_in(ME)
    started = auth.post("/assessments/start")
    return started.headers["Location"]  # /assessments/<id>


def test_a_self_assessment_answer_given_and_left_without_next_is_there_on_return(
    app, make_user, auth
):
    assessment_url = _started(make_user, auth)
    page_url = f"{assessment_url}/pages/1"
    page = auth.client.get(page_url).text
    assert f'data-autosave="{page_url}/answers"' in page and "js/autosave.js" in page
    item = _items(app, 1)[0]

    saved = auth.client.post(f"{page_url}/answers", data={item: "4", "csrf_token": csrf_from(page)})

    assert saved.status_code == 204
    assert is_checked(auth.client.get(page_url).text, item, "4")
    assert "Continue (1 of 72 answered)" in auth.client.get("/").text


def test_saving_an_answer_on_an_earlier_page_keeps_the_place_to_resume(app, make_user, auth):
    assessment_url = _started(make_user, auth)
    first, second = _items(app, 1), _items(app, 2)
    page = auth.client.get(f"{assessment_url}/pages/1").text
    token = csrf_from(page)
    auth.client.post(
        f"{assessment_url}/pages/1", data={i: "3" for i in first} | {"csrf_token": token}
    )
    auth.client.post(
        f"{assessment_url}/pages/2/answers", data={second[0]: "2", "csrf_token": token}
    )
    auth.client.post(f"{assessment_url}/pages/1/answers", data={first[0]: "5", "csrf_token": token})
    resumed = auth.client.get(assessment_url)
    assert resumed.headers["Location"].endswith("/pages/2")


def test_an_answer_outside_the_scale_or_without_the_token_is_refused_and_not_stored(
    app, make_user, auth
):
    assessment_url = _started(make_user, auth)
    page_url = f"{assessment_url}/pages/1"
    token = csrf_from(auth.client.get(page_url).text)
    item = _items(app, 1)[0]
    assert (
        auth.client.post(f"{page_url}/answers", data={item: "9", "csrf_token": token}).status_code
        == 400
    )
    assert auth.client.post(f"{page_url}/answers", data={item: "4"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(Assessment)).answers == []


def test_a_rater_answer_given_and_left_without_next_is_there_on_return(app, make_user):
    make_user("sam@example.org", name="Sam Subject")
    with app.app_context():
        _, links = open_round_with("sam@example.org", raters({"peer": 3}))
    client = app.test_client()
    welcome = client.get(links["peer0@example.org"]).headers["Location"]
    page_url = f"{welcome}/pages/1"
    page = client.get(page_url).text
    assert f'data-autosave="{page_url}/answers"' in page
    item = _items(app, 1)[0]
    token = csrf_from(page)

    assert client.post(f"{page_url}/answers", data={item: "na"}).status_code == 400  # no token
    saved = client.post(
        f"{page_url}/answers", data={item: "na", "comment": "Clear briefs", "csrf_token": token}
    )

    assert saved.status_code == 204
    later = app.test_client()  # another browser, the same e-mailed link
    again = later.get(links["peer0@example.org"]).headers["Location"]
    assert "Continue (1 of 72 answered)" in later.get(again).text
    returned = later.get(f"{again}/pages/1").text
    assert is_checked(returned, item, "na") and "Clear briefs</textarea>" in returned
