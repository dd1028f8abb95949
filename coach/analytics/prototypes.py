"""Theory prototypes: the four archetypes used below the minimum population (docs/methods.md).

Pure module: standard library and numpy only. With too few profiles to find structure the
product describes people by where they sit relative to the organisation on the two pole
families: above or below it on leading, on managing, or on both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np

from coach.analytics.assignment import FloatArray, nearest
from coach.analytics.model import ArchetypeModel
from coach.analytics.naming import prototype_description, prototype_name

PROTOTYPE_Z = 0.8
"""Prototype pole offset in SDs: E[z | z > 0] of a standard normal (0.798), i.e. the mean of
the upper half of the organisation, so prototypes sit where their quadrant's people do."""
MIN_NORMING_N = 30
"""Fewer complete profiles and prototypes are anchored on the response scale, not the data."""

PoleName = Literal["leader", "manager"] | None
_PROTOTYPES = (
    ("strong_both", +1, +1),
    ("leader_leaning", +1, -1),
    ("manager_leaning", -1, +1),
    ("developing", -1, -1),
)


def prototype_model(
    complete: FloatArray,
    scale_ids: tuple[str, ...],
    pole_of: Mapping[str, PoleName] | None,
    scale_range: tuple[float, float],
    n_excluded: int,
    version: int,
    seed: int,
) -> ArchetypeModel:
    """Four theory prototypes in z-space: leader poles and manager poles each at +/-0.8 SD.

    Non-pole features sit at 0, so only the poles decide; nearest-prototype assignment is
    then exactly the quadrant of (mean leader z, mean manager z) around the organisation's
    mean. Raw centroids are mean + z * SD, from the data with >= MIN_NORMING_N profiles,
    else from the response scale (midpoint, range / 6), which is a stated convention.
    """
    poles = pole_of or {}
    leader = [i for i, s in enumerate(scale_ids) if poles.get(s) == "leader"]
    manager = [i for i, s in enumerate(scale_ids) if poles.get(s) == "manager"]
    if not leader or not manager:
        raise ValueError("prototypes need pole_of to name at least one leader and one manager pole")
    d = len(scale_ids)
    low, high = scale_range
    means = np.full(d, (low + high) / 2.0)
    sds = np.full(d, (high - low) / 6.0)
    reference = "the scale midpoint"
    if complete.shape[0] >= MIN_NORMING_N:
        data_sd = complete.std(axis=0, ddof=1)
        means = complete.mean(axis=0)
        sds = np.where(data_sd > 0, data_sd, sds)
        reference = "the organisation"
    centroids = np.zeros((4, d))
    for j, (_, lead, man) in enumerate(_PROTOTYPES):
        centroids[j, leader] = lead * PROTOTYPE_Z
        centroids[j, manager] = man * PROTOTYPE_Z
    z = (complete - means) / sds
    sizes = np.bincount(nearest(z, centroids)[0], minlength=4) if len(z) else np.zeros(4, int)
    return ArchetypeModel(
        version=version,
        kind="prototypes",
        k=4,
        scale_ids=scale_ids,
        shape=False,
        feature_means=tuple(float(v) for v in means),
        feature_sds=tuple(float(v) for v in sds),
        centroids_z=tuple(tuple(float(v) for v in c) for c in centroids),
        centroids_raw=tuple(tuple(float(v) for v in c) for c in means + centroids * sds),
        variances_z=None,
        weights=None,
        sizes=tuple(int(v) for v in sizes),
        n_profiles=int(complete.shape[0]),
        n_excluded=n_excluded,
        keys=tuple(p[0] for p in _PROTOTYPES),
        names=tuple(prototype_name(p[0], reference) for p in _PROTOTYPES),
        descriptions=tuple(prototype_description(p[0], reference) for p in _PROTOTYPES),
        structure="not_fitted",
        quality=None,
        seed=seed,
    )
