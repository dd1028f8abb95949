"""Where to act, and the index histograms, from the dashboard's own figures only."""

from __future__ import annotations

from typing import Any

import pytest

from coach.services.hr.charts import band_histograms
from coach.services.hr.where_to_act import where_to_act

SCALES = [{"id": "vision", "name": "Vision"}, {"id": "planning", "name": "Planning"}]


def _row(unit: str, means: dict[str, float]) -> dict[str, Any]:
    return {
        "id": f"id-{unit}",
        "name": unit,
        "shown": True,
        "n": 6,
        "cells": {k: {"mean": v, "n": 6, "band": "mid"} for k, v in means.items()},
    }


def _view(**others: Any) -> dict[str, Any]:
    self_rows = [
        _row("Ops", {"vision": 4.4, "planning": 3.5}),
        _row("Sales", {"vision": 3.0, "planning": 2.6}),
    ]
    other_rows = [_row("Ops", {"vision": 3.4, "planning": 3.3}), {"id": "id-Sales", "shown": False}]
    return {
        "available": True,
        "unit": {"id": "id-Acme", "name": "Acme"},
        "scales": SCALES,
        "self": {"shown": True, "scales": [], "heatmap": self_rows},
        "others": {"shown": True, "scales": [], "heatmap": other_rows, **others},
    }


def test_the_largest_self_others_gap_names_its_unit_and_scale():
    found = where_to_act(_view())
    assert [(g["unit_id"], g["scale"], g["gap"]) for g in found["gaps"]] == [
        ("id-Ops", "Vision", 1.0)
    ]  # Planning differs by 0.2 only; Sales has no others' figures to compare with


def test_the_lowest_averages_come_from_others_ratings_when_there_are_any():
    found = where_to_act(_view())
    assert [(c["unit"], c["scale"], c["source"]) for c in found["lowest"]] == [
        ("Ops", "Planning", "others"),
        ("Ops", "Vision", "others"),
    ]


def test_low_participation_is_noted_only_below_seventy_percent():
    low = {"participation": {"invited": 20, "responded": 11, "rate": 0.55, "rate_percent": 55}}
    fine = {"participation": {"invited": 20, "responded": 16, "rate": 0.8, "rate_percent": 80}}
    assert where_to_act(_view(**low))["participation"][0]["rate_percent"] == 55
    assert where_to_act(_view(**fine))["participation"] == []


def test_a_unit_with_nothing_below_it_is_its_own_place_to_act():
    view = _view()
    view["self"] = {"shown": True, "heatmap": [], "scales": [{"id": "vision", "mean": 4.0}]}
    view["others"] = {"shown": True, "heatmap": [], "scales": [{"id": "vision", "mean": 3.5}]}
    assert [(g["unit_id"], g["gap"]) for g in where_to_act(view)["gaps"]] == [("id-Acme", 0.5)]


def test_nothing_is_suggested_when_the_figures_are_not_available():
    assert where_to_act({"available": False}) == {"gaps": [], "lowest": [], "participation": []}


def test_a_band_twice_as_wide_is_drawn_twice_as_wide_and_half_as_tall_per_person():
    bands = [
        {"low": 1.0, "high": 3.0, "n": 10},  # wide: 10 people over 2 points
        {"low": 3.0, "high": 4.0, "n": 10},  # narrow: 10 people over 1 point
    ]
    payload = {
        "self": {"indexes": {"leader": {"bands": bands}}},
        "others": {"indexes": {}},
    }
    [histogram] = band_histograms(payload)
    wide, narrow = histogram["bars"]
    assert wide["width"] == pytest.approx(2 * narrow["width"], abs=0.2)
    assert wide["height"] * 2 == pytest.approx(narrow["height"], abs=0.2)
    # area = people: both bands hold 10
    assert wide["width"] * wide["height"] == pytest.approx(
        narrow["width"] * narrow["height"], rel=0.01
    )
