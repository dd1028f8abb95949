"""Which HR figures may be shown, decided for the whole table HR can reach at once.

Pure module: standard library only; the floor is ``HR_MIN_N`` (5). docs/disclosure.md
explains the model; in short, every HR figure is a sum over a set of people (a mean with
its n, or a count), and a viewer who can reach several figures can add and subtract them.
A group of 1 to ``floor - 1`` people is disclosed when its indicator is a linear
combination of the indicators of shown sets.

Two structures are protected here, each exactly:

``shown_units``
    The units (each with everything below it) whose figure for one variable is shown, over
    the *whole* unit tree, so the same family serves every view. The family is laminar
    (two units are nested or disjoint) and every shown unit's remainder (its people minus
    those of its shown child units) is 0 or at least ``floor``. The remainders are the
    atoms of the family (the classes of people that no shown figure tells apart), so every
    linear combination of shown figures is a sum over whole atoms: never 1..floor-1 people.
    Any sub-family keeps the property (hiding a unit merges its atom into its parent's).

``shown_categories``
    Counts of a classification (quadrants, index bands, archetypes) shown for the whole
    organisation next to the unit family. Left nodes are the unit family's atoms, right
    nodes the shown categories plus one node for everything not shown ("ground"); each
    non-empty (atom, category) cell is an edge weighted by its people. A set of cells is
    the difference of shown figures exactly when it is the cut of a node set S that is
    closed under "a category in S brings every atom touching it" (the cut edges run from
    an atom in S to a category outside S). So a cut of 1..floor-1 people is a disclosure;
    with few categories every S is enumerated (its smallest form: the categories in S and
    the atoms they force), and shown categories are merged into ground until none is left.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, TypeVar

from coach.scoring.hr_anonymity import HR_MIN_N

K = TypeVar("K", bound=Hashable)
C = TypeVar("C", bound=Hashable)
GROUND = "__not_shown__"
"""The right node of the people whose category is not shown."""


def children_of(parents: Mapping[K, K | None]) -> tuple[list[K], dict[K, list[K]]]:
    """Roots and each unit's children (a parent outside the mapping makes a root)."""
    roots: list[K] = []
    children: dict[K, list[K]] = {k: [] for k in parents}
    for key, parent in parents.items():
        if parent is None or parent not in parents:
            roots.append(key)
        else:
            children[parent].append(key)
    return roots, children


@dataclass(frozen=True)
class Tree(Generic[K]):
    """A unit tree walked once: its roots, each unit's children, and a top-down order."""

    roots: list[K]
    children: dict[K, list[K]]
    order: list[K]

    @classmethod
    def of(cls, parents: Mapping[K, K | None]) -> Tree[K]:
        """The tree of a parent mapping; a loop in bad data is never reached, never walked."""
        roots, children = children_of(parents)
        order, seen = list(roots), set(roots)
        for key in order:
            fresh = [c for c in children[key] if c not in seen]
            seen.update(fresh)
            order.extend(fresh)
        return cls(roots, children, order)


def shown_units(
    parents: Mapping[K, K | None] | Tree[K], counts: Mapping[K, int], floor: int = HR_MIN_N
) -> set[K]:
    """The units whose figure is shown: laminar, ancestor-closed, every remainder 0 or >= floor.

    Each unit keeps the children with at least ``floor`` people; while the people left in
    none of them number 1..floor-1, its smallest kept child is given up (ties by key). Then
    a unit is shown when its parent is (the top when it has ``floor`` people).
    """
    floor = max(HR_MIN_N, floor)
    tree = parents if isinstance(parents, Tree) else Tree.of(parents)
    kept: dict[K, list[K]] = {}
    for unit in reversed(tree.order):  # each unit after everything below it
        n = counts.get(unit, 0)
        if n < floor:
            continue  # never shown, so whatever it keeps is never reached
        candidates = [c for c in tree.children[unit] if counts.get(c, 0) >= floor]
        remainder = n - sum(counts[c] for c in candidates)
        if candidates and 0 < remainder < floor:
            candidates.sort(key=lambda c: (counts[c], str(c)))
            while candidates and 0 < remainder < floor:
                remainder += counts[candidates.pop(0)]
        kept[unit] = candidates
    shown: set[K] = set()
    stack = [r for r in tree.roots if counts.get(r, 0) >= floor]
    while stack:
        unit = stack.pop()
        shown.add(unit)
        stack.extend(kept.get(unit, []))
    return shown


