"""Which multi-rater figures may be shown: the anonymity floor and the no-differencing rule.

Pure module: standard library only. A *figure* is one mean shown in a report (manager,
peers, direct reports, "others (combined)", "all others"); each is the union of whole
rater groups. Rules:

- the floor is ``anonymity_floor(configured)``, never below ``MIN_GROUP_N``;
- the manager group is exempt: shown even with one rater (raters are told);
- a peer or direct-report group below the floor merges with the OTHER group into one
  "Others (combined)" figure, suppressed if still below the floor;
- no shown figure minus any set of other shown figures inside it may leave 1 to
  floor - 1 non-manager raters (for example "all others" next to the manager and direct
  reports would expose the peers). When that would happen the containing figure is
  dropped, "all others" first (see ``shown_for_counts``).

The same check runs again on each scale with the counts of raters who have a score there
(``disclosure``), so a figure hidden by missing answers never makes another one derivable;
a question's figures stand on those same raters or are not shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from numbers import Integral

MIN_GROUP_N = 3
"""The smallest number of non-manager raters behind any shown figure."""


class RaterGroup(str, Enum):  # noqa: UP042 (same str-valued Enum style as schema.Pole)
    """The relationship of a respondent to the person rated."""

    SELF = "self"
    MANAGER = "manager"
    PEER = "peer"
    DIRECT_REPORT = "direct_report"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The plural display name used in reports and warnings."""
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    RaterGroup.SELF: "Self",
    RaterGroup.MANAGER: "Manager",
    RaterGroup.PEER: "Peers",
    RaterGroup.DIRECT_REPORT: "Direct reports",
    RaterGroup.OTHER: "Others",
}

RATER_GROUPS = (RaterGroup.MANAGER, RaterGroup.PEER, RaterGroup.DIRECT_REPORT, RaterGroup.OTHER)
"""Every group except self, in display order: together they are "all others"."""

_MERGEABLE = (RaterGroup.PEER, RaterGroup.DIRECT_REPORT)


class FigureKey(str, Enum):  # noqa: UP042 (stable string keys for services and templates)
    """Which figure a mean belongs to; display order is declaration order."""

    MANAGER = "manager"
    PEER = "peer"
    DIRECT_REPORT = "direct_report"
    OTHERS = "others"
    ALL_OTHERS = "all_others"


@dataclass(frozen=True)
class Figure:
    """One shown mean: a label and the whole rater groups whose raters it averages."""

    key: FigureKey
    label: str
    groups: frozenset[RaterGroup]


@dataclass(frozen=True)
class Visibility:
    """The figures a round may show, and plain-English notes on what was merged or hidden."""

    floor: int
    counts: Mapping[RaterGroup, int]
    figures: tuple[Figure, ...]
    explanations: tuple[str, ...]

    def figure(self, key: FigureKey) -> Figure | None:
        """The shown figure with this key, None when it is not shown."""
        return next((f for f in self.figures if f.key is key), None)

    def rater_count(self, figure: Figure) -> int:
        """How many raters the figure averages in this round."""
        return sum(self.counts.get(g, 0) for g in figure.groups)

    @property
    def hidden_groups(self) -> frozenset[RaterGroup]:
        """Groups with raters that no shown figure includes."""
        covered = {g for f in self.figures for g in f.groups}
        return frozenset(g for g in RATER_GROUPS if self.counts.get(g, 0) > 0 and g not in covered)


@dataclass(frozen=True)
class Exposure:
    """``figure`` minus the ``subtracted`` figures leaves ``isolated`` non-manager raters."""

    figure: Figure
    subtracted: tuple[Figure, ...]
    isolated: int


def anonymity_floor(configured: int | None = None) -> int:
    """The configured floor, raised to MIN_GROUP_N when it is lower (or not set)."""
    if configured is None:
        return MIN_GROUP_N
    if isinstance(configured, bool) or not isinstance(configured, Integral):
        raise ValueError(f"the anonymity floor must be a whole number, not {configured!r}")
    return max(MIN_GROUP_N, int(configured))


