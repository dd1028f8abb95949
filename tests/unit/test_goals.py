"""Goal progress and the on-track rule (coach.coaching.goals), boundary dates exactly.

Pure tests: no app, no database. The standard goal runs 10 days, from 1 March (start) to
11 March 2024 (due), from a baseline of 0 to a target of 10, so on day k the expected
progress is k / 10 and a check-in value v is progress v / 10.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.coaching import (
    AT_RISK_TOLERANCE,
    ON_TRACK_TOLERANCE,
    PROGRESS_CAP,
    Direction,
    GoalState,
    expected_progress,
    goal_status,
    progress,
)

START = date(2024, 3, 1)
DUE = date(2024, 3, 11)


def day(k: int) -> date:
    """The k-th day after the start (day 0 is the start day, day 10 the due day)."""
    return START + timedelta(days=k)


def state_on(k: int, value: float | None, *, done: bool = False) -> GoalState:
    """The state of the standard goal on day k with one check-in of ``value`` that day."""
    checkins = [] if value is None else [(day(k), value)]
    return goal_status(0.0, 10.0, DUE, START, checkins, day(k), done).state


# --- progress ----------------------------------------------------------------------------


def test_progress_is_the_share_of_the_distance_from_baseline_to_target() -> None:
    assert progress(0, 10, 4) == pytest.approx(0.4)
    assert progress(2, 4, 3) == pytest.approx(0.5)


def test_progress_works_for_a_decreasing_goal() -> None:
    assert progress(20, 10, 16) == pytest.approx(0.4)
    assert progress(20, 10, 10) == 1.0


def test_progress_is_capped_at_the_target() -> None:
    assert PROGRESS_CAP == 1.0
    assert progress(0, 10, 15) == 1.0
    assert progress(20, 10, 5) == 1.0


def test_progress_below_the_baseline_is_kept_negative() -> None:
    assert progress(0, 10, -2) == pytest.approx(-0.2)
    assert progress(20, 10, 25) == pytest.approx(-0.5)


def test_target_equal_to_baseline_counts_as_reached_only_at_the_target() -> None:
    assert progress(5, 5, 5) == 1.0
    assert progress(5, 5, 6) == 0.0
    assert progress(5, 5, 4) == 0.0


def test_target_equal_to_baseline_with_a_direction_counts_the_good_side_as_reached() -> None:
    assert progress(5, 5, 6, direction=Direction.INCREASE) == 1.0
    assert progress(5, 5, 4, direction=Direction.INCREASE) == 0.0
    assert progress(5, 5, 4, direction=Direction.DECREASE) == 1.0
    assert progress(5, 5, 6, direction=Direction.DECREASE) == 0.0


@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_progress_never_exceeds_the_cap(baseline: float, target: float, current: float) -> None:
    assert progress(baseline, target, current) <= PROGRESS_CAP


# --- expected progress ---------------------------------------------------------------------


def test_expected_progress_is_zero_on_the_start_day_and_one_on_the_due_day() -> None:
    assert expected_progress(START, DUE, day(0)) == 0.0
    assert expected_progress(START, DUE, day(9)) == pytest.approx(0.9)  # day before due
    assert expected_progress(START, DUE, DUE) == 1.0
    assert expected_progress(START, DUE, day(11)) == 1.0  # day after due
    assert expected_progress(START, DUE, day(-1)) == 0.0  # day before start


def test_due_date_before_start_is_rejected() -> None:
    with pytest.raises(ValueError, match="before start"):
        expected_progress(DUE, START, DUE)


def test_one_day_goal_is_fully_expected_on_its_only_day() -> None:
    assert expected_progress(START, START, START) == 1.0


# --- the rule, at its boundaries --------------------------------------------------------------


def test_tolerances_are_ten_and_twenty_five_points() -> None:
    assert (ON_TRACK_TOLERANCE, AT_RISK_TOLERANCE) == (0.10, 0.25)


def test_on_the_start_day_without_a_check_in_the_goal_is_not_started() -> None:
    status = goal_status(0, 10, DUE, START, [], day(0))
    assert status.state is GoalState.NOT_STARTED
    assert status.progress is None
    assert status.explanation == "No check-in yet, 0% of the time gone"


def test_before_the_start_day_the_goal_is_not_started() -> None:
    status = goal_status(0, 10, DUE, START, [(day(-2), 3.0)], day(-1))
    assert status.state is GoalState.NOT_STARTED
    assert status.explanation == "Starts on 2024-03-01"


def test_on_the_start_day_any_progress_is_on_track() -> None:
    assert state_on(0, 0.0) is GoalState.ON_TRACK


def test_exactly_at_the_on_track_tolerance_is_on_track() -> None:
    # Day 5: expected 0.5; 0.4 is exactly 0.10 behind.
    assert state_on(5, 4.0) is GoalState.ON_TRACK
    assert state_on(5, 3.99) is GoalState.AT_RISK


def test_exactly_at_the_at_risk_tolerance_is_at_risk() -> None:
    # Day 5: expected 0.5; 0.25 is exactly 0.25 behind.
    assert state_on(5, 2.5) is GoalState.AT_RISK
    assert state_on(5, 2.49) is GoalState.OFF_TRACK


def test_day_before_due_uses_nine_tenths_expected() -> None:
    assert state_on(9, 8.0) is GoalState.ON_TRACK
    assert state_on(9, 7.99) is GoalState.AT_RISK
    assert state_on(9, 6.5) is GoalState.AT_RISK
    assert state_on(9, 6.49) is GoalState.OFF_TRACK


def test_on_the_due_day_the_whole_target_is_expected() -> None:
    assert state_on(10, 9.0) is GoalState.ON_TRACK
    assert state_on(10, 8.99) is GoalState.AT_RISK
    assert state_on(10, 7.5) is GoalState.AT_RISK
    assert state_on(10, 7.49) is GoalState.OFF_TRACK


def test_the_day_after_due_anything_short_of_the_target_is_off_track() -> None:
    status = goal_status(0, 10, DUE, START, [(day(10), 9.9)], day(11))
    assert status.state is GoalState.OFF_TRACK
    assert status.explanation == "Due 2024-03-11 passed with 99% of the way to the target"
    late = goal_status(0, 10, DUE, START, [], day(11))
    assert late.explanation == "Due 2024-03-11 passed with no check-in yet"


def test_reaching_the_target_is_done_even_after_the_due_date() -> None:
    status = goal_status(0, 10, DUE, START, [(day(11), 10.0)], day(11))
    assert status.state is GoalState.DONE
    assert status.explanation == "Target reached: 10 against a target of 10 on 2024-03-12"


def test_reaching_a_decreasing_target_is_done() -> None:
    status = goal_status(20, 10, DUE, START, [(day(3), 9.0)], day(3))
    assert status.state is GoalState.DONE
    assert status.progress == 1.0


def test_decreasing_goal_uses_the_same_tolerances() -> None:
    # Baseline 20, target 10: a value of 16 on day 5 is 0.4, exactly at the tolerance.
    status = goal_status(20, 10, DUE, START, [(day(5), 16.0)], day(5))
    assert status.state is GoalState.ON_TRACK
    assert status.explanation == "On track: 40% of the way to the target with 50% of the time gone"


def test_marked_done_wins_over_everything_else() -> None:
    assert state_on(11, 0.0, done=True) is GoalState.DONE
    assert state_on(-3, None, done=True) is GoalState.DONE


def test_without_a_check_in_the_goal_turns_at_risk_once_the_grace_is_used_up() -> None:
    assert state_on(1, None) is GoalState.NOT_STARTED  # 10% gone: still within tolerance
    assert state_on(2, None) is GoalState.AT_RISK
    assert state_on(3, None) is GoalState.OFF_TRACK
    explanation = goal_status(0, 10, DUE, START, [], day(2)).explanation
    assert explanation == "At risk: no check-in yet with 20% of the time gone"


def test_the_latest_check_in_counts_not_the_best_one() -> None:
    checkins = [(day(2), 6.0), (day(4), 2.0)]
    status = goal_status(0, 10, DUE, START, checkins, day(5))
    assert status.progress == pytest.approx(0.2)
    assert status.state is GoalState.OFF_TRACK


def test_check_ins_are_ordered_by_date_not_by_position() -> None:
    checkins = [(day(4), 4.0), (day(2), 0.0)]
    assert goal_status(0, 10, DUE, START, checkins, day(5)).state is GoalState.ON_TRACK


def test_on_one_date_the_last_check_in_given_wins() -> None:
    checkins = [(day(4), 1.0), (day(4), 4.5)]
    assert goal_status(0, 10, DUE, START, checkins, day(5)).progress == pytest.approx(0.45)


def test_check_ins_dated_after_today_are_ignored() -> None:
    checkins = [(day(3), 4.0), (day(6), 10.0)]
    status = goal_status(0, 10, DUE, START, checkins, day(5))
    assert status.state is GoalState.ON_TRACK
    assert status.progress == pytest.approx(0.4)


def test_going_backwards_shows_negative_progress_and_is_off_track() -> None:
    status = goal_status(0, 10, DUE, START, [(day(5), -1.0)], day(5))
    assert status.progress == pytest.approx(-0.1)
    assert status.state is GoalState.OFF_TRACK
    assert (
        status.explanation == "Off track: -10% of the way to the target with 50% of the time gone"
    )


def test_every_explanation_is_one_line() -> None:
    for k in range(-1, 13):
        for value in (None, 0.0, 3.0, 7.0, 10.0):
            status = goal_status(
                0, 10, DUE, START, [] if value is None else [(day(k), value)], day(k)
            )
            assert status.explanation and "\n" not in status.explanation
