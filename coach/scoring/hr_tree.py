"""Which units of the whole organisation tree may show a head count and the figures on it.

Pure module: standard library only. Used for figures that do not depend on any filter (the
development-plan counts): one decision over the whole tree, so a unit is shown in every
view or in none, whichever unit's page HR opens.

The rule, walked once from the top down:

- the organisation (the root) is shown when it holds at least ``HR_MIN_N`` people;
- below a shown unit, its child units are decided together with ``hr_anonymity``'s
  rules on the unit and its children: a child under HR_MIN_N is hidden, a child that
  differs from the unit by 1 to HR_MIN_N - 1 is hidden, and children are hidden until the
  people of the unit in no shown child (its remainder) are none or at least HR_MIN_N;
- below a hidden unit nothing is shown.

So the shown units are ancestor-closed (each shown unit's parent is shown) and, being whole
subtrees, nested or disjoint; the figures of any shown units, added and subtracted in any
way, describe unions of remainders, each 0 or at least HR_MIN_N people.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from coach.scoring.hr_anonymity import HR_MIN_N, Slice, visible_slices

K = TypeVar("K", bound=Hashable)


def children_of(root: K, parents: Mapping[K, K | None]) -> dict[K, list[K]]:
    """Each unit's child units; a unit whose parent is unknown hangs from the root."""
    children: dict[K, list[K]] = {root: []}
    for key, parent in parents.items():
        if key == root:
            continue
        above = parent if parent is not None and (parent in parents or parent == root) else root
        children.setdefault(above, []).append(key)
    return children


def top_down(root: K, children: Mapping[K, list[K]]) -> list[K]:
    """The units reachable from the root, each before its children (no recursion)."""
    order, queue, seen = [root], [root], {root}
    while queue:
        current = queue.pop()
        for child in children.get(current, ()):
            if child not in seen:  # a loop in bad data is walked once, never forever
                seen.add(child)
                order.append(child)
                queue.append(child)
    return order


def subtree_totals(root: K, parents: Mapping[K, K | None], direct: Mapping[K, int]) -> dict[K, int]:
    """People in each unit and everything below it, from the people directly in each unit."""
    children = children_of(root, parents)
    order = top_down(root, children)
    totals = {key: max(0, direct.get(key, 0)) for key in order}
    for key in reversed(order):  # each unit after everything below it
        totals[key] += sum(totals[child] for child in children.get(key, ()) if child in totals)
    return totals


def shown_units(
    root: K, parents: Mapping[K, K | None], direct: Mapping[K, int], min_n: int = HR_MIN_N
) -> set[K]:
    """The units whose figures may be shown, decided once for the whole tree (see above)."""
    min_n = max(HR_MIN_N, min_n)
    children = children_of(root, parents)
    totals = subtree_totals(root, parents, direct)
    if totals[root] < min_n:
        return set()
    shown, queue = {root}, [root]
    while queue:
        current = queue.pop()
        kids = [k for k in children.get(current, ()) if k in totals and k not in shown]
        if not kids:
            continue
        labels = {f"u{n}": kid for n, kid in enumerate(kids)}
        slices = [Slice("*", None, totals[current])]
        slices += [Slice(label, "*", totals[kid]) for label, kid in labels.items()]
        for label in sorted(visible_slices(slices, min_n) - {"*"}):
            shown.add(labels[label])
            queue.append(labels[label])
    return shown


def remainders(
    shown: set[K], root: K, parents: Mapping[K, K | None], totals: Mapping[K, int]
) -> dict[K, int]:
    """For each shown unit, its people in none of its shown child units."""
    children = children_of(root, parents)
    return {
        key: totals[key] - sum(totals[c] for c in children.get(key, ()) if c in shown)
        for key in shown
    }