def rater_counts(counts: Mapping[RaterGroup, int]) -> dict[RaterGroup, int]:
    """Counts for every non-self group (missing groups are 0); self is dropped."""
    result: dict[RaterGroup, int] = {}
    for group in RATER_GROUPS:
        n = counts.get(group, 0)
        if isinstance(n, bool) or not isinstance(n, Integral) or n < 0:
            raise ValueError(f"{group.value}: count must be a whole number >= 0, not {n!r}")
        result[group] = int(n)
    return result


def non_manager_count(groups: Iterable[RaterGroup], counts: Mapping[RaterGroup, int]) -> int:
    """Raters in these groups other than the (exempt) manager and self."""
    excluded = (RaterGroup.MANAGER, RaterGroup.SELF)
    return sum(counts.get(g, 0) for g in set(groups) if g not in excluded)


def exposures(
    figures: Sequence[Figure], counts: Mapping[RaterGroup, int], floor: int
) -> list[Exposure]:
    """Every figure-minus-contained-figures difference that isolates 1..floor-1 raters."""
    found = []
    for figure in figures:
        raters = _populated(figure.groups, counts)
        inside = [f for f in figures if f is not figure and _populated(f.groups, counts) <= raters]
        # The empty subtraction is included, so a figure below the floor is itself a hit.
        for size in range(len(inside) + 1):
            for subtracted in combinations(inside, size):
                rest = raters.difference(*(f.groups for f in subtracted))
                isolated = non_manager_count(rest, counts)
                if 0 < isolated < floor:
                    found.append(Exposure(figure, subtracted, isolated))
    return found


def shown_for_counts(
    figures: Sequence[Figure], counts: Mapping[RaterGroup, int], floor: int, *, where: str = ""
) -> tuple[tuple[Figure, ...], tuple[str, ...]]:
    """The subset of ``figures`` safe to show for these counts, and why others are not.

    Empty figures go silently; a figure whose non-manager raters are 1..floor-1 goes; a
    figure with exactly the raters of a narrower shown one goes (it would say nothing
    new); then, while any exposure remains, the containing figure of an exposure goes,
    "all others" first, else the one with most groups, ties to the later in display
    order. Dropping the container keeps the more specific figures, which say more.
    ``where`` (for example " on this scale") is added to the notes.
    """
    floor = anonymity_floor(floor)
    notes: list[str] = []
    shown = [f for f in figures if _populated(f.groups, counts)]
    for figure in list(shown):
        isolated = non_manager_count(figure.groups, counts)
        if 0 < isolated < floor:
            shown.remove(figure)
            notes.append(_too_few_note(figure, counts, floor, where))
    for figure in list(shown):
        narrower = _same_raters_narrower(figure, shown, counts)
        if narrower is not None:
            shown.remove(figure)
            notes.append(
                f"{figure.label}{where}: the same raters as {narrower.label}, "
                f"shown once, under {narrower.label}."
            )
    while found := exposures(shown, counts, floor):
        container = max((e.figure for e in found), key=lambda f: _drop_priority(f, figures))
        # Name the fullest subtraction: "A minus everything inside it" reads most plainly.
        worst = max(
            (e for e in found if e.figure is container),
            key=lambda e: (len(e.subtracted), -e.isolated),
        )
        shown.remove(container)
        notes.append(_exposure_note(worst, counts, where))
    return tuple(shown), tuple(notes)


def visible_groups(counts: Mapping[RaterGroup, int], floor: int = MIN_GROUP_N) -> Visibility:
    """Decide, from the rater counts of a round, which figures its report may show."""
    floor = anonymity_floor(floor)
    clean = rater_counts(counts)
    notes: list[str] = []
    manager = clean[RaterGroup.MANAGER]
    if 0 < manager < floor:
        notes.append(
            f"Manager ({manager}) is shown on its own even though it is fewer than {floor}; "
            "managers are told this when they are invited."
        )
    merged = [g for g in _MERGEABLE if 0 < clean[g] < floor]
    notes.extend(
        f"{g.label} ({clean[g]}) are fewer than {floor}, so their answers are combined "
        "with other raters'."
        for g in merged
    )
    candidates = [_group_figure(RaterGroup.MANAGER, FigureKey.MANAGER)]
    candidates += [_group_figure(g, FigureKey(g.value)) for g in _MERGEABLE if g not in merged]
    candidates.append(_others_figure(merged))
    candidates.append(Figure(FigureKey.ALL_OTHERS, "All others", frozenset(RATER_GROUPS)))
    shown, resolution = shown_for_counts(candidates, clean, floor)
    return Visibility(floor, clean, shown, (*notes, *resolution))


