"""A rate-limit store in the application's own database, shared by every worker.

Flask-Limiter keeps its counters here when no Redis is configured (COACH_REDIS_URL), so
limits count attempts across all gunicorn workers, never per process. Fixed windows only:
one upsert per hit, atomic on SQLite and PostgreSQL alike. Counters whose window ended are
deleted at most once a minute per worker, so the table holds only live windows.
"""

from __future__ import annotations

import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

SCHEME = "coachdb"
PURGE_EVERY = 60.0  # seconds between two sweeps of ended windows, per storage instance

_INCREMENT = text(
    "INSERT INTO rate_limit_counter (key, count, expires_at) VALUES (:key, :amount, :expires) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN rate_limit_counter.expires_at <= :now THEN :amount "
    "ELSE rate_limit_counter.count + :amount END, "
    "expires_at = CASE WHEN rate_limit_counter.expires_at <= :now THEN :expires "
    "ELSE rate_limit_counter.expires_at END "
    "RETURNING count"
)


class DatabaseStorage(Storage):
    """limits storage over the rate_limit_counter table."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (the limits registry reads this class attribute)

    def __init__(
        self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self._engine = create_engine(str(options["database_url"]), pool_pre_ping=True)
        self.next_purge = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        """Errors that mean the store is unavailable."""
        return SQLAlchemyError

    def purge_expired(self) -> int:
        """Delete every counter whose window has ended; the number deleted."""
        self.next_purge = time.time() + PURGE_EVERY
        with self._engine.begin() as conn:
            result = conn.execute(
                text("DELETE FROM rate_limit_counter WHERE expires_at <= :now"),
                {"now": time.time()},
            )
        return int(result.rowcount or 0)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Count a hit in the current window, starting a new window when the old one ended."""
        now = time.time()
        if now >= self.next_purge:
            self.purge_expired()  # its own short transaction, before this hit's upsert
        with self._engine.begin() as conn:
            count = conn.execute(
                _INCREMENT, {"key": key, "amount": amount, "expires": now + expiry, "now": now}
            ).scalar_one()
        return int(count)

    def get(self, key: str) -> int:
        """Hits in the current window."""
        with self._engine.connect() as conn:
            row = conn.execute(
                text("SELECT count FROM rate_limit_counter WHERE key = :key AND expires_at > :now"),
                {"key": key, "now": time.time()},
            ).first()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """When the current window ends (now, when there is none)."""
        with self._engine.connect() as conn:
            row = conn.execute(
                text("SELECT expires_at FROM rate_limit_counter WHERE key = :key"), {"key": key}
            ).first()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        """True when the database answers."""
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        with self._engine.begin() as conn:
            return conn.execute(text("DELETE FROM rate_limit_counter")).rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with self._engine.begin() as conn:
            conn.execute(text("DELETE FROM rate_limit_counter WHERE key = :key"), {"key": key})
