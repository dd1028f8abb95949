"""Activation and password-reset links: the token leaves the URL before any page is shown."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user
from werkzeug.wrappers import Response

from coach.extensions import db, limiter
from coach.models import TokenPurpose
from coach.security import start_session
from coach.services.accounts import account_links
from coach.services.accounts.accounts import AccountError
from coach.web.auth.forms import ForgotPasswordForm, SetPasswordForm
from coach.web.auth.routes import bp
from coach.web.link_guessing import secret_link_limit

_SESSION_KEY = "account_link"
_PAGES = {
    TokenPurpose.ACTIVATION: ("auth.activate", "Choose your password", "Your account is active."),
    TokenPurpose.RESET: ("auth.reset_password", "Choose a new password", "Your password is reset."),
}
RESET_SENT = (
    "If an active account uses that address, a reset link is on its way. "
    "It works once, for one hour. Check your spam folder if it does not arrive."
)


def _remember(purpose: TokenPurpose, token: str) -> Response:
    """Move the token from the URL into the session, then drop it from the address bar."""
    session[_SESSION_KEY] = {"purpose": purpose.value, "token": token}
    return redirect(url_for(_PAGES[purpose][0]))


def _set_password(purpose: TokenPurpose) -> str | Response | tuple[str, int]:
    _, title, done = _PAGES[purpose]
    held = session.get(_SESSION_KEY) or {}
    token = held.get("token", "") if held.get("purpose") == purpose.value else ""
    try:
        link = account_links.check_link(db.session, token, purpose)
    except AccountError as exc:
        return render_template("auth/link_error.html", message=str(exc), purpose=purpose), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = account_links.use_link(db.session, token, purpose, form.new.data or "")
        except AccountError as exc:
            form.new.errors = [*form.new.errors, str(exc)]
        else:
            session.clear()
            login_user(user)
            start_session()
            flash(f"{done} Every other session of yours was signed out.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/set_password.html", form=form, title=title, person=link.user)


@bp.get("/activate/<token>")
@secret_link_limit
def activate_link(token: str) -> Response:
    """Entry point of an activation e-mail."""
    return _remember(TokenPurpose.ACTIVATION, token)


@bp.route("/activate", methods=["GET", "POST"])
@secret_link_limit
def activate() -> str | Response | tuple[str, int]:
    """Choose a first password."""
    return _set_password(TokenPurpose.ACTIVATION)


@bp.get("/reset-password/<token>")
@secret_link_limit
def reset_link(token: str) -> Response:
    """Entry point of a reset e-mail."""
    return _remember(TokenPurpose.RESET, token)


@bp.route("/reset-password", methods=["GET", "POST"])
@secret_link_limit
def reset_password() -> str | Response | tuple[str, int]:
    """Choose a new password."""
    return _set_password(TokenPurpose.RESET)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
def forgot_password() -> str | Response:
    """Ask for a reset link; the answer is the same whether or not the address exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        settings = current_app.config["COACH"]
        account_links.request_reset(
            db.session, form.email.data or "", settings.base_url, request.remote_addr or ""
        )
        flash(RESET_SENT, "info")
        return redirect(url_for("auth.forgot_password"))
    return render_template("auth/forgot_password.html", form=form)
