"""Which units of the whole organisation tree may show a head count and the figures on it.

Pure module: standard library only. Used for figures that do not depend on any filter (the
development-plan counts): one decision over the whole tree, so a unit is shown in every
view or in none, whichever unit's page HR opens.

The rule is the analytics dashboard's (``coach.scoring.hr_disclosure.shown_units``) applied
to people with a plan: the organisation is shown from ``HR_MIN_N`` people; each unit keeps
the children with at least HR_MIN_N and gives up its smallest kept child while the people
in none of them (its remainder) number 1 to HR_MIN_N - 1; below a hidden unit nothing is
shown.

So the shown units are ancestor-closed (each shown unit's parent is shown) and, being whole
subtrees, nested or disjoint; the figures of any shown units, added and subtracted in any
way, describe unions of remainders, each 0 or at least HR_MIN_N people.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from coach.scoring.hr_anonymity import HR_MIN_N
from coach.scoring.hr_disclosure import Tree
from coach.scoring.hr_disclosure import children_of as _children_of
from coach.scoring.hr_disclosure import shown_units as whole_tree_shown

K = TypeVar("K", bound=Hashable)


def children_of(root: K, parents: Mapping[K, K | None]) -> dict[K, list[K]]:
    """Each unit's child units; a unit whose parent is unknown hangs from the root."""
    return _children_of(_rooted(root, parents))[1]


def _rooted(root: K, parents: Mapping[K, K | None]) -> dict[K, K | None]:
    """The tree with every unit whose parent is unknown hung from the root."""
    tree: dict[K, K | None] = {root: None}
    for key, parent in parents.items():
        if key != root:
            tree[key] = parent if parent is not None and parent in parents else root
    return tree


def subtree_totals(tree: Tree[K], direct: Mapping[K, int]) -> dict[K, int]:
    """People in each unit and everything below it, from the people directly in each unit.

    People counted in a unit the tree does not hold are counted at its first root (the
    organisation), so nobody is left out of the total.
    """
    totals = {key: max(0, direct.get(key, 0)) for key in tree.order}
    if tree.roots:
        totals[tree.roots[0]] += sum(max(0, n) for k, n in direct.items() if k not in totals)
    for key in reversed(tree.order):  # each unit after everything below it
        totals[key] += sum(totals[child] for child in tree.children[key])
    return totals


def shown_units(
    root: K, parents: Mapping[K, K | None], direct: Mapping[K, int], min_n: int = HR_MIN_N
) -> set[K]:
    """The units whose figures may be shown, decided once for the whole tree (see above)."""
    tree = Tree.of(_rooted(root, parents))
    return whole_tree_shown(tree, subtree_totals(tree, direct), min_n)


def remainders(
    shown: set[K], root: K, parents: Mapping[K, K | None], totals: Mapping[K, int]
) -> dict[K, int]:
    """For each shown unit, its people in none of its shown child units."""
    children = children_of(root, parents)
    return {
        key: totals[key] - sum(totals[c] for c in children.get(key, ()) if c in shown)
        for key in shown
    }
