"""Unlocking an account that wrong passwords made wait (administrators only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, SubmitField
from wtforms.validators import DataRequired, Length

from coach.extensions import db
from coach.models import Role
from coach.services.accounts import accounts
from coach.web.access import roles_required
from coach.web.admin.routes import bp


class UnlockAccountForm(FlaskForm):
    """The address of an account that wrong passwords made wait."""

    email = EmailField("E-mail of the account", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Unlock")


@bp.route("/unlock", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def unlock_account() -> str | Response | tuple[str, int]:
    """Let an account be tried again at once from every network; audited."""
    form = UnlockAccountForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        try:
            accounts.unlock_account(db.session, current_user._get_current_object(), email)
        except accounts.AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            flash(f"{accounts.normalise_email(email)} can sign in again at once.", "success")
            return redirect(url_for("admin.unlock_account"))
    page = render_template("admin/unlock.html", form=form)
    return (page, 400) if request.method == "POST" else page
