"""Reliable change between cycles (coach.coaching.change), at and just past the threshold.

Pure tests: no app, no database. With SD 1 and reliability 0.5 the SEM is sqrt(0.5), so
sqrt(2) * SEM is 1 and the RCI equals the change itself: the threshold is a change of 1.96.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.coaching import (
    DEFAULT_RELIABILITY,
    DEFAULT_SD,
    RCI_CRITICAL,
    ChangeKind,
    default_sd,
    reliable_change,
    standard_error_of_measurement,
)

UNIT = {"sd": 1.0, "reliability": 0.5}  # sqrt(2) * SEM == 1, so RCI == delta


def test_sem_is_sd_times_root_of_one_minus_reliability() -> None:
    assert standard_error_of_measurement(0.7, 0.75) == pytest.approx(0.35)
    assert standard_error_of_measurement(1.0, 0.0) == 1.0


def test_rci_is_the_change_over_root_two_sem() -> None:
    change = reliable_change(3.0, 3.8, sd=0.7, reliability=0.75)
    assert change.delta == pytest.approx(0.8)
    assert change.sem == pytest.approx(0.35)
    assert change.rci == pytest.approx(0.8 / (math.sqrt(2) * 0.35))


def test_change_exactly_at_the_threshold_is_not_reliable() -> None:
    change = reliable_change(1.0, 1.0 + RCI_CRITICAL, **UNIT)
    assert change.rci == pytest.approx(1.96)
    assert change.kind is ChangeKind.NO_RELIABLE_CHANGE


def test_change_just_past_the_threshold_is_an_improvement() -> None:
    change = reliable_change(1.0, 1.0 + 1.961, **UNIT)
    assert change.kind is ChangeKind.IMPROVED


def test_drop_exactly_at_the_threshold_is_not_reliable() -> None:
    assert reliable_change(3.0, 3.0 - RCI_CRITICAL, **UNIT).kind is ChangeKind.NO_RELIABLE_CHANGE


def test_drop_just_past_the_threshold_is_a_decline() -> None:
    assert reliable_change(3.0, 3.0 - 1.961, **UNIT).kind is ChangeKind.DECLINED


def test_band_is_the_smallest_change_that_counts() -> None:
    change = reliable_change(3.0, 3.0)
    assert change.band == pytest.approx(1.96 * math.sqrt(2) * DEFAULT_SD * math.sqrt(0.25))
    assert change.band == pytest.approx(0.970, abs=5e-4)
    assert reliable_change(3.0, 3.0 + change.band).kind is ChangeKind.NO_RELIABLE_CHANGE
    assert reliable_change(3.0, 3.0 + change.band + 1e-6).kind is ChangeKind.IMPROVED
    assert reliable_change(3.0, 3.0 - change.band - 1e-6).kind is ChangeKind.DECLINED


def test_defaults_are_the_documented_conservative_placeholders() -> None:
    assert (DEFAULT_SD, DEFAULT_RELIABILITY) == (0.7, 0.75)
    change = reliable_change(3.0, 3.5)
    assert change.sem == pytest.approx(0.35)


def test_default_sd_scales_with_the_response_range() -> None:
    assert default_sd() == pytest.approx(0.7)
    assert default_sd(1, 7) == pytest.approx(1.05)
    assert default_sd(0, 6) == pytest.approx(1.05)
    with pytest.raises(ValueError, match="above"):
        default_sd(5, 5)


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.7), (-1, 0.7), (0.7, 1.0), (0.7, -0.1)])
def test_impossible_sd_or_reliability_is_rejected(sd: float, reliability: float) -> None:
    with pytest.raises(ValueError):
        reliable_change(3.0, 4.0, sd=sd, reliability=reliability)


def test_explanation_says_no_reliable_change_with_the_band() -> None:
    assert reliable_change(3.0, 3.3).explanation == (
        "No reliable change: 0.3 points is within the ±0.97 that measurement error alone "
        "can produce"
    )
    assert reliable_change(2.5, 3.7).explanation.startswith("Improved by 1.2 points, beyond")
    assert reliable_change(3.7, 2.5).explanation.startswith("Declined by 1.2 points, beyond")


@given(st.floats(1, 5), st.floats(1, 5))
def test_swapping_the_cycles_mirrors_the_result(before: float, after: float) -> None:
    forward, backward = reliable_change(before, after), reliable_change(after, before)
    mirror = {
        ChangeKind.IMPROVED: ChangeKind.DECLINED,
        ChangeKind.DECLINED: ChangeKind.IMPROVED,
        ChangeKind.NO_RELIABLE_CHANGE: ChangeKind.NO_RELIABLE_CHANGE,
    }
    assert backward.kind is mirror[forward.kind]
    assert backward.band == forward.band
