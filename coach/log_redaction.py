"""Log lines never carry the secret in a link: its path segment is replaced by a fixed mark.

Rater links (``/r/<token>``), account links (``/activate/<token>``,
``/reset-password/<token>``) and e-mail confirmation links hold their secret in the path.
An access log, or an error logged with the request's path, would otherwise keep working
links readable by anyone who reads the logs.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

MARK = "[token]"
_TOKEN_PATH = re.compile(r"(/(?:r|activate|reset-password|directory/confirm-email)/)[^/?#\s\"']+")


def redact(text: str) -> str:
    """``text`` with every link secret in a path replaced by MARK."""
    return _TOKEN_PATH.sub(lambda m: m.group(1) + MARK, text)


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message without link secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message in place; never drops a record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def register(app: Flask) -> None:
    """Redact the app's own log records (errors logged with a path, the development server)."""
    redacting = RedactingFilter()
    loggers = [app.logger, logging.getLogger("coach"), logging.getLogger("werkzeug")]
    for logger in loggers:
        if redacting not in logger.filters:
            logger.addFilter(redacting)
    for logger in [*loggers, logging.getLogger()]:
        for handler in logger.handlers:  # records from child loggers pass through handlers
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(redacting)
