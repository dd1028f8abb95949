"""The four leader/manager quadrants and the one threshold that separates them.

Pure module: standard library only. A quadrant is a starting point for a conversation
about development, never a type a person is filed under.
"""

from __future__ import annotations

from enum import Enum

from coach.instrument.schema import Instrument

STRONG_FRACTION = 0.625
"""Where "strong" starts, as a fraction of the response range above its minimum.

min + 0.625 * (max - min) is 3.5 on a 1-5 scale, the point from which an average rounds
to "often" (4) rather than "sometimes" (3). Kept as a fraction of the range so any Likert
range (0-6, 1-7, ...) gets the equivalent cut point. This is the only place the
threshold is defined.
"""

_TOLERANCE = 1e-9
"""An index exactly at the threshold can come out of a mean one float step below it."""


class Quadrant(Enum):
    """Where a profile sits on the leader index x manager index plane."""

    STRONG_AT_BOTH = "strong_at_both"
    LEADER_LEANING = "leader_leaning"
    MANAGER_LEANING = "manager_leaning"
    DEVELOPING = "developing"

    @property
    def title(self) -> str:
        """A short plain-language name for the quadrant."""
        return _TEXT[self][0]

    @property
    def explanation(self) -> str:
        """Two or three encouraging, honest sentences on what the quadrant means."""
        return _TEXT[self][1]


_TEXT: dict[Quadrant, tuple[str, str]] = {
    Quadrant.STRONG_AT_BOTH: (
        "Strong at both leading and managing",
        "These answers show both kinds of work happening often: setting direction and "
        "bringing people along, and running plans and processes reliably. That range lets "
        "you move between the two as each situation asks. Treat it as a starting point, "
        "not a verdict, and pick the one or two areas where growth would matter most.",
    ),
    Quadrant.LEADER_LEANING: (
        "Leans towards leading",
        "These answers show setting direction, inspiring people and driving change more "
        "often than planning, measuring and organising the work. Vision pays off when it "
        "becomes reliable execution, so the management skills are a natural place to grow. "
        "This is a starting point, not a verdict: both sides can be learned.",
    ),
    Quadrant.MANAGER_LEANING: (
        "Leans towards managing",
        "These answers show the dependable work of planning, organising and keeping things "
        "on track more often than setting direction and inspiring change. That reliability "
        "is valuable, and making time for strategy and for the people side is a natural "
        "next step. This is a starting point, not a verdict: leadership is learned.",
    ),
    Quadrant.DEVELOPING: (
        "Developing both leading and managing",
        "Neither leading nor managing shows up often in these answers yet, which is common "
        "early in a role or in a new kind of work. Both grow with deliberate practice, so "
        "choose one area from each side to start with. This is a starting point, not a "
        "verdict.",
    ),
}


def strong_threshold(instrument: Instrument) -> float:
    """The index at or above which a person counts as strong on that side."""
    low, high = instrument.scale_min, instrument.scale_max
    return low + STRONG_FRACTION * (high - low)


def is_strong(index: float, instrument: Instrument) -> bool:
    """True when an index is at or above the strong threshold."""
    return index >= strong_threshold(instrument) - _TOLERANCE


def quadrant_of(
    leader_index: float | None, manager_index: float | None, instrument: Instrument
) -> Quadrant | None:
    """The quadrant for two indexes; None when either index is blank."""
    if leader_index is None or manager_index is None:
        return None
    leader = is_strong(leader_index, instrument)
    manager = is_strong(manager_index, instrument)
    if leader and manager:
        return Quadrant.STRONG_AT_BOTH
    if leader:
        return Quadrant.LEADER_LEANING
    if manager:
        return Quadrant.MANAGER_LEANING
    return Quadrant.DEVELOPING
