"""The application's one cache of protected HR tables (``hr_protection.ProtectionCache``).

Each worker process keeps its own; entries are keyed by the summary version, so they are
never stale, only recomputed after a change.
"""

from __future__ import annotations

from flask import Flask, current_app

from coach.services.hr.protection import ProtectionCache

_KEY = "coach.hr_protection"


def register(app: Flask) -> None:
    """Give the application its cache."""
    app.extensions[_KEY] = ProtectionCache()


def protection_cache() -> ProtectionCache:
    """The current application's cache."""
    return current_app.extensions[_KEY]  # type: ignore[no-any-return]
