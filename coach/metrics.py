"""Operator metrics in the Prometheus text format, at ``/metrics`` behind COACH_METRICS_TOKEN.

Counters and histograms live in each process. With several gunicorn workers, set
PROMETHEUS_MULTIPROC_DIR to an empty folder before the server starts (``make serve`` does):
every worker then writes its values there and a scrape, whichever worker answers it, adds
them all up. The outbox figures are read from the database at scrape time, so they are the
same from every worker. Labels hold route names, methods and status codes only: never a
path, an address, a name or anything about a unit.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event, func, inspect, select
from sqlalchemy.engine import Result
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.dml import Update

from coach import mail
from coach.extensions import db
from coach.models import (
    Assessment,
    AssessmentStatus,
    AuditEvent,
    FeedbackResponse,
    MessageStatus,
    OutboxMessage,
)
from coach.services.records.audit import Event

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_PENDING = "coach.metrics_pending"
_STARTED = "coach_metrics_started"

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "coach_http_requests",
    "Requests answered, by route name (never the path), method and status code.",
    ["endpoint", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "coach_http_request_duration_seconds",
    "Time from the request reaching the app to its response, by route name.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
SUBMISSIONS = Counter(
    "coach_submissions",
    "Questionnaires submitted and committed: rater (360 feedback) or self (self-assessment).",
    ["kind"],
    registry=REGISTRY,
)
FAILED_SIGN_INS = Counter(
    "coach_failed_sign_ins", "Sign-in attempts refused and recorded.", registry=REGISTRY
)
MAIL_HEARTBEAT = Gauge(
    "coach_mail_sender_heartbeat_timestamp_seconds",
    "When a background mail sender last finished a delivery pass (Unix time, newest worker).",
    multiprocess_mode="max",
    registry=REGISTRY,
)

bp = Blueprint("metrics", __name__)
_RESPONSES = FeedbackResponse.__tablename__
_ASSESSMENTS = Assessment.__tablename__


def mail_heartbeat(_sender: object = None) -> None:
    """Record that the background mail sender finished a pass just now."""
    MAIL_HEARTBEAT.set(time.time())


def _endpoint() -> str:
    return request.endpoint or "unmatched"


def _start_timer() -> None:
    g.setdefault(_STARTED, time.perf_counter())


def _observe(response: Response) -> Response:
    started = g.get(_STARTED)
    endpoint = _endpoint()
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


def _count_flushed(session: Session, flush_context: Any) -> None:
    """Note what this flush wrote; counted only when the transaction commits."""
    pending: dict[str, int] = session.info.setdefault(_PENDING, {})
    for item in session.new:
        if isinstance(item, FeedbackResponse):
            pending["rater"] = pending.get("rater", 0) + 1
        elif isinstance(item, AuditEvent) and item.event == Event.SIGN_IN_FAILED:
            pending["sign_in_failed"] = pending.get("sign_in_failed", 0) + 1
    for item in session.dirty:
        if isinstance(item, Assessment):
            added: list[object] = list(inspect(item).attrs.status.history.added or ())
            if AssessmentStatus.SUBMITTED.value in added:
                pending["self"] = pending.get("self", 0) + 1


def _count_statements(state: ORMExecuteState) -> Result[Any] | None:
    """Submissions written as plain statements: response INSERTs, the assessment lock UPDATE."""
    statement = state.statement
    table = getattr(getattr(statement, "table", None), "name", None)  # ORM tables are copies
    pending: dict[str, int] = state.session.info.setdefault(_PENDING, {})
    if state.is_insert and table == _RESPONSES:
        rows = len(state.parameters) if isinstance(state.parameters, list) else 1
        pending["rater"] = pending.get("rater", 0) + rows
    elif state.is_update and table == _ASSESSMENTS and isinstance(statement, Update):
        values = statement.compile().params
        if values.get("status") == AssessmentStatus.SUBMITTED.value:
            result = state.invoke_statement()
            locked = int(getattr(result, "rowcount", 0) or 0)
            pending["self"] = pending.get("self", 0) + locked
            return result
    return None


def _count_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    for kind in ("rater", "self"):
        if pending.get(kind):
            SUBMISSIONS.labels(kind).inc(pending[kind])
    if pending.get("sign_in_failed"):
        FAILED_SIGN_INS.inc(pending["sign_in_failed"])


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _listen() -> None:
    """Count submissions and failed sign-ins in every session (once per process)."""
    if event.contains(Session, "after_flush", _count_flushed):
        return
    event.listen(Session, "after_flush", _count_flushed)
    event.listen(Session, "do_orm_execute", _count_statements, retval=True)
    event.listen(Session, "after_commit", _count_committed)
    event.listen(Session, "after_rollback", _forget)


class _OutboxCollector(Collector):
    """The outbox's size and its oldest waiting message, read once per scrape."""

    def __init__(self, by_status: dict[str, int] | None, oldest_age: float = 0.0) -> None:
        self.by_status = by_status
        self.oldest_age = oldest_age

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the outbox gauges, or only the database flag when it could not be read."""
        yield GaugeMetricFamily(
            "coach_database_readable",
            "1 when this scrape could read the outbox from the database, else 0.",
            value=0 if self.by_status is None else 1,
        )
        if self.by_status is None:
            return
        depth = GaugeMetricFamily(
            "coach_outbox_messages", "Messages in the outbox by status.", labels=["status"]
        )
        for status in (MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.FAILED):
            depth.add_metric([status.value], self.by_status.get(status.value, 0))
        yield depth
        yield GaugeMetricFamily(
            "coach_outbox_oldest_pending_age_seconds",
            "Age of the oldest message still waiting for delivery (0 when none waits).",
            value=self.oldest_age,
        )


def outbox_collector() -> _OutboxCollector:
    """Read the outbox figures from the database now (or note that it cannot be read)."""
    try:
        rows = db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        by_status = {status: count for status, count in rows}
        oldest = db.session.scalar(
            select(func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status.in_([MessageStatus.PENDING.value, MessageStatus.SENDING.value])
            )
        )
    except SQLAlchemyError:
        db.session.rollback()
        return _OutboxCollector(None)
    db.session.rollback()  # read-only: end the transaction
    age = 0.0
    if oldest is not None:
        if oldest.tzinfo is None:  # SQLite hands back naive UTC
            oldest = oldest.replace(tzinfo=UTC)
        age = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
    return _OutboxCollector(by_status, age)


def exposition() -> bytes:
    """Every metric, summed over the workers in multiprocess mode, plus the outbox gauges."""
    if os.environ.get(MULTIPROCESS_ENV):
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
        counters = generate_latest(merged)
    else:
        counters = generate_latest(REGISTRY)
    scraped = CollectorRegistry()
    scraped.register(outbox_collector())
    return counters + generate_latest(scraped)


def _authorised(expected: str) -> bool:
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


@bp.get("/metrics")
def metrics() -> Response:
    """The metrics page; a 404 unless the operator's bearer token is sent."""
    if not _authorised(current_app.config.get("COACH_METRICS_TOKEN", "")):
        abort(404)
    response = Response(exposition(), mimetype=CONTENT_TYPE_LATEST.split(";")[0])
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Time every request, count submissions, note each mail pass and mount /metrics (token
    from COACH_METRICS_TOKEN)."""
    app.config.setdefault("COACH_METRICS_TOKEN", app.config["COACH"].metrics_token)
    app.before_request(_start_timer)
    app.after_request(_observe)
    _listen()
    mail.pass_finished.connect(mail_heartbeat)  # blinker ignores a second connect
    app.register_blueprint(bp)
