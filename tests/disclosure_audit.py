"""An independent auditor for published sums: which small groups of people they reveal.

Test helper, shared by the 360 report and the HR auditors. It knows nothing about how the
application decides what to show; it only looks at what was shown.

Model: each shown figure is the sum (mean times n, since n is shown too) of one value per
member of a set. Anyone can add and subtract figures, so the attacker learns every linear
combination of them. A group ``g`` of people is *disclosed* when the sum over ``g`` alone is
one of those combinations, that is when the indicator vector of ``g`` lies in the span of
the shown sets' indicator vectors: rank([A; g]) == rank(A).

Members of a shown set that are outside ``universe`` (for example an exempt manager) are
treated as already known to the attacker: they are projected away, which can only make the
attacker stronger, so a clean result stays clean under any knowledge of them.

Every vector in the span is constant on an *atom* (the members that belong to exactly the
same shown sets), so only unions of atoms can be disclosed; the search runs over those.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import combinations

import numpy as np

Weights = Mapping[Hashable, float]
"""A linear combination of unknowns: unknown -> coefficient (missing means 0)."""


def atoms(
    shown_sets: Sequence[Iterable[Hashable]], universe: Iterable[Hashable]
) -> list[frozenset]:
    """The universe split into classes of members that lie in exactly the same shown sets."""
    sets = [frozenset(s) for s in shown_sets]
    classes: dict[tuple[bool, ...], set[Hashable]] = {}
    for member in universe:
        classes.setdefault(tuple(member in s for s in sets), set()).add(member)
    return sorted(
        (frozenset(c) for c in classes.values()), key=lambda a: (len(a), sorted(map(repr, a)))
    )


def in_span(rows: Sequence[Sequence[float]], vector: Sequence[float]) -> bool:
    """True when ``vector`` is a linear combination of ``rows`` (rank test over numpy)."""
    target = np.asarray(vector, dtype=float)
    if not np.any(target):
        return True
    if len(rows) == 0:
        return False
    matrix = np.asarray(rows, dtype=float)
    return bool(np.linalg.matrix_rank(np.vstack([matrix, target])) == np.linalg.matrix_rank(matrix))


def disclosed_groups(
    shown_sets: list[frozenset[Hashable]], universe: set[Hashable], floor: int
) -> list[frozenset[Hashable]]:
    """Every group of 1..floor-1 members of ``universe`` whose sum the shown sets determine."""
    projected = [frozenset(s) & frozenset(universe) for s in shown_sets]
    parts = atoms(projected, universe)
    rows = [[1.0 if part <= s else 0.0 for part in parts] for s in projected]
    found = []
    # A group of fewer than ``floor`` members is a union of at most floor - 1 atoms, each
    # smaller than ``floor``: only those are tried (the rest cannot add up to such a group).
    small = [i for i, part in enumerate(parts) if len(part) < floor]
    for size in range(1, min(len(small), floor - 1) + 1):
        for chosen in combinations(small, size):
            members = sum(len(parts[i]) for i in chosen)
            if not 0 < members < floor:
                continue
            vector = [1.0 if i in chosen else 0.0 for i in range(len(parts))]
            if in_span(rows, vector):
                found.append(frozenset().union(*(parts[i] for i in chosen)))
    return found


def determined(shown: Sequence[Weights], secrets: Mapping[Hashable, Weights]) -> list[Hashable]:
    """The names of the ``secrets`` (linear combinations) that the ``shown`` ones determine.

    The general form of the test, for figures that are weighted sums (a scale mean is a
    weighted sum of a rater's item answers): each secret is checked by rank against the
    shown combinations, over every unknown either mentions.
    """
    unknowns = sorted({u for w in (*shown, *secrets.values()) for u in w}, key=lambda u: repr(u))
    index = {u: i for i, u in enumerate(unknowns)}

    def row(weights: Weights) -> list[float]:
        out = [0.0] * len(unknowns)
        for unknown, coefficient in weights.items():
            out[index[unknown]] += coefficient
        return out

    if not secrets:
        return []
    wanted = np.asarray([row(w) for w in secrets.values()], dtype=float)
    if not shown:
        basis = np.zeros((0, len(unknowns)))
    else:
        # An orthonormal basis of the row space; a secret is determined exactly when its
        # projection onto that space gives it back (the rank test, for all secrets at once).
        _u, singular, vt = np.linalg.svd(np.asarray([row(w) for w in shown], dtype=float))
        tolerance = max(singular.max(initial=0.0) * max(vt.shape) * 1e-10, 1e-12)
        basis = vt[: int(np.sum(singular > tolerance))]
    residual = wanted - wanted @ basis.T @ basis
    names = list(secrets)
    return [names[k] for k in range(len(names)) if np.linalg.norm(residual[k]) < 1e-7]
