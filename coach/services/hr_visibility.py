"""Which HR slices a view may show: ``coach.scoring.hr_anonymity`` applied to one view's scope.

A view of unit U under some filters shows U and its child units. The anonymity rules are
checked on the view's *scope*: every unit on the path from the organisation (key "0") down
to U, every child of those units (U's siblings, its parent's siblings, ...) and U's children.
That scope is the same for U and for each of its children's own views, minus their children,
and (``hr_anonymity`` hides the more specific slice first) a unit's children never change
whether the unit itself is shown; so a unit is shown, or hidden, in every view it appears in.

Three refinements keep every shown figure safe across views:

- ancestor-closed: a unit is shown only if every unit above it in the scope is shown, so
  the nearest shown unit above a shown unit is always its parent (a hidden parent's people
  are never split between views);
- every filter combination: each filter that is on also has its "unfiltered" counterpart
  checked (rule 4 of hr_anonymity), for every subset of the active filters, and the slice
  must pass all of them;
- partitions: for the archetype filter, the slice of one archetype must also survive the
  remainder rule among all archetypes of the same unit (otherwise "everyone minus the shown
  archetypes" could describe fewer than 5 people).

Per-scale figures repeat the check with that scale's counts when they differ from the
slice's (a blank scale), and are shown only where the slice is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from coach.scoring.hr_anonymity import HR_MIN_N, Slice, visible_slices

Counts = Mapping[str, int]


def ancestors(key: str, parents: Mapping[str, str | None]) -> Iterator[str]:
    """The keys above ``key`` in the scope, nearest first."""
    current = parents.get(key)
    while current is not None:
        yield current
        current = parents.get(current)


def eligible(counts: Counts, unfiltered: Sequence[Counts]) -> set[str]:
    """Slices with enough people that differ from each unfiltered counterpart by 0 or >= 5."""
    if not unfiltered:
        return visible_slices([Slice(k, None, n) for k, n in counts.items()])
    passing = set(counts)
    for other in unfiltered:
        passing &= visible_slices([Slice(k, None, n, other.get(k, n)) for k, n in counts.items()])
    return passing


def shown(
    parents: Mapping[str, str | None],
    counts: Counts,
    unfiltered: Sequence[Counts] = (),
    excluded: set[str] | frozenset[str] = frozenset(),
) -> set[str]:
    """The keys of the scope that may be shown (see the module doc)."""
    passing = eligible({k: counts.get(k, 0) for k in parents}, unfiltered) - excluded
    slices = [Slice(k, parents[k], counts.get(k, 0) if k in passing else 0) for k in parents]
    visible = visible_slices(slices)
    return {k for k in visible if all(a in visible for a in ancestors(k, parents))}


def partition_shown(total: int, cells: Mapping[str, int]) -> set[str]:
    """Cells of a shown slice (quadrants, archetypes) that may be shown with their counts.

    A cell under 5 is hidden, and so are more cells while the people left in no shown cell
    would number 1 to 4 (they could be worked out from the total).
    """
    slices = [Slice("*", None, total)] + [Slice(k, "*", n) for k, n in cells.items()]
    return visible_slices(slices) - {"*"}


def merged_bands(counts: Sequence[int]) -> list[tuple[int, int, int]]:
    """Adjacent histogram bins merged until each band holds at least 5 people.

    Returns (first bin, last bin, people) per band; nothing when fewer than 5 in total.
    """
    bands: list[tuple[int, int, int]] = []
    start, running = 0, 0
    for b, n in enumerate(counts):
        running += n
        if running >= HR_MIN_N:
            bands.append((start, b, running))
            start, running = b + 1, 0
    if running and bands:
        first, _, people = bands.pop()
        bands.append((first, len(counts) - 1, people + running))
    return bands
