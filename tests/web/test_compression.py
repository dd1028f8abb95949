"""Pages and static files travel gzipped to browsers that accept it, and stay correct."""

from __future__ import annotations

import gzip
from pathlib import Path

import coach

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
STATIC = Path(coach.__file__).resolve().parents[1] / "static"


def test_a_page_travels_gzipped_and_unpacks_to_the_same_html(client, auth, make_user):
    make_user()
    auth.sign_in("maya@example.org")
    plain = client.get("/")
    packed = client.get("/", headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.data).decode()
    assert "Maya Lind" in html and html.count("<form") == plain.text.count("<form")
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)


def test_the_local_chart_library_is_sent_compressed_and_still_revalidates(client):
    path = "/static/vendor/chart.umd.js"
    packed = client.get(path, headers=GZIP)
    original = (STATIC / "vendor" / "chart.umd.js").read_bytes()
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == original
    assert len(packed.data) < len(original) / 2
    again = client.get(path, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert client.get(path, headers=GZIP).data == packed.data  # the same bytes next time


def test_tiny_and_binary_answers_are_left_as_they_are(client):
    tiny = client.get("/static/favicon.svg", headers=GZIP)
    assert tiny.status_code == 200 and "Content-Encoding" not in tiny.headers
    assert tiny.data == (STATIC / "favicon.svg").read_bytes()


def test_json_from_the_api_is_compressed_too(client):
    answer = client.get("/api/v1/openapi.json", headers=GZIP)
    assert answer.headers["Content-Encoding"] == "gzip"
    assert b'"openapi"' in gzip.decompress(answer.data)
