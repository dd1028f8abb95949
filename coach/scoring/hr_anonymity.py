"""Which slices of the organisation HR may see (docs/disclosure.md "The HR table").

Pure module: standard library only. A slice is a unit (with everything below it) under the
current filters (cycle, rater group, archetype). The rules, applied together and repeated
until nothing changes:

1. A slice describing fewer than ``HR_MIN_N`` rated people is hidden.
2. Two shown slices where one contains the other may not differ by 1 to HR_MIN_N - 1
   people: otherwise the difference of their figures describes those few people.
3. For a shown slice and the shown slices nearest below it, the people in none of them
   (the remainder) must be none or at least HR_MIN_N, for the same reason.
4. A filtered slice may not differ from the same slice unfiltered by 1 to HR_MIN_N - 1
   people, because HR can always look at the unfiltered view too.

When a rule is broken the more specific slice (the smaller one) is hidden, so the broad
picture survives; ties go to the later key so the outcome is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

HR_MIN_N = 5


@dataclass(frozen=True)
class Slice:
    """One unit's slice: its parent slice and how many rated people it describes.

    ``n_unfiltered`` is the same slice with no filter applied (None when no filter is).
    """

    key: str
    parent: str | None
    n: int
    n_unfiltered: int | None = None


def _too_close(difference: int, min_n: int) -> bool:
    return 0 < difference < min_n


def _ancestors(key: str, parents: Mapping[str, str | None]) -> Iterable[str]:
    seen: set[str] = set()
    current = parents.get(key)
    while current is not None and current in parents and current not in seen:
        seen.add(current)
        yield current
        current = parents.get(current)


def visible_slices(slices: Sequence[Slice], min_n: int = HR_MIN_N) -> set[str]:
    """The keys of the slices that may be shown together in one view."""
    min_n = max(HR_MIN_N, min_n)
    by_key = {s.key: s for s in slices}
    parents = {s.key: s.parent for s in slices}
    shown = {
        s.key
        for s in slices
        if s.n >= min_n
        and not (s.n_unfiltered is not None and _too_close(s.n_unfiltered - s.n, min_n))
    }
    changed = True
    while changed:
        changed = False
        for hide in (_nested_violation, _remainder_violation):
            victim = hide(by_key, parents, shown, min_n)
            if victim is not None:
                shown.discard(victim)
                changed = True
                break
    return shown


def _nested_violation(
    by_key: Mapping[str, Slice], parents: Mapping[str, str | None], shown: set[str], min_n: int
) -> str | None:
    for key in sorted(shown):
        for ancestor in _ancestors(key, parents):
            if ancestor in shown and _too_close(by_key[ancestor].n - by_key[key].n, min_n):
                return key  # the descendant is the more specific slice
    return None


def _remainder_violation(
    by_key: Mapping[str, Slice], parents: Mapping[str, str | None], shown: set[str], min_n: int
) -> str | None:
    # Each shown slice's frontier: the shown slices whose nearest shown ancestor it is. They
    # are disjoint, so the people in none of them are the slice minus their sum.
    children: dict[str, list[Slice]] = {}
    for key in shown:
        nearest = next((a for a in _ancestors(key, parents) if a in shown), None)
        if nearest is not None:
            children.setdefault(nearest, []).append(by_key[key])
    for parent in sorted(children):
        kids = children[parent]
        remainder = by_key[parent].n - sum(k.n for k in kids)
        if _too_close(remainder, min_n):
            smallest = min(kids, key=lambda k: (k.n, k.key))
            return smallest.key
    return None
