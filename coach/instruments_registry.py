"""The application's one owner of loaded data: the instruments and their action libraries.

Both are read and validated once at start-up (a bad file stops it) and shared read-only by
every request and command of the app. Services never read the questionnaire folder: the web
layer and the commands pass them what they need from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from coach.coaching.actions import LIBRARY_FILE, ActionLibrary, load_action_library
from coach.instrument import Instrument, load_instruments
from coach.services.hr import summary as hr_summary

_KEY = "coach.instruments"
_LIBRARIES = "coach.action_libraries"


def register(app: Flask) -> None:
    """Load and validate every instrument file and the action library; a bad file stops the
    start-up. Sessions used inside the app are handed the instruments (see ``_offer``)."""
    settings = app.config["COACH"]
    loaded = load_instruments(settings.questionnaires_dir)
    if settings.default_instrument not in loaded:
        raise RuntimeError(
            f"default instrument {settings.default_instrument!r} not found in "
            f"{settings.questionnaires_dir}"
        )
    app.extensions[_KEY] = loaded
    libraries = {i: empty_library(instrument) for i, instrument in loaded.items()}
    path = settings.questionnaires_dir / LIBRARY_FILE
    if path.exists():  # written for the default instrument; invalid: the start-up stops here
        default = loaded[settings.default_instrument]
        libraries[default.id] = load_action_library(path, default)
    app.extensions[_LIBRARIES] = libraries
    if not event.contains(Session, "before_flush", _offer):
        event.listen(Session, "before_flush", _offer)


def loaded(app: Flask) -> bool:
    """True once the app holds at least one instrument."""
    return bool(app.extensions.get(_KEY))


def instruments() -> dict[str, Instrument]:
    """All loaded instruments by id."""
    return current_app.extensions[_KEY]  # type: ignore[no-any-return]


def default_instrument() -> Instrument:
    """The instrument a new self-assessment uses."""
    return instruments()[current_app.config["COACH"].default_instrument]


def action_libraries() -> Mapping[str, ActionLibrary]:
    """Every loaded instrument's action library by instrument id (empty: no actions)."""
    return current_app.extensions[_LIBRARIES]  # type: ignore[no-any-return]


def action_library(instrument_id: str) -> ActionLibrary:
    """The instrument's action library; one without actions when it has none."""
    return action_libraries()[instrument_id]


def empty_library(instrument: Instrument) -> ActionLibrary:
    """A library with no actions, for an instrument the folder has no library for."""
    return ActionLibrary("none", "0", instrument.id, ())


def _offer(session: Session, _context: Any, _instances: Any) -> None:
    """A session flushing inside an app gets that app's instruments: the HR summary needs
    them when a 360 round closes (coach/services/hr/summary.py)."""
    if has_app_context() and loaded(current_app):
        hr_summary.offer_instruments(session, instruments())
