"""Error pages that say what happened and what to do next."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

_MESSAGES = {
    400: ("This request could not be understood", "Please go back and try again."),
    401: ("Please sign in", "This page is only for signed-in people."),
    403: ("Not yours to see", "Your role does not give access to this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Too many attempts", "Please wait a few minutes before trying again."),
    500: ("Something went wrong", "The error is logged. Please try again in a moment."),
}


def _page(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = _MESSAGES.get(code, ("Error", "Something went wrong."))
    return (
        render_template("errors/error.html", code=code, title=title, message=detail or message),
        code,
    )


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
        return _page(error.code or 500)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        return _page(500)
