"""What one request may make the server read: checked before anything parses its body.

Flask-WTF's CSRF check and the NUL check (coach/security.py) read ``request.form`` on
every request. Without these limits a POST of two megabytes of empty fields, even to an
address that does not exist, kept a worker busy for more than a second. So, before any
other hook looks at the body:

* an address that matches no route answers 404 (or 405 for a method the route lacks) at
  once: its body is never read;
* a request may carry at most ``FORM_LIMIT`` bytes, except the two CSV uploads (org chart,
  responses), which may carry ``MAX_CONTENT_LENGTH`` (2 MB, config.py);
* a form may hold at most ``MAX_FIELDS`` fields: Werkzeug counts multipart parts itself
  (``MAX_FORM_PARTS``); for an urlencoded body, which Werkzeug parses in one go without a
  count, the separators are counted here before it is parsed.

Too large or too many fields answers 413, with nothing read beyond the limit.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

FORM_LIMIT = 128 * 1024  # a page's form, comments included, is a few kilobytes
MAX_FIELDS = 1000
# Only these views take the larger MAX_CONTENT_LENGTH (config.py): the org chart and the
# responses CSV uploads.
UPLOAD_ENDPOINTS = frozenset({"directory.import_people", "hr.import_responses"})


def register(app: Flask) -> None:
    """Install the limits; call before any extension that reads request bodies."""
    app.config["MAX_FORM_PARTS"] = MAX_FIELDS
    app.before_request(limit_request)


def limit_request() -> None:
    """Route first, then cap the body for the matched view; raise 404/405/413 early."""
    if request.routing_exception is not None:
        current_app.raise_routing_exception(request)
    upload_limit = current_app.config["MAX_CONTENT_LENGTH"]
    limit = upload_limit if request.endpoint in UPLOAD_ENDPOINTS else FORM_LIMIT
    request.max_content_length = limit
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    if request.mimetype == "application/x-www-form-urlencoded":
        body = request.get_data(cache=True)  # bounded by the limit; the form is parsed from it
        if body.count(b"&") >= MAX_FIELDS:
            raise RequestEntityTooLarge(f"A form may hold at most {MAX_FIELDS} fields.")
