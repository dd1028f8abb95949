"""Measurable development goals: progress towards a target and whether a goal is on track.

Pure module: standard library only. A goal has a baseline, a target, a start and a due
date (docs/methods.md "Development goals"); check-ins record the indicator's value on
a date. The status rule lives in ``goal_status`` alone, with its constants here:

- expected = the elapsed fraction of start -> due (0 on the start day, 1 on the due day);
- p = progress of the latest check-in on or before today;
- DONE when marked done or p >= 1;
- NOT_STARTED before the start day, and while there is no check-in yet and the time
  gone is still within ``ON_TRACK_TOLERANCE`` (after that, no check-in counts as p = 0);
- OFF_TRACK once the due day has passed with p < 1;
- ON_TRACK when p >= expected - ON_TRACK_TOLERANCE;
- AT_RISK when p >= expected - AT_RISK_TOLERANCE;
- OFF_TRACK otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from coach.coaching.actions import Direction

__all__ = [
    "AT_RISK_TOLERANCE",
    "ON_TRACK_TOLERANCE",
    "PROGRESS_CAP",
    "CheckIn",
    "GoalState",
    "GoalStatus",
    "expected_progress",
    "goal_status",
    "progress",
]

ON_TRACK_TOLERANCE = 0.10
"""A goal up to 10 points of progress behind the calendar is on track.

Indicators move in steps (a meeting held, a review done), so a goal is rarely exactly on
the straight line from start to due; a tenth of the way is normal lumpiness.
"""

AT_RISK_TOLERANCE = 0.25
"""Between 10 and 25 points behind is at risk; further behind is off track.

A quarter of the way behind is about what a person can still catch up by the due date
with extra effort; beyond it the plan itself needs changing.
"""

PROGRESS_CAP = 1.0
"""Progress is capped at 1 (the target), never below 0.

Beyond the target the goal is done; letting one goal's overshoot count above 100% would
hide another goal's lag when progress is averaged over a plan or a unit. Below the
baseline the value is kept (negative progress), because moving the wrong way is news.
"""

_EPSILON = 1e-9
"""Progress computed exactly at a boundary can land a float step below it."""

CheckIn = tuple[date, float]
"""One check-in: the date and the indicator's value on that date."""


class GoalState(Enum):
    """Where a goal stands, for the dashboard."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"


@dataclass(frozen=True)
class GoalStatus:
    """A goal's state, the figures behind it, and a one-line explanation.

    ``progress`` is None when there is no check-in on or before today; ``expected`` is
    the elapsed fraction of the time from start to due.
    """

    state: GoalState
    progress: float | None
    expected: float
    explanation: str


def progress(
    baseline: float, target: float, current: float, *, direction: Direction | None = None
) -> float:
    """(current - baseline) / (target - baseline), capped at 1; works for decreasing goals.

    When target equals baseline there is no distance to cover: 1.0 if the current value
    has reached the target, else 0.0. Reached means equal, or with a ``direction`` also
    beyond the target on the good side.
    """
    span = target - baseline
    if math.isclose(span, 0.0, abs_tol=_EPSILON):
        if math.isclose(current, target, abs_tol=_EPSILON):
            return 1.0
        if direction is Direction.INCREASE:
            return 1.0 if current > target else 0.0
        if direction is Direction.DECREASE:
            return 1.0 if current < target else 0.0
        return 0.0
    return min(PROGRESS_CAP, (current - baseline) / span)


def expected_progress(start: date, due: date, today: date) -> float:
    """The elapsed fraction of start -> due on ``today``, between 0 and 1."""
    if due < start:
        raise ValueError(f"due date {due} is before start date {start}")
    if today < start:
        return 0.0
    if today >= due:
        return 1.0
    return (today - start).days / (due - start).days


def goal_status(
    baseline: float,
    target: float,
    due: date,
    start: date,
    checkins: Sequence[CheckIn],
    today: date,
    done_flag: bool = False,
    *,
    direction: Direction | None = None,
) -> GoalStatus:
    """The goal's state on ``today`` by the rule in the module docstring, with a reason."""
    expected = expected_progress(start, due, today)
    latest = _latest(checkins, today)
    p = None if latest is None else progress(baseline, target, latest[1], direction=direction)
    time_gone = f"{_percent(expected)} of the time gone"
    if done_flag:
        return GoalStatus(GoalState.DONE, p, expected, "Marked done")
    if latest is not None and p is not None and p >= 1.0 - _EPSILON:
        reached = f"Target reached: {_number(latest[1])} against a target of {_number(target)}"
        return GoalStatus(GoalState.DONE, p, expected, f"{reached} on {latest[0].isoformat()}")
    if today < start:
        return GoalStatus(GoalState.NOT_STARTED, p, expected, f"Starts on {start.isoformat()}")
    done_so_far = "no check-in yet" if p is None else f"{_percent(p)} of the way to the target"
    if today > due:
        return GoalStatus(
            GoalState.OFF_TRACK, p, expected, f"Due {due.isoformat()} passed with {done_so_far}"
        )
    # With no check-in the value is, as far as anyone knows, still the baseline (p = 0);
    # the goal only counts as not started while p = 0 would still be on track.
    effective = 0.0 if p is None else p
    if p is None and effective >= expected - ON_TRACK_TOLERANCE - _EPSILON:
        return GoalStatus(GoalState.NOT_STARTED, p, expected, f"No check-in yet, {time_gone}")
    if effective >= expected - ON_TRACK_TOLERANCE - _EPSILON:
        state, label = GoalState.ON_TRACK, "On track"
    elif effective >= expected - AT_RISK_TOLERANCE - _EPSILON:
        state, label = GoalState.AT_RISK, "At risk"
    else:
        state, label = GoalState.OFF_TRACK, "Off track"
    return GoalStatus(state, p, expected, f"{label}: {done_so_far} with {time_gone}")


def _latest(checkins: Sequence[CheckIn], today: date) -> CheckIn | None:
    """The latest check-in on or before today; on one date, the last one given wins.

    Check-ins dated after today are ignored: a status for a past day must not use values
    that were not known on that day.
    """
    latest: CheckIn | None = None
    for when, value in checkins:
        if when <= today and (latest is None or when >= latest[0]):
            latest = (when, value)
    return latest


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


def _number(value: float) -> str:
    return f"{value:g}"
