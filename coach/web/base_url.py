"""Whether the configured base URL (COACH_BASE_URL) is the address the app is reached on.

Links in e-mails are built from the configured address, because a request's Host header is
chosen by whoever sends the request. When the two differ, every invitation and reset link
points somewhere else: the operator is told in the log (once per worker) and on the
administrator's outbox page, and nothing else changes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request

_WARNED = "coach.base_url_warned"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def base_url_mismatch(base_url: str, host_url: str) -> str | None:
    """A plain warning when links would point elsewhere than the address in use; else None."""
    configured, reached = _origin(base_url), _origin(host_url)
    if configured == reached:
        return None
    return (
        f"Links in e-mails point at {configured} (COACH_BASE_URL), but this page was reached at "
        f"{reached}. If people reach coach at {reached}, set COACH_BASE_URL to it, or the links "
        "they receive will not open."
    )


def warn_once_per_worker() -> None:
    """Log the mismatch at the first request that shows it, once per worker."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions.get(_WARNED):
        return
    message = base_url_mismatch(app.config["COACH"].base_url, request.host_url)
    if message is not None:
        app.extensions[_WARNED] = True
        app.logger.warning("base URL check: %s", message)
