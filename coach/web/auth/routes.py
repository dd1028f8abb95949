"""Signing in and out, and changing one's password."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from coach.extensions import db, limiter
from coach.instruments_registry import instruments
from coach.security import start_session
from coach.services.accounts import accounts
from coach.services.people import personal_data
from coach.web.auth.forms import ChangePasswordForm, SignInForm
from coach.web.auth.next_page import safe_next

bp = Blueprint("auth", __name__)

GENERIC_FAILURE = "That e-mail and password do not match an active account."


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute; 100 per hour", methods=["POST"])
def sign_in() -> str | Response | tuple[str, int]:
    """Show the sign-in form and sign people in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        outcome = accounts.authenticate(
            db.session, form.email.data or "", form.password.data or "", request.remote_addr or ""
        )
        if outcome.user is not None:
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(outcome.user)
            start_session()
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
        if outcome.wait is not None:
            flash(accounts.wait_message(outcome.wait), "error")
            return render_template("auth/sign_in.html", form=form), 429
        flash(GENERIC_FAILURE, "error")
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out() -> Response:
    """End this session and every other one of this person."""
    accounts.sign_out_everywhere(
        db.session, current_user._get_current_object(), request.remote_addr or ""
    )
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change one's password; every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                db.session,
                user,
                form.current.data or "",
                form.new.data or "",
                request.remote_addr or "",
            )
        except accounts.AccountError as exc:
            form.current.errors = [*form.current.errors, str(exc)]
        else:
            login_user(user)  # re-issue this session with the new token
            start_session()
            flash("Your password is changed. Other sessions were signed out.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.get("/account/data")
@login_required
def my_data() -> str:
    """What the product holds about me: download it, or ask for it to be erased."""
    return render_template("auth/my_data.html")


@bp.get("/account/data.json")
@login_required
def my_data_download() -> Response:
    """Everything about me as JSON (never anything identifying a rater)."""
    person = current_user._get_current_object()
    body = personal_data.download(db.session, person, instruments())
    response = jsonify(body)
    response.headers["Content-Disposition"] = 'attachment; filename="my-coach-data.json"'
    return response


@bp.post("/account/erasure")
@login_required
def request_erasure() -> Response:
    """Ask the administrators to erase my personal data."""
    personal_data.request_erasure(db.session, current_user._get_current_object())
    flash(
        "Your request is recorded and the administrators are told. They will confirm by "
        "e-mail once your data is erased.",
        "success",
    )
    return redirect(url_for(".my_data"))
