"""Scale scores for one response: answer validation, item keying, the 2/3 rule.

Pure module: standard library only. A response is scored scale by scale; the multi-rater
aggregation (a later ``multirater`` module) scores each rater with these same functions
and only then averages, so nothing here knows about raters or groups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral

from coach.instrument.schema import Instrument, Item

Answers = Mapping[str, int | None]
"""Item id -> raw answer. ``None`` is "not able to observe"; an absent key is unanswered.

Both count as missing data; neither is ever replaced by the midpoint or any other value.
"""


@dataclass(frozen=True)
class ScaleScore:
    """One scale's score for one response; ``score`` is None when too few items were answered."""

    scale_id: str
    score: float | None
    answered: int
    items: int

    @property
    def is_blank(self) -> bool:
        """True when the scale shows "not enough answers" instead of a score."""
        return self.score is None


def min_answered(items: int) -> int:
    """Answered items a scale needs to be scored: ceil(2/3 * items)."""
    # Integer ceiling: 2 / 3 * items in floats can land a hair above a whole number
    # and round up one item too many.
    return -(-2 * items // 3)


def check_answer(instrument: Instrument, item_id: str, raw: object) -> int | None:
    """The raw answer if the instrument accepts it, else ValueError naming the item."""
    if raw is None:
        return None
    if type(raw) is int and raw in instrument.valid_values:  # the usual case, checked fast
        return raw
    # bool is an int subclass and True == 1, so it would slip through a set lookup.
    if isinstance(raw, bool) or not isinstance(raw, Integral):
        raise ValueError(f"item {item_id!r}: answer {raw!r} is not a whole number")
    if int(raw) not in instrument.valid_values:
        allowed = sorted(instrument.valid_values)
        raise ValueError(f"item {item_id!r}: answer {raw!r} is not one of {allowed}")
    return int(raw)


def validate_answers(instrument: Instrument, answers: Answers) -> None:
    """Raise ValueError naming the first item that is unknown or has an invalid answer."""
    for item_id, raw in answers.items():
        try:
            instrument.item(item_id)
        except KeyError:
            raise ValueError(f"item {item_id!r} is not in instrument {instrument.id!r}") from None
        check_answer(instrument, item_id, raw)


def keyed_value(instrument: Instrument, item: Item, raw: int) -> int:
    """The answer scored toward the item's scale: reversed items become (min + max) - x."""
    if item.key == 1:
        return raw
    if item.key == -1:
        return instrument.scale_min + instrument.scale_max - raw
    raise ValueError(f"item {item.id!r}: key must be +1 or -1, not {item.key!r}")


def score_scale(instrument: Instrument, scale_id: str, answers: Answers) -> ScaleScore:
    """Mean of the answered keyed items of one scale, blank below ceil(2/3 * items)."""
    instrument.scale(scale_id)  # KeyError for an unknown scale, rather than an empty score
    items = instrument.items_of(scale_id)
    keyed = []
    for item in items:
        raw = check_answer(instrument, item.id, answers.get(item.id))
        if raw is not None:
            keyed.append(keyed_value(instrument, item, raw))
    # A scale without items has nothing to average; it is blank, not zero.
    if not items or len(keyed) < min_answered(len(items)):
        return ScaleScore(scale_id, None, len(keyed), len(items))
    # The sum of whole numbers is exact, so the only rounding is the one division and
    # the mean can never fall outside [min, max].
    return ScaleScore(scale_id, sum(keyed) / len(keyed), len(keyed), len(items))


def score_scales(instrument: Instrument, answers: Answers) -> dict[str, ScaleScore]:
    """Every scale of the instrument scored, in instrument order."""
    validate_answers(instrument, answers)
    return {s.id: score_scale(instrument, s.id, answers) for s in instrument.scales}
