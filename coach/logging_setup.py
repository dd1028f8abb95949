"""Structured logs on request (COACH_LOG_FORMAT=json): one JSON object per line on stderr.

Every request adds a line with its id, route name, method, status and duration. The path is
left out on purpose (a rater's link carries its token in the path), and so are the query
string, headers, cookies and anything typed into a form. A request id arriving in
``X-Request-ID`` (from the proxy) is kept when it looks like one; otherwise one is made.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import TextIO

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

FORMAT_ENV = "COACH_LOG_FORMAT"
REQUEST_LOGGER = "coach.request"
_ID_SHAPE = re.compile(r"[A-Za-z0-9._-]{8,64}")
_HANDLER_MARK = "coach_json_handler"
_ID, _STARTED = "coach_request_id", "coach_log_started"


class JsonLines(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, request id, fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record``; extra fields passed as ``extra={"fields": {...}}`` are merged."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and g.get(_ID):
            entry["request_id"] = g.get(_ID)
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id() -> str:
    """This request's id (the proxy's when well formed, else a new one)."""
    existing = g.get(_ID)
    if existing:
        return str(existing)
    offered = request.headers.get("X-Request-ID", "")
    chosen = offered if _ID_SHAPE.fullmatch(offered) else uuid.uuid4().hex
    g.setdefault(_ID, chosen)
    return chosen


def _begin() -> None:
    g.setdefault(_STARTED, time.perf_counter())
    request_id()


def _log_request(response: Response) -> Response:
    started = g.get(_STARTED, time.perf_counter())
    fields = {
        "request_id": request_id(),
        "endpoint": request.endpoint or "unmatched",
        "method": request.method,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    response.headers["X-Request-ID"] = fields["request_id"]
    logging.getLogger(REQUEST_LOGGER).info("request", extra={"fields": fields})
    return response


def install_json_handler(stream: TextIO | None = None) -> logging.Handler:
    """Send every log record to stderr (or ``stream``) as JSON, once per process."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, _HANDLER_MARK, False):
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines())
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return handler


def register(app: Flask) -> None:
    """Switch to JSON lines when COACH_LOG_FORMAT (setting or environment) is ``json``."""
    chosen = app.config.get(FORMAT_ENV) or app.config["COACH"].log_format
    if str(chosen).lower() != "json":
        return
    install_json_handler()
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)  # the root's JSON handler takes its records
    # The development server's own request lines hold raw paths and query strings.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app.before_request(_begin)
    app.after_request(_log_request)
