"""Who is signed in, response headers on every page, and session lifetimes checked on every
request."""

from __future__ import annotations

import time

from flask import Flask, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from coach.extensions import db, login_manager
from coach.models import User

CHART_CDN = "https://cdn.jsdelivr.net"
_STARTED, _SEEN = "started_at", "seen_at"
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def start_session() -> None:
    """Stamp a freshly signed-in session with its start (absolute and idle timeouts)."""
    session[_STARTED] = session[_SEEN] = time.time()
    session.permanent = False


def _holds_nul(fields: MultiDict[str, str]) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in fields.items(multi=True))


def _refuse(code: int, title: str, message: str) -> tuple[str, int]:
    """Refused before any view runs: JSON for the API (its own error handler), a page elsewhere."""
    if request.blueprint == "api":
        abort(code, message)
    page = render_template("errors/error.html", code=code, title=title, message=message)
    return page, code


def load_user(session_token: str) -> User | None:
    """The active person a session cookie's token belongs to (Flask-Login's user loader)."""
    return db.session.scalar(
        db.select(User).where(User.session_token == session_token, User.active.is_(True))
    )


def register(app: Flask) -> None:
    """Load the signed-in person; install the checks and the headers."""
    login_manager.user_loader(load_user)
    settings = app.config["COACH"]

    @app.before_request
    def refuse_unreadable_input() -> tuple[str, int] | None:
        # Werkzeug decodes the query string only when a view first reads request.args, and
        # raises there on bytes that are not UTF-8; PostgreSQL can neither store nor compare
        # text holding NUL. Nobody types either, so such a request stops here, whole.
        try:
            request.query_string.decode()
        except UnicodeDecodeError:
            return _refuse(400, "Unreadable address", "The address holds bytes that are not text.")
        if "\x00" in request.path or _holds_nul(request.args) or _holds_nul(request.form):
            return _refuse(
                400,
                "Unreadable characters",
                "What you sent holds a NUL character, which no text here can contain. "
                "Nothing was saved: remove it and send again.",
            )
        return None

    @app.before_request
    def refuse_json_to_forms() -> tuple[str, int] | None:
        # Flask-WTF hands a JSON body to a page's form as if it were its fields, with JSON's
        # types (lists, objects, numbers) where the form expects text; browsers filling in
        # these forms never send JSON, so such a request is refused before any form sees it.
        if request.method in _WRITES and request.is_json and request.blueprint != "api":
            return _refuse(
                415, "Not a form", "This page accepts only what its own form sends, not JSON."
            )
        return None

    @app.before_request
    def expire_sessions() -> Response | None:
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        now = time.time()
        started, seen = session.get(_STARTED, 0.0), session.get(_SEEN, 0.0)
        idle = now - seen > settings.idle_minutes * 60
        too_old = now - started > settings.absolute_hours * 3600
        if idle or too_old:
            logout_user()
            session.clear()
            flash(
                "You were signed out after a while without activity. Please sign in again."
                if idle
                else "Sessions last at most a working day. Please sign in again.",
                "info",
            )
            if request.blueprint == "api":
                return None  # the API answers 401 on its own
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        session[_SEEN] = now
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' {CHART_CDN}; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # No page sends its address onwards: links and tokens never leak through Referer.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.endpoint != "static":
            # Every page may carry personal data (a report, a rater's answers): never cached.
            response.headers["Cache-Control"] = "no-store"
        return response
