"""The one disclosure decision of a 360 report: which raters stand behind each figure.

Pure module: standard library only. Rules, on top of ``anonymity`` (floor, merging and the
no-differencing check between figures):

- on each scale, a figure stands on the raters of its groups who have a score on that
  scale (a scale needs 2/3 of its items answered); ``shown_for_counts`` re-runs the floor
  and differencing checks on those raters;
- an item figure stands on exactly the same raters as its scale figure, or is not shown:
  it is shown only when every one of them answered the item. So no rater is ever in an
  item figure and missing from the scale figure (or the reverse), and item sums minus
  scale sums can never isolate anyone; a rater without a score on the scale is in none of
  that scale's figures, item figures included;
- every mean leaves the package rounded to ``SHOWN_DECIMALS``, the precision of the page,
  and each figure's n is the number of raters it stands on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coach.scoring.anonymity import Figure, FigureKey, RaterGroup, Visibility, shown_for_counts

SHOWN_DECIMALS = 1
"""Decimals of every mean a report shows, on the page and in the API alike."""


def shown_value(value: float) -> float:
    """A mean or band end rounded to the precision the report shows."""
    return round(value, SHOWN_DECIMALS)


@dataclass(frozen=True)
class ItemDisclosure:
    """Which of its scale's figures an item shows, and why the others are not shown."""

    item_id: str
    shown: tuple[Figure, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ScaleDisclosure:
    """One scale: the figures shown, the raters (by index) behind each, and notes."""

    scale_id: str
    shown: tuple[Figure, ...]
    members: Mapping[FigureKey, tuple[int, ...]]
    notes: tuple[str, ...]
    items: Mapping[str, ItemDisclosure]


def disclose_scale(
    visibility: Visibility,
    scale_id: str,
    groups: Sequence[RaterGroup],
    scored: Sequence[bool],
    answered: Mapping[str, Sequence[bool]],
) -> ScaleDisclosure:
    """Decide one scale's figures and item figures from who scored it and who answered.

    ``groups[r]`` is rater r's group, ``scored[r]`` whether r has a score on the scale, and
    ``answered[item][r]`` whether r answered that item of the scale.
    """
    counts: dict[RaterGroup, int] = {}
    for group, has_score in zip(groups, scored, strict=True):
        if has_score:
            counts[group] = counts.get(group, 0) + 1
    shown, notes = shown_for_counts(
        visibility.figures, counts, visibility.floor, where=" on this scale"
    )
    members = {
        f.key: tuple(r for r, g in enumerate(groups) if scored[r] and g in f.groups) for f in shown
    }
    items = {
        item_id: _disclose_item(item_id, shown, members, flags)
        for item_id, flags in answered.items()
    }
    return ScaleDisclosure(scale_id, shown, members, notes, items)


def _disclose_item(
    item_id: str,
    shown: Sequence[Figure],
    members: Mapping[FigureKey, tuple[int, ...]],
    answered: Sequence[bool],
) -> ItemDisclosure:
    """The scale's figures whose every rater answered this item; notes for the rest."""
    kept = []
    notes = []
    for figure in shown:
        if all(answered[r] for r in members[figure.key]):
            kept.append(figure)
        else:
            notes.append(
                f"{figure.label}: not shown on this question, because not everyone counted "
                "in the scale figure answered it."
            )
    return ItemDisclosure(item_id, tuple(kept), tuple(notes))
