"""What the database holds after a load or fault test, and whether it is whole.

"Nothing half-written" is checked the same way on both databases: every response has all
its answers and all its scale scores, each round has exactly as many responses as used
invitations, no used invitation keeps a draft, and nothing points at a missing parent.
On top of that the engine's own check runs:

* SQLite: ``PRAGMA integrity_check`` (pages, b-trees, index entries against rows) and
  ``PRAGMA foreign_key_check``.
* PostgreSQL has no whole-database check. Its WAL makes a committed transaction durable
  and an uncommitted one invisible, so the questions are about the app's own writes (the
  queries above) and about storage: ``amcheck``'s ``bt_index_check(..., heapallindexed)``
  verifies every B-tree index of the app's tables and that each heap row is in it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import (
    FeedbackComment,
    FeedbackResponse,
    Invitation,
    InvitationState,
    RaterDraft,
)
from reliability.raters import fingerprint

CONSISTENCY = {
    "responses missing answers": "SELECT count(*) FROM feedback_response r WHERE "
    "(SELECT count(*) FROM response_answer a WHERE a.response_id = r.id) <> :items",
    "responses missing scale scores": "SELECT count(*) FROM feedback_response r WHERE "
    "(SELECT count(*) FROM response_scale_score s WHERE s.response_id = r.id) <> :scales",
    "rounds whose used invitations and responses differ": "SELECT count(*) FROM feedback_round f "
    "WHERE (SELECT count(*) FROM invitation i WHERE i.round_id = f.id AND i.state = 'used') "
    "<> (SELECT count(*) FROM feedback_response r WHERE r.round_id = f.id)",
    "drafts of used invitations": "SELECT count(*) FROM rater_draft d JOIN invitation i "
    "ON i.id = d.invitation_id WHERE i.state = 'used'",
    "answers without a response": "SELECT count(*) FROM response_answer a WHERE NOT EXISTS "
    "(SELECT 1 FROM feedback_response r WHERE r.id = a.response_id)",
    "scale scores without a response": "SELECT count(*) FROM response_scale_score s WHERE "
    "NOT EXISTS (SELECT 1 FROM feedback_response r WHERE r.id = s.response_id)",
}


@dataclass(frozen=True)
class Stored:
    """Submissions as the database holds them."""

    responses: int
    used_invitations: int
    fingerprints: Counter[int]
    comments: Counter[str]


def stored(app: Flask) -> Stored:
    """Count responses and used invitations; read each response's fingerprint and comments."""
    with app.app_context():
        instrument = default_instrument()
        pages = [[item.id for item in instrument.items_on(p)] for p in instrument.pages]
        responses = db.session.scalars(
            select(FeedbackResponse).options(selectinload(FeedbackResponse.answers))
        ).all()
        prints = Counter(
            fingerprint({a.item_id: a.value for a in r.answers}, pages) for r in responses
        )
        comments = Counter(db.session.scalars(select(FeedbackComment.text)).all())
        used = db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.state == InvitationState.USED.value)
        )
        db.session.remove()
    return Stored(len(responses), int(used or 0), prints, comments)


def problems(app: Flask) -> list[str]:
    """Everything found wrong: half-written submissions, orphans, engine-level damage."""
    with app.app_context():
        instrument = default_instrument()
        found = []
        with db.engine.connect() as conn:
            for what, sql in CONSISTENCY.items():
                count = conn.execute(
                    text(sql), {"items": len(instrument.items), "scales": len(instrument.scales)}
                ).scalar_one()
                if count:
                    found.append(f"{count} {what}")
            if conn.dialect.name == "sqlite":
                found += _sqlite_damage(conn)
            else:
                found += _postgres_damage(conn)
    return found


def _sqlite_damage(conn) -> list[str]:  # type: ignore[no-untyped-def]
    integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    keys = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
    found = [] if integrity == ["ok"] else [f"integrity_check: {integrity}"]
    return found + ([f"foreign_key_check: {keys}"] if keys else [])


def _postgres_damage(conn) -> list[str]:  # type: ignore[no-untyped-def]
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
    indexes = conn.exec_driver_sql(
        "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "JOIN pg_am am ON am.oid = c.relam WHERE n.nspname = 'public' AND am.amname = 'btree'"
    ).all()
    for oid, _name in indexes:
        conn.exec_driver_sql(f"SELECT bt_index_check({int(oid)}, true)")  # raises on damage
    conn.commit()
    return [] if indexes else ["no B-tree index found to check"]


def draft_answers(app: Flask, invitation_public_id: str) -> dict[str, int | None]:
    """The saved draft of one invitation ({} when there is none)."""
    with app.app_context():
        draft = db.session.scalar(
            select(RaterDraft).join(Invitation).where(Invitation.public_id == invitation_public_id)
        )
        answers = json.loads(draft.answers_json) if draft else {}
        db.session.remove()
    return answers
