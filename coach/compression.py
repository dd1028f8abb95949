"""gzip for pages, JSON and static text files, when the browser accepts it.

Pages travel compressed (a report's HTML shrinks to about a sixth), and so do the local
Chart.js copy and the style sheet. Static files are compressed once per version: the
result is kept in memory under the file's ETag.

BREACH (guessing a secret in a compressed page from its size, with attacker-chosen text
reflected into the same page) needs the victim's browser to send many requests carrying
the session cookie on the attacker's behalf. The session cookie is SameSite=Lax, so
requests another site triggers in the background (images, scripts, fetch) carry no
session and get the signed-out answer; this is why pages may be compressed at all.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict

from flask import Flask, Response, request

MIN_SIZE = 512  # bytes: below this the gzip header costs more than it saves
LEVEL = 6
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)
_STATIC_CACHE: OrderedDict[str, bytes] = OrderedDict()
_STATIC_CACHE_SIZE = 64


def register(app: Flask) -> None:
    """Compress responses last, after every other hook has finished the body."""
    app.after_request(compress)


def compress(response: Response) -> Response:
    """The response gzipped when the client accepts it and it is worth it."""
    if not _worth_it(response):
        return response
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.accept_encodings:
        return response
    tag, _weak = response.get_etag()
    if response.direct_passthrough:  # a static file streamed from disk
        body = _static_body(response, tag)
    else:
        body = gzip.compress(response.get_data(), compresslevel=LEVEL, mtime=0)
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    if tag:
        # The same content in another encoding: a weak validator, so a revalidation still
        # gets 304 against the file's own tag.
        response.set_etag(tag, weak=True)
    return response


def _worth_it(response: Response) -> bool:
    if request.method == "HEAD" or response.status_code != 200:
        return False  # 204/206/304 and errors from proxies are left alone
    if "Content-Encoding" in response.headers:
        return False
    if response.is_streamed and not response.direct_passthrough:
        return False  # a generator (a long CSV): sent as it is produced
    mimetype = response.mimetype or ""
    if not mimetype.startswith(COMPRESSIBLE):
        return False
    length = response.content_length  # files from disk declare theirs
    if length is None:
        length = response.calculate_content_length()
    return length is None or length >= MIN_SIZE


def _static_body(response: Response, tag: str | None) -> bytes:
    if tag and tag in _STATIC_CACHE:
        _STATIC_CACHE.move_to_end(tag)
        response.close()
        return _STATIC_CACHE[tag]
    response.direct_passthrough = False
    body = gzip.compress(response.get_data(), compresslevel=LEVEL, mtime=0)
    if tag:
        _STATIC_CACHE[tag] = body
        if len(_STATIC_CACHE) > _STATIC_CACHE_SIZE:
            _STATIC_CACHE.popitem(last=False)
    return body
