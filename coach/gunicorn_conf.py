"""gunicorn settings for ``make run``: the access log without the secrets held in link paths.

Used as ``gunicorn --config python:coach.gunicorn_conf``; every other setting comes from
the command line.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

from coach.log_redaction import redact


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with each access-log field (request line, path, referrer) redacted."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> Any:
        """The fields of one access-log line, link secrets replaced by a fixed mark."""
        fields = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in fields.items()}


logger_class = RedactingLogger
