"""The app reads the instruments and their action library once, at start-up, and services get
them from it: a broken library stops the start-up, a missing one means no actions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach import create_app
from coach.coaching import ActionLibraryError
from coach.extensions import limiter
from coach.instruments_registry import action_library, default_instrument

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture
def start(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A copy of the questionnaire folder, and a function that starts an app on it."""
    saved = dict(limiter.__dict__)  # init_app points the one limiter at the newest app
    folder = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, folder)
    monkeypatch.setenv("COACH_QUESTIONNAIRES", str(folder))
    monkeypatch.setenv("COACH_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    yield folder, lambda: create_app({"TESTING": True})
    limiter.__dict__.update(saved)


def test_a_broken_action_library_stops_the_start_up_and_says_why(start):
    folder, build = start
    path = folder / "actions.yaml"
    path.write_text(path.read_text().replace("\n    steps:", "\n    stepz:", 1))
    with pytest.raises(ActionLibraryError, match="unknown field 'stepz'"):
        build()


def test_without_an_action_library_the_app_starts_and_offers_no_actions(start):
    folder, build = start
    (folder / "actions.yaml").unlink()
    app = build()
    with app.app_context():
        library = action_library(default_instrument().id)
    assert library.instrument_id == "leader-manager" and library.actions == ()


def test_the_action_library_is_read_at_start_up_not_on_each_use(start):
    folder, build = start
    app = build()
    (folder / "actions.yaml").unlink()  # gone after start-up: what was loaded still serves
    with app.app_context():
        instrument = default_instrument()
        library = action_library(instrument.id)
    assert all(library.for_scale(scale.id) for scale in instrument.scales)
