"""Migration 0010 on a database that already holds data: invitations learn whose round they
are about, sent messages lose their link and text, shared plans name their manager.

The test moves the test database down to 0009 and back up to the newest revision, so it
ends where it started.
"""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from coach.extensions import db
from coach.instruments_registry import action_libraries, instruments
from coach.models import DevelopmentPlan, OutboxMessage, User
from coach.services.plans import development_plans as plans

from feedback_helpers import open_round_with, raters
from plan_helpers import set_manager, submit_assessment

BEFORE = "0009_sign_in_throttle"


def test_migration_0010_names_whose_round_forgets_sent_secrets_and_binds_sharing(
    app, make_user, loggers_kept
):
    make_user("maya@example.org", name="Maya Lind")
    make_user("bea@example.org", name="Bea Boss")
    with app.app_context():
        maya = db.session.scalar(select(User).where(User.email == "maya@example.org"))
        open_round_with(maya.email, raters({"peer": 3}))
        set_manager(maya.email, "bea@example.org")
        submit_assessment(maya.email, {"delegation": 2})
        start = plans.plan_start(db.session, maya, instruments(), action_libraries())
        plans.set_sharing(
            db.session, plans.start_plan(db.session, maya, start, ["delegation"]), True
        )
        maya_id, bea_id = maya.id, maya.manager_id
        db.session.remove()
        try:
            downgrade(revision=BEFORE)
            with db.engine.begin() as conn:  # one invitation was delivered before the upgrade
                conn.execute(
                    text(
                        "UPDATE outbox_message SET status = 'delivered' WHERE id = "
                        "(SELECT MIN(id) FROM outbox_message)"
                    )
                )
        finally:
            upgrade()
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [m.about_id for m in messages] == [maya_id] * 3
        assert (messages[0].link, messages[0].body) == (None, "")
        assert all(m.link and "/r/" in m.link for m in messages[1:])  # waiting ones keep it
        plan = db.session.scalar(select(DevelopmentPlan))
        assert plan.shared_with_manager and plan.shared_with_id == bea_id
        db.session.remove()