def nomination_warnings(counts: Mapping[RaterGroup, int], floor: int = MIN_GROUP_N) -> list[str]:
    """Plain warnings for the nomination page on groups that cannot reach the floor."""
    visibility = visible_groups(counts, floor)
    floor, clean = visibility.floor, visibility.counts
    combined = visibility.figure(FigureKey.OTHERS)
    warnings = []
    if 0 < clean[RaterGroup.MANAGER] < floor:
        warnings.append("Manager: shown on its own even with one rater; your manager is told this.")
    for group in (*_MERGEABLE, RaterGroup.OTHER):
        n = clean[group]
        if combined is not None and group in combined.groups and group is RaterGroup.OTHER:
            continue  # the OTHER group is shown, alone or with the groups merged into it
        if 0 < n < floor:
            fate = (
                'combined with other raters\' and shown as "Others (combined)"'
                if combined is not None and group in combined.groups
                else "left out of the report: even combined with other raters' they stay "
                f"below {floor}"
            )
            warnings.append(
                f"{group.label}: {n} nominated, fewer than {floor}; answers will be {fate}."
            )
        elif n == floor:
            warnings.append(
                f"{group.label}: exactly {floor} nominated; if one of them does not answer, the "
                "group falls below the minimum and is combined with other raters' or left out."
            )
    if visibility.hidden_groups:
        # Raters outside every shown figure are exactly the case where "all others" would
        # expose them, so it is dropped; say so before the round opens, not after.
        warnings.append(
            '"All others" will not be shown either: next to the other figures it would reveal '
            "the answers of the raters who are left out."
        )
    return warnings


def _others_figure(merged: Iterable[RaterGroup]) -> Figure:
    """The OTHER group plus the small groups merged into it."""
    groups = frozenset({RaterGroup.OTHER, *merged})
    label = "Others" if len(groups) == 1 else "Others (combined)"
    return Figure(FigureKey.OTHERS, label, groups)


def _group_figure(group: RaterGroup, key: FigureKey) -> Figure:
    """A figure made of one whole rater group."""
    return Figure(key, group.label, frozenset({group}))


def _populated(
    groups: Iterable[RaterGroup], counts: Mapping[RaterGroup, int]
) -> frozenset[RaterGroup]:
    """The groups that have raters: differencing is about raters, not group names."""
    return frozenset(g for g in groups if counts.get(g, 0) > 0)


def _same_raters_narrower(
    figure: Figure, shown: Sequence[Figure], counts: Mapping[RaterGroup, int]
) -> Figure | None:
    """A shown figure with fewer groups but exactly the same raters, if any."""
    raters = _populated(figure.groups, counts)
    for other in shown:
        if len(other.groups) < len(figure.groups) and _populated(other.groups, counts) == raters:
            return other
    return None


def _drop_priority(figure: Figure, order: Sequence[Figure]) -> tuple[bool, int, int]:
    """Larger drops first: "all others", then most groups, then later in display order."""
    return (figure.key is FigureKey.ALL_OTHERS, len(figure.groups), order.index(figure))


def _exposure_note(exposure: Exposure, counts: Mapping[RaterGroup, int], where: str) -> str:
    """Why a figure that would expose a small remainder is not shown."""
    figure = exposure.figure
    n = sum(counts.get(g, 0) for g in figure.groups)
    beside = " and ".join(f.label for f in exposure.subtracted) or "the figures shown"
    return (
        f"Not shown{where}: {figure.label} ({n}), because next to {beside} it would reveal "
        f"the answers of the remaining {_raters(exposure.isolated)}."
    )


def _too_few_note(figure: Figure, counts: Mapping[RaterGroup, int], floor: int, where: str) -> str:
    """Why a figure below the floor is not shown."""
    besides = " apart from the manager" if RaterGroup.MANAGER in figure.groups else ""
    n = non_manager_count(figure.groups, counts)
    return f"Not shown{where}: {figure.label}, only {_raters(n)}{besides}, fewer than {floor}."


def _raters(n: int) -> str:
    """The count followed by "rater" or "raters"."""
    return f"{n} rater" if n == 1 else f"{n} raters"
