"""Suggested development areas: which scales to work on first, why, and what to do.

Pure module: standard library only. The ranking is a small, reasoned formula (not learned
from data), so every suggestion can be explained in one line with the figures behind it.

Each scale's priority is the sum of three parts, all in points of the response metric:

- low: ``LOW_WEIGHT`` x how far the best estimate of the behaviour sits below the strong
  threshold (``coach.scoring.strong_threshold``); the best estimate is others' mean when
  the 360 has one, else the self score;
- blind spot: ``BLIND_SPOT_WEIGHT`` x (self - others) when the 360 flags a blind spot;
- balance: ``BALANCE_WEIGHT`` x the tilt, for the weaker pole of a dimension whose poles
  differ by at least ``BALANCE_MIN_TILT_FRACTION`` of the range.

Scales with a priority of zero are not suggested. Equal priorities keep instrument order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from coach.coaching.actions import Action, ActionLibrary
from coach.instrument.schema import Instrument, Scale, ScaleKind
from coach.scoring.quadrants import strong_threshold

__all__ = [
    "BALANCE_MIN_TILT_FRACTION",
    "BALANCE_WEIGHT",
    "BLIND_SPOT_WEIGHT",
    "LOW_WEIGHT",
    "MAX_ACTIONS_PER_SUGGESTION",
    "OthersView",
    "Suggestion",
    "suggest_development",
]

LOW_WEIGHT = 1.0
"""The unit of priority: one point below the strong threshold counts 1.0."""

BLIND_SPOT_WEIGHT = 2.0
"""Each point by which self exceeds others on a flagged blind spot counts double.

