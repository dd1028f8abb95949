"""Imported 360 rounds keep the configured anonymity floor, like rounds opened in the app."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackRound
from coach.services.accounts import accounts

from hr_builders import upload_responses


@pytest.fixture
def floor_of_four(app: Flask) -> Iterator[None]:
    """The settings as COACH_MIN_GROUP_N=4 gives them, for this test only."""
    settings = app.config["COACH"]
    app.config["COACH"] = dataclasses.replace(settings, min_group_n=4)
    yield
    app.config["COACH"] = settings


def _responses(app: Flask) -> bytes:
    """Four peer ratings of Omar (who exists in the directory)."""
    with app.app_context():
        accounts.create_user(
            db.session, accounts.NewAccount("omar@example.org", "Omar", accounts.Role.MANAGER)
        )
        items = [i.id for i in default_instrument().items]
    lines = ["email,rater_group," + ",".join(items)]
    lines += ["omar@example.org,peer," + ",".join("4" for _ in items)] * 4
    return ("\n".join(lines) + "\n").encode()


def _floors(app: Flask) -> list[int | None]:
    with app.app_context():
        return list(db.session.scalars(select(FeedbackRound.min_group_n)))


def test_the_import_command_gives_imported_rounds_the_configured_floor(
    app, floor_of_four, tmp_path
):
    path = tmp_path / "responses.csv"
    path.write_bytes(_responses(app))
    result = app.test_cli_runner().invoke(args=["import-responses", "leader-manager", str(path)])
    assert result.exit_code == 0, result.output
    assert _floors(app) == [4]


def test_an_hr_upload_gives_imported_rounds_the_configured_floor(
    app, floor_of_four, auth, make_user
):
    upload = _responses(app)
    done = upload_responses(auth, make_user, upload)
    assert "Import done" in done.text
    assert _floors(app) == [4]


def test_without_a_configured_floor_imported_rounds_keep_the_minimum_of_three(app, tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(_responses(app))
    result = app.test_cli_runner().invoke(args=["import-responses", "leader-manager", str(path)])
    assert result.exit_code == 0, result.output
    assert _floors(app) == [3]
