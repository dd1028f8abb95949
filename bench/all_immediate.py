"""For comparison only: the policy coach/db_sqlite.py rejected, every transaction IMMEDIATE.

Served by ``run.py --compare-all-immediate`` in place of ``wsgi:app`` to measure what taking
SQLite's write lock at the start of every transaction (reads included) costs.
"""

from sqlalchemy import event

from coach.extensions import db
from wsgi import app

with app.app_context():
    _engine = db.engine


@event.listens_for(_engine, "begin")
def _begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN IMMEDIATE")
