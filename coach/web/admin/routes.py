"""Administration: the outbox and the audit log (administrators only)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    render_template,
    request,
)
from flask_login import current_user

from coach.extensions import db
from coach.mail import smtp_configured
from coach.models import Role
from coach.services.records import audit
from coach.services.records import audit_log as audit_entries
from coach.services.records import outbox as outbox_service
from coach.web.access import roles_required
from coach.web.base_url import base_url_mismatch

bp = Blueprint("admin", __name__)


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> str:
    """Administration: the outbox and the audit log."""
    return render_template("admin/index.html")


@bp.get("/outbox")
@roles_required(Role.ADMIN)
def outbox() -> str:
    """Every queued and sent message, without links: each link is opened on its own page."""
    settings = current_app.config["COACH"]
    messages = outbox_service.messages(db.session)
    return render_template(
        "admin/outbox.html",
        messages=messages,
        smtp=smtp_configured(settings),
        base_url_warning=base_url_mismatch(settings.base_url, request.host_url),
    )


@bp.get("/outbox/<int:message_id>")
@roles_required(Role.ADMIN)
def outbox_message(message_id: int) -> str:
    """One message; with no SMTP server its link is shown to pass on, and the look is audited."""
    smtp = smtp_configured(current_app.config["COACH"])
    opened = outbox_service.open_message(db.session, message_id, current_user, smtp_configured=smtp)
    if opened is None:
        abort(404)
    return render_template("admin/outbox_message.html", opened=opened, smtp=smtp)


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit_log() -> str:
    """The newest security events; the app offers no way to change or delete them."""
    kind = request.args.get("event") or None
    events = audit.recent(db.session, limit=300, event=kind)
    return render_template(
        "admin/audit.html",
        entries=audit_entries.describe(db.session, events),
        kinds=[(k.value, audit_entries.WHAT.get(k, k.value)) for k in audit.Event],
        kind=kind,
    )
