"""Plain-language names for archetypes, and keeping them stable across refits.

Pure module: standard library, numpy and scipy only. An archetype is a *description* of a
region of the profile space ("self-scores above the organisation on Vision ..."), never a
type a person is: names are built only from centroid dimensions at least half a standard
deviation from the organisation (|z| >= 0.5), and say nothing about anything else.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment

NAME_THRESHOLD = 0.5
"""|z| a centroid dimension needs to appear in a name or description (half an SD)."""
MAX_NAME_WORDS = 4
"""Longest name, in words ("&" not counted): "High vision, low control"."""
MAX_DESCRIBED = 3
"""At most this many scales are listed on each side in a description."""
BALANCED_NAME = "Balanced profile"

PROTOTYPE_NAMES = {
    "strong_both": "Above {ref} at both",
    "leader_leaning": "Leading above {ref}, managing below",
    "manager_leaning": "Managing above {ref}, leading below",
    "developing": "Below {ref} at both",
}
"""The four theory archetypes, named against their reference so that they never read as a
verdict on the questionnaire's own scale ("strong", "developing" belong to the quadrant)."""

_OLD_PROTOTYPE_NAMES = {
    "Strong at both": "strong_both",
    "Leader-leaning": "leader_leaning",
    "Manager-leaning": "manager_leaning",
    "Developing": "developing",
}


def prototype_name(key: str, reference: str = "the organisation") -> str:
    """The name of a theory archetype, relative to its reference (average or midpoint)."""
    short = "the midpoint" if "midpoint" in reference else "average"
    return PROTOTYPE_NAMES[key].format(ref=short)


def prototype_description(key: str, reference: str = "the organisation") -> str:
    """One sentence on where a theory archetype sits compared with its reference."""
    if "midpoint" in reference:
        basis = "the middle of the answer scale"
    else:
        basis = "the average self-assessment in the organisation"
    sides = {
        "strong_both": "both leader and manager poles above",
        "leader_leaning": "leader poles above and manager poles below",
        "manager_leaning": "manager poles above and leader poles below",
        "developing": "both leader and manager poles below",
    }
    return f"Compared with {basis}: {sides[key]} it."


def current_name(key: str, stored: str) -> str:
    """A stored archetype name, with the theory names of older models put in today's words."""
    if _OLD_PROTOTYPE_NAMES.get(stored) == key:
        return prototype_name(key)
    return stored


def _label(name: str) -> str:
    # Lower-case inside a phrase ("High vision"), but keep acronyms such as "OKR focus".
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _join(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _words(text: str) -> int:
    return sum(1 for w in text.replace(",", " ").split() if w != "&")


def _phrase(high: Sequence[str], low: Sequence[str]) -> str:
    parts = []
    if high:
        parts.append("high " + " & ".join(_label(h) for h in high))
    if low:
        parts.append("low " + " & ".join(_label(w) for w in low))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def name_options(
    centroid_z: ArrayLike,
    scale_ids: Sequence[str],
    scale_names: Mapping[str, str] | None = None,
    *,
    threshold: float = NAME_THRESHOLD,
    reference: str = "the organisation",
    shape: bool = False,
) -> tuple[list[str], str]:
    """The names one centroid could take, best first, and its one-sentence description.

    The first is the name (the richest phrase of at most MAX_NAME_WORDS words); the others,
    up to two words longer, tell it apart from another archetype that would take the same
    name (see :func:`distinct_names`).
    """
    z = np.asarray(centroid_z, dtype=np.float64)
    if z.shape != (len(scale_ids),):
        raise ValueError("centroid and scale ids differ in length")
    names = [(scale_names or {}).get(s, s) for s in scale_ids]
    order = [int(i) for i in np.argsort(-np.abs(z), kind="stable")]
    hi = [i for i in order if z[i] >= threshold]
    lo = [i for i in order if z[i] <= -threshold]
    if not hi and not lo:
        return [BALANCED_NAME], f"Close to {reference} on every scale: no scale stands out."

    # Richest option first (top 1-2 strengths and the top weakness), then shorter ones,
    # the second term being whichever of strength 2 / weakness 1 is further from 0.
    options: list[tuple[list[int], list[int]]] = []
    if hi:
        options.append((hi[:2], lo[:1]))
        extra = [(True, i) for i in hi[1:2]] + [(False, i) for i in lo[:1]]
        for is_high, i in sorted(extra, key=lambda t: -abs(float(z[t[1]]))):
            options.append(([hi[0], i], []) if is_high else ([hi[0]], [i]))
        options.append((hi[:1], []))
    else:
        options += [(lo[:0], lo[:2]), (lo[:0], lo[:1])]
    phrases = [_phrase([names[i] for i in h], [names[i] for i in w]) for h, w in options]
    name = next((p for p in phrases if _words(p) <= MAX_NAME_WORDS), phrases[-1])
    longer = [p for p in phrases if p != name and _words(p) <= MAX_NAME_WORDS + 2]

    above = _join([names[i] for i in hi[:MAX_DESCRIBED]]) if hi else ""
    below = _join([names[i] for i in lo[:MAX_DESCRIBED]]) if lo else ""
    if shape:
        # Shape features are scores minus the person's own mean: say "relative", not "above".
        parts = [f"stronger on {above}" if above else "", f"weaker on {below}" if below else ""]
        text = ", ".join(p for p in parts if p)
        sentence = f"Compared with {reference}, relatively {text} than on their other scales."
    elif above and below:
        sentence = f"Self-scores above {reference} on {above}, below on {below}."
    elif above:
        sentence = f"Self-scores above {reference} on {above}."
    else:
        sentence = f"Self-scores below {reference} on {below}."
    return [name, *dict.fromkeys(longer)], sentence


def distinct_names(
    names: Sequence[str], options: Sequence[Sequence[str]], kept: Collection[int] = ()
) -> list[str]:
    """Names told apart by their longer options where two archetypes would share one.

    ``kept`` are positions whose names carry over from an earlier model and never change.
    The others, in order (largest archetype first), keep their name when it is free and
    otherwise take their first free option; when every option is taken the name is
    numbered ("High vision 2").
    """
    taken = {names[i] for i in kept}
    chosen = list(names)
    for i, name in enumerate(names):
        if i in kept:
            continue
        free = [n for n in (name, *options[i]) if n not in taken]
        number = 2
        while not free:
            free = [f"{name} {number}"] if f"{name} {number}" not in taken else []
            number += 1
        chosen[i] = free[0]
        taken.add(chosen[i])
    return chosen


def match_labels(
    old_centroids_z: ArrayLike,
    new_centroids_z: ArrayLike,
    *,
    max_distance: float | None = None,
) -> dict[int, int]:
    """Map new cluster index -> old index by minimum total Euclidean distance (Hungarian).

    With different numbers of clusters some new clusters stay unmatched (absent from the
    result) and get new names; ``max_distance`` also leaves out pairs farther apart than it.
    """
    old = np.atleast_2d(np.asarray(old_centroids_z, dtype=np.float64))
    new = np.atleast_2d(np.asarray(new_centroids_z, dtype=np.float64))
    if old.size == 0 or new.size == 0:
        return {}
    if old.shape[1] != new.shape[1]:
        raise ValueError("old and new centroids have different dimensions")
    cost = np.sqrt(((new[:, None, :] - old[None, :, :]) ** 2).sum(axis=2))
    rows, cols = linear_sum_assignment(cost)
    return {
        int(r): int(c)
        for r, c in zip(rows, cols, strict=True)
        if max_distance is None or cost[r, c] <= max_distance
    }
