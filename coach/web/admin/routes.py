"""Administration: the outbox and the audit log (administrators only)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
)
from sqlalchemy import select

from coach.extensions import db
from coach.mail import smtp_configured
from coach.models import OutboxMessage, Role, User
from coach.services import audit
from coach.web.access import roles_required

bp = Blueprint("admin", __name__)


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> str:
    """Administration: the outbox and the audit log."""
    return render_template("admin/index.html")


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
