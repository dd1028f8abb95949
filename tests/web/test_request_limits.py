"""A request's body is limited before anything parses it: unknown addresses never read it,
ordinary forms take little, and only the CSV uploads take up to 2 MB."""

from __future__ import annotations

import io
import time

import pytest
from flask.testing import FlaskClient

from coach.request_limits import FORM_LIMIT, UPLOAD_ENDPOINTS

from conftest import Auth, csrf_from

FORM = "application/x-www-form-urlencoded"
MILLION_EMPTY_FIELDS = b"&" * 1_000_000
TWO_MB_FIELD = b"note=" + b"x" * (2 * 1024 * 1024 - 10)
UPLOAD_SIZE = 2 * 1024 * 1024 - 64 * 1024  # just under the documented 2 MB, with room for the form


def _timed_post(client: FlaskClient, url: str, body: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.post(url, data=body, content_type=FORM)
    return response.status_code, time.perf_counter() - started


def _baseline(client: FlaskClient) -> float:
    """How long an ordinary page takes in this run, on this machine."""
    client.get("/sign-in")
    started = time.perf_counter()
    client.get("/sign-in")
    return time.perf_counter() - started


@pytest.mark.parametrize(
    ("url", "body", "status"),
    [
        ("/no/such/page", MILLION_EMPTY_FIELDS, 404),
        ("/no/such/page", TWO_MB_FIELD, 404),
        ("/sign-in", MILLION_EMPTY_FIELDS, 413),
        ("/sign-in", TWO_MB_FIELD, 413),
        ("/directory/people/new", MILLION_EMPTY_FIELDS, 413),
    ],
    ids=["unknown-fields", "unknown-2mb", "form-fields", "form-2mb", "directory-fields"],
)
def test_a_hostile_body_is_refused_quickly_without_being_parsed(client, url, body, status):
    bound = 0.5 + 5 * _baseline(client)
    answered, took = _timed_post(client, url, body)
    assert answered == status
    assert took < bound, (took, bound)


def test_a_form_with_more_than_a_thousand_fields_is_refused_even_when_small(client):
    body = b"&".join(b"f%d=1" % n for n in range(1001))
    assert len(body) < FORM_LIMIT
    assert client.post("/sign-in", data=body, content_type=FORM).status_code == 413


def test_a_form_without_its_csrf_token_is_still_refused(client, make_user):
    make_user()
    response = client.post("/sign-in", data={"email": "maya@example.org", "password": "x"})
    assert response.status_code == 400 and "expired" in response.text


def test_an_ordinary_form_still_signs_in(auth, make_user):
    response = auth.sign_in(make_user())
    assert response.status_code == 302


def _padded_csv(text: str) -> bytes:
    """A valid file padded with blank lines (which the importers skip) to UPLOAD_SIZE."""
    return text.encode() + b"\n" * (UPLOAD_SIZE - len(text))


def test_an_org_chart_upload_just_under_two_mb_is_accepted(auth, make_user):
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))
    page = auth.client.get("/directory/import")
    upload = _padded_csv("email,name,unit,manager_email,role\nnia@acme.test,Nia,Acme,,manager\n")
    response = auth.client.post(
        "/directory/import",
        data={"csrf_token": csrf_from(page.text), "file": (io.BytesIO(upload), "org.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "Added 1" in response.text


def test_a_responses_upload_just_under_two_mb_is_accepted(app, auth: Auth, make_user):
    from coach.instruments_registry import default_instrument

    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))
    with app.app_context():
        items = [i.id for i in default_instrument().items]
    text = "email,rater_group," + ",".join(items) + "\n"
    text += "hr@example.org,self," + ",".join("3" for _ in items) + "\n"
    page = auth.client.get("/hr/import-responses")
    response = auth.client.post(
        "/hr/import-responses",
        data={
            "csrf_token": csrf_from(page.text),
            "instrument": "leader-manager",
            "file": (io.BytesIO(_padded_csv(text)), "responses.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "Imported 1 self-assessments" in response.text


def test_an_upload_over_two_mb_is_refused(auth, make_user):
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))
    page = auth.client.get("/directory/import")
    upload = b"email,name,unit,manager_email,role\n" + b"\n" * (2 * 1024 * 1024)
    response = auth.client.post(
        "/directory/import",
        data={"csrf_token": csrf_from(page.text), "file": (io.BytesIO(upload), "org.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_the_larger_limit_names_only_views_that_exist(app):
    assert set(app.view_functions) >= UPLOAD_ENDPOINTS
