"""The instruments loaded at start-up, shared read-only by every request."""

from __future__ import annotations

from flask import Flask, current_app

from coach.coaching.actions import LIBRARY_FILE, load_action_library
from coach.instrument import Instrument, load_instruments

_KEY = "coach.instruments"


def register_instruments(app: Flask) -> None:
    """Load and validate every instrument file; a bad file stops the start-up."""
    settings = app.config["COACH"]
    instruments = load_instruments(settings.questionnaires_dir)
    if settings.default_instrument not in instruments:
        raise RuntimeError(
            f"default instrument {settings.default_instrument!r} not found in "
            f"{settings.questionnaires_dir}"
        )
    app.extensions[_KEY] = instruments
    library = settings.questionnaires_dir / LIBRARY_FILE
    if library.exists():  # a broken action library stops the start-up too, not a later page
        load_action_library(library, instruments[settings.default_instrument])


def instruments() -> dict[str, Instrument]:
    """All loaded instruments by id."""
    return current_app.extensions[_KEY]  # type: ignore[no-any-return]


def default_instrument() -> Instrument:
    """The instrument a new self-assessment uses."""
    return instruments()[current_app.config["COACH"].default_instrument]
