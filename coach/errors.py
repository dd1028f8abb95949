"""Error pages that say what happened and what to do next."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from coach.extensions import db

# The database cannot be used right now: unreachable, a dropped connection, locked past the
# busy timeout, full, or no pooled connection free. Worth a retry, never a traceback.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (
    "The database is not answering for a moment, so nothing new could be saved just now. "
    "Everything saved before is kept, answers included. Please try again in a minute."
)
RATER_UNAVAILABLE = (
    "The database is not answering for a moment. The answers you saved before are kept, and "
    "your link still works. If you were on a page of questions, go back: your browser still "
    "shows your choices. Press the button again in a minute."
)

_MESSAGES = {
    400: ("This request could not be understood", "Please go back and try again."),
    401: ("Please sign in", "This page is only for signed-in people."),
    403: ("Not yours to see", "Your role does not give access to this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Too many attempts", "Please wait a few minutes before trying again."),
    500: ("Something went wrong", "The error is logged. Please try again in a moment."),
    503: ("Briefly unavailable", UNAVAILABLE),
}


def _page(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = _MESSAGES.get(code, ("Error", "Something went wrong."))
    return (
        render_template("errors/error.html", code=code, title=title, message=detail or message),
        code,
    )


def _own_wording(error: HTTPException) -> str | None:
    """A rate limit's own message, when it was given one (the rater's links have theirs)."""
    if isinstance(error, RateLimitExceeded) and error.limit.error_message:
        return error.description
    return None


def end_failed_transaction() -> None:
    """Roll back after a database failure, so the next statement starts a fresh transaction."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()  # the connection is gone; the pool replaces it


def forget_signed_in_user() -> None:
    """Render the rest of this request as anonymous: showing who is signed in needs the database."""
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]


def database_unavailable(error: Exception) -> Response | tuple[str, int, dict[str, str]]:
    """503 with a page that says what is kept; the pool reconnects by itself once it is back."""
    current_app.logger.error(
        "database unavailable on %s %s", request.method, request.path, exc_info=error
    )
    end_failed_transaction()
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.blueprint == "api":
        response = jsonify(error="Service Unavailable", message=UNAVAILABLE)
        response.status_code = 503
        response.headers.update(retry)
        return response
    forget_signed_in_user()
    body, status = _page(503, RATER_UNAVAILABLE if request.blueprint == "rate" else None)
    return body, status, retry


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
        return _page(
            400,
            "The form had expired or came from another site, so nothing was saved. "
            "Go back, reload the page and send it again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> object:
        if request.blueprint == "api":
            return error  # the API blueprint answers in JSON
        return _page(error.code or 500, _own_wording(error))

    for failure in DATABASE_UNAVAILABLE:
        app.register_error_handler(failure, database_unavailable)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        return _page(500)