Reasoned, not fitted: a blind spot is the one development need a person will not find on
their own, and over-rating oneself goes with poorer outcomes in the multi-rater
literature. Since a blind spot needs a gap above 0.5 (docs/methods.md "Blind spots and
hidden strengths"), this part is always above 1.0, that is it outweighs being a full point
below strong.
"""

BALANCE_WEIGHT = 0.5
"""Half of a dimension's tilt is added to its weaker pole.

The aim is to be strong at both poles, so the weaker one deserves attention beyond its
own distance from strong; half, because a lopsided profile matters less than a low one.
"""

BALANCE_MIN_TILT_FRACTION = 0.125
"""Tilts below 1/8 of the range (0.5 on a 1-5 metric) are ignored.

With the default SD and reliability (coach.coaching.change) the difference of two scale
scores has a standard error of about 0.5, so a smaller tilt is not told apart from noise.
"""

MAX_ACTIONS_PER_SUGGESTION = 3

_EPSILON = 1e-9
"""Float noise: a priority or tilt within this of a boundary counts as on it."""


@dataclass(frozen=True)
class OthersView:
    """What the 360 says about one scale, reduced to what the ranking needs.

    ``mean`` is the all-others mean (None when suppressed below the anonymity floor or
    blank), ``n`` the number of raters behind it, ``blind_spot`` the 360 module's flag
    (self - others > max(0.5, 1.645 * SE_diff), docs/methods.md "Blind spots and hidden
    strengths").
    """

    mean: float | None
    n: int = 0
    blind_spot: bool = False


@dataclass(frozen=True)
class Suggestion:
    """One development area: its priority, the one-line reason, and up to 3 actions.

    ``low``, ``blind_spot`` and ``balance`` are the weighted parts that add up to
    ``priority``; ``reason`` names the figures behind the largest part.
    """

    scale_id: str
    scale_name: str
    priority: float
    reason: str
    actions: tuple[Action, ...]
    low: float = 0.0
    blind_spot: float = 0.0
    balance: float = 0.0


@dataclass(frozen=True)
class _Estimate:
    """The best estimate of one scale's behaviour and where it came from."""

    value: float
    from_others: bool


def suggest_development(
    instrument: Instrument,
    self_scores: Mapping[str, float | None],
    others: Mapping[str, OthersView] | None,
    library: ActionLibrary,
    limit: int = 5,
) -> list[Suggestion]:
    """The ``limit`` most pressing development areas, highest priority first."""
    if limit < 0:
        raise ValueError(f"limit must be zero or more, not {limit}")
    if library.instrument_id != instrument.id:
        raise ValueError(
            f"action library '{library.id}' is for instrument '{library.instrument_id}', "
            f"not '{instrument.id}'"
        )
    others = others or {}
    known = {s.id for s in instrument.scales}
    unknown = sorted(set(self_scores).union(others) - known)
    if unknown:  # a scale id the caller mapped wrongly would otherwise vanish silently
        raise ValueError(f"not scales of instrument '{instrument.id}': {', '.join(unknown)}")
    estimates = {s.id: e for s in instrument.scales if (e := _estimate(s.id, self_scores, others))}
    scored: list[tuple[Suggestion, int]] = []
    for position, scale in enumerate(instrument.scales):
        found = _score(instrument, scale, estimates, self_scores, others)
        if found is not None:
            scored.append((found, position))
    # Rounding lets priorities that differ only by float noise tie, so instrument order decides.
    scored.sort(key=lambda pair: (-round(pair[0].priority, 9), pair[1]))
    return _with_actions([s for s, _ in scored[:limit]], library)


def _estimate(
    scale_id: str, self_scores: Mapping[str, float | None], others: Mapping[str, OthersView]
) -> _Estimate | None:
    """Others' mean where the 360 has one (others see the behaviour), else the self score."""
    view = others.get(scale_id)
    if view is not None and view.mean is not None:
        return _Estimate(view.mean, True)
    own = self_scores.get(scale_id)
    return None if own is None else _Estimate(own, False)


def _score(
    instrument: Instrument,
    scale: Scale,
    estimates: Mapping[str, _Estimate],
    self_scores: Mapping[str, float | None],
    others: Mapping[str, OthersView],
) -> Suggestion | None:
    """The scale's suggestion with its three parts and reason; None when nothing is pressing."""
    estimate = estimates.get(scale.id)
    if estimate is None:
        return None
    threshold = strong_threshold(instrument)
    low = LOW_WEIGHT * max(0.0, threshold - estimate.value)
    own, view = self_scores.get(scale.id), others.get(scale.id)
    blind = 0.0
    if view is not None and view.blind_spot and own is not None and view.mean is not None:
        blind = BLIND_SPOT_WEIGHT * max(0.0, own - view.mean)
    partner = _stronger_partner(instrument, scale, estimates)
    balance = 0.0 if partner is None else BALANCE_WEIGHT * partner[1]
    priority = low + blind + balance
    if priority <= _EPSILON:
        return None
    # The reason names the largest part; on a tie the blind spot wins (it is the news the
    # person cannot see for themselves), then the low score, then the balance.
    if blind > 0 and blind >= max(low, balance) and own is not None and view is not None:
        seen = view.mean if view.mean is not None else estimate.value
        reason = f"Blind spot on {scale.name}: you rate yourself {own:.1f}, others {seen:.1f}"
    elif low >= balance or partner is None:
        who = "others rate you" if estimate.from_others else "you rate yourself"
        what = "skill" if scale.kind is ScaleKind.SKILL else "score"
        reason = (
            f"{scale.name}: {who} {estimate.value:.1f}, below the {_threshold(threshold)} "
            f"where a {what} counts as strong"
        )
    else:
        stronger, tilt = partner
        reason = (
            f"{scale.name} trails {stronger.name} by {tilt:.1f} points "
            f"({estimate.value:.1f} against {estimate.value + tilt:.1f})"
        )
    return Suggestion(scale.id, scale.name, priority, reason, (), low, blind, balance)


def _stronger_partner(
    instrument: Instrument, scale: Scale, estimates: Mapping[str, _Estimate]
) -> tuple[Scale, float] | None:
    """The other pole and the tilt, when this is the clearly weaker pole of its dimension."""
    if scale.kind is not ScaleKind.POLE or scale.dimension is None:
        return None
    dimension = next((d for d in instrument.dimensions if d.id == scale.dimension), None)
    if dimension is None:
        return None
    other_id = (
        dimension.manager_scale if dimension.leader_scale == scale.id else dimension.leader_scale
    )
    mine, theirs = estimates.get(scale.id), estimates.get(other_id)
    # A tilt between others' view of one pole and the self view of the other would mix two
    # kinds of rating, so it only counts when both poles come from the same source.
    if mine is None or theirs is None or mine.from_others != theirs.from_others:
        return None
    tilt = theirs.value - mine.value
    minimum = BALANCE_MIN_TILT_FRACTION * (instrument.scale_max - instrument.scale_min)
    if tilt < minimum - _EPSILON:
        return None
    return instrument.scale(other_id), tilt


def _with_actions(ranked: list[Suggestion], library: ActionLibrary) -> list[Suggestion]:
    """Attach up to 3 actions per suggestion, preferring ones not already shown higher up."""
    used: set[str] = set()
    result: list[Suggestion] = []
    for suggestion in ranked:
        candidates = library.for_scale(suggestion.scale_id)
        fresh = [a for a in candidates if a.id not in used]
        again = [a for a in candidates if a.id in used]
        chosen = tuple((fresh + again)[:MAX_ACTIONS_PER_SUGGESTION])
        used.update(a.id for a in chosen)
        result.append(replace(suggestion, actions=chosen))
    return result


def _threshold(value: float) -> str:
    """The threshold as exactly as it is defined (3.5, 4.75), never rounded into a new one."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
