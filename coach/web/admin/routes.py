"""Account administration for HR and administrators."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from coach.extensions import db
from coach.mail import smtp_configured
from coach.models import OutboxMessage, Role, User
from coach.services import accounts, audit
from coach.web.access import roles_required
from coach.web.admin.forms import NewPersonForm

bp = Blueprint("admin", __name__)


@bp.route("/people", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def people() -> str | Response:
    """List accounts and create new ones."""
    form = NewPersonForm()
    if not current_user.has_role(Role.ADMIN):
        # Only administrators hand out the administrator role.
        form.role.choices = [c for c in form.role.choices if c.value != Role.ADMIN.value]
    if form.validate_on_submit():
        role = Role(form.role.data)
        if role is Role.ADMIN and not current_user.has_role(Role.ADMIN):
            abort(403)
        try:
            user = accounts.create_user(
                db.session,
                accounts.NewAccount(
                    email=form.email.data or "",
                    name=form.name.data or "",
                    role=role,
                    password=form.password.data or None,
                ),
            )
        except accounts.AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            flash(f"Account created for {user.name}.", "success")
            return redirect(url_for(".people"))
    everyone = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("admin/people.html", form=form, people=everyone)


@bp.get("/outbox")
@roles_required(Role.ADMIN)
def outbox() -> str:
    """Every queued and sent message with its link: with no SMTP server, links are sent by hand."""
    settings = current_app.config["COACH"]
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(500)
    ).all()
    return render_template("admin/outbox.html", messages=messages, smtp=smtp_configured(settings))


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit_log() -> str:
    """The newest security events; the app offers no way to change or delete them."""
    kind = request.args.get("event") or None
    events = audit.recent(db.session, limit=300, event=kind)
    actors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id}))
        )
    }
    return render_template(
        "admin/audit.html", events=events, actors=actors, kinds=list(audit.Event), kind=kind
    )