def atoms(
    parents: Mapping[K, K | None] | Tree[K], shown: set[K], cells: Mapping[K, Mapping[C, int]]
) -> list[dict[C, int]]:
    """Each shown unit's remainder, as counts per category.

    ``cells`` holds each unit's counts (the unit with everything below it) per category.
    """
    tree = parents if isinstance(parents, Tree) else Tree.of(parents)
    remainders: list[dict[C, int]] = []
    for unit in shown:
        own = dict(cells.get(unit, {}))
        for child in tree.children[unit]:
            if child in shown:
                for category, n in cells.get(child, {}).items():
                    own[category] = own.get(category, 0) - n
        remainders.append({c: n for c, n in own.items() if n > 0})
    return remainders


def _by_support(remainders: Iterable[Mapping[C | str, int]]) -> list[dict[C | str, int]]:
    """Atoms touching the same categories add up: a cut treats them alike."""
    grouped: dict[frozenset[C | str], dict[C | str, int]] = {}
    for cells in remainders:
        support = frozenset(c for c, n in cells.items() if n > 0)
        if support:
            total = grouped.setdefault(support, {})
            for category in support:
                total[category] = total.get(category, 0) + cells[category]
    return list(grouped.values())


def _smallest_cut(
    remainders: Sequence[Mapping[C | str, int]], nodes: Sequence[C | str], floor: int
) -> set[C | str] | None:
    """A closed set of categories whose cut holds 1..floor-1 people, or None."""
    grouped = _by_support(remainders)
    for size in range(1, len(nodes)):
        for chosen in combinations(nodes, size):
            inside = set(chosen)
            cut = sum(
                n
                for cells in grouped
                if not inside.isdisjoint(cells)
                for c, n in cells.items()
                if c not in inside
            )
            if 0 < cut < floor:
                return inside
    return None


def partition_shown(total: int, cells: Mapping[str, int], floor: int = HR_MIN_N) -> set[str]:
    """Cells of one shown total (a partition of it) that may be shown with their counts.

    The single-set case of ``shown_categories``: a cell under ``floor`` is hidden, and so
    are more cells (smallest first) while the people in no shown cell number 1..floor-1.
    """
    floor = max(HR_MIN_N, floor)
    shown = {k for k, n in cells.items() if n >= floor}
    while shown and 0 < total - sum(cells[k] for k in shown) < floor:
        shown.discard(min(shown, key=lambda k: (cells[k], k)))
    return shown


def shown_categories(
    remainders: Sequence[Mapping[C, int]], categories: Iterable[C], floor: int = HR_MIN_N
) -> set[C]:
    """The categories whose organisation-wide count may be shown beside the unit family.

    ``remainders`` are the unit family's atoms (from ``atoms``); people of a category not
    in ``categories`` (or with none) belong to ground. Categories below ``floor`` start
    hidden; then, while some closed set has a cut of 1..floor-1 people, the smallest shown
    category on the far side of ground is hidden as well.
    """
    floor = max(HR_MIN_N, floor)
    wanted = list(categories)
    totals = {c: sum(r.get(c, 0) for r in remainders) for c in wanted}
    shown = {c for c in wanted if totals[c] >= floor}
    while shown:
        merged: list[dict[C | str, int]] = []
        for cells in remainders:
            row: dict[C | str, int] = {}
            for category, n in cells.items():
                key: C | str = category if category in shown else GROUND
                row[key] = row.get(key, 0) + n
            merged.append(row)
        nodes: list[C | str] = [c for c in wanted if c in shown]
        if any(GROUND in row for row in merged):
            nodes.append(GROUND)
        inside = _smallest_cut(merged, nodes, floor)
        if inside is None:
            return shown
        side = [c for c in shown if (c in inside) != (GROUND in inside)]
        victim = min(side or shown, key=lambda c: (totals[c], str(c)))
        shown.discard(victim)
    return shown
