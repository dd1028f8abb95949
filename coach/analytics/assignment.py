"""Assigning people to a stored archetype model: pure numpy, microseconds per profile.

Pure module: standard library and numpy only, so a web request can assign a person without
importing scikit-learn; the distances and the mixture's predict are computed from the
parameters stored in :class:`~coach.analytics.model.ArchetypeModel`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from coach.analytics.model import ArchetypeModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def nearest(z: FloatArray, centres: FloatArray) -> tuple[IntArray, FloatArray]:
    """Index of and squared Euclidean distance to the nearest centre, NaN dims ignored."""
    # Expanded square (|z|^2 - 2 z.c + |c|^2 over observed dims) keeps memory at n x k.
    observed = (~np.isnan(z)).astype(np.float64)
    z0 = np.nan_to_num(z, nan=0.0)
    d2 = (z0**2).sum(axis=1)[:, None] - 2.0 * (z0 @ centres.T) + observed @ (centres**2).T
    d2 = np.maximum(d2, 0.0)
    idx = d2.argmin(axis=1)
    return idx.astype(np.int64), d2[np.arange(len(z)), idx]


def gmm_predict(
    z: FloatArray, weights: FloatArray, means: FloatArray, variances: FloatArray
) -> IntArray:
    """Most probable component of a diagonal Gaussian mixture; NaN dims are marginalised."""
    # A diagonal Gaussian's marginal over the observed dimensions just drops the others;
    # the quadratic form is expanded as in ``nearest`` to stay n x k in memory.
    observed = (~np.isnan(z)).astype(np.float64)
    z0 = np.nan_to_num(z, nan=0.0)
    precision = 1.0 / variances
    quad = (z0**2) @ precision.T - 2.0 * (z0 @ (means * precision).T)
    quad += observed @ (means**2 * precision).T
    log_det = observed @ np.log(2.0 * math.pi * variances).T
    log_p = np.log(weights)[None, :] - 0.5 * (log_det + quad)
    best: IntArray = log_p.argmax(axis=1).astype(np.int64)
    return best


def features(raw: FloatArray, shape: bool) -> FloatArray:
    """The clustering features of raw profiles: as is, or minus each row's own mean."""
    if not shape:
        return raw
    counts = (~np.isnan(raw)).sum(axis=1, keepdims=True)
    row_mean = np.nansum(raw, axis=1, keepdims=True) / np.maximum(counts, 1)
    centred: FloatArray = raw - row_mean
    return centred


def _z(model: ArchetypeModel, profiles: ArrayLike) -> FloatArray:
    raw = np.atleast_2d(np.asarray(profiles, dtype=np.float64))
    if raw.shape[1] != len(model.scale_ids):
        raise ValueError(f"profiles have {raw.shape[1]} scales, the model {len(model.scale_ids)}")
    return (features(raw, model.shape) - model.means_array) / model.sds_array


def assign_many(model: ArchetypeModel, profiles: ArrayLike) -> tuple[IntArray, FloatArray]:
    """Archetype index and z-space distance to its centroid for each profile (row).

    Scales left blank (NaN) are ignored; the distance is rescaled by sqrt(d / d_observed) so
    it stays comparable. A profile with no scale at all gets index -1 and distance NaN.
    GMM models pick the most probable component; the distance is still Euclidean.
    """
    z = _z(model, profiles)
    centres = model.centroids_array
    idx, d2 = nearest(z, centres)
    if model.kind == "gmm":
        assert model.variances_array is not None and model.weights_array is not None
        idx = gmm_predict(z, model.weights_array, centres, model.variances_array)
        diff = np.nan_to_num(z - centres[idx], nan=0.0)
        d2 = (diff**2).sum(axis=1)
    observed = (~np.isnan(z)).sum(axis=1)
    dist = np.sqrt(d2 * z.shape[1] / np.maximum(observed, 1))
    idx = np.where(observed > 0, idx, -1).astype(np.int64)
    return idx, np.where(observed > 0, dist, np.nan)


def assign(
    model: ArchetypeModel, profile: Sequence[float | None] | Mapping[str, float | None]
) -> tuple[int, float]:
    """Archetype index and distance for one profile (in scale_ids order, or by scale id)."""
    if isinstance(profile, Mapping):
        row = [profile.get(s) for s in model.scale_ids]
    else:
        row = list(profile)
    values = [np.nan if v is None else float(v) for v in row]
    idx, dist = assign_many(model, [values])
    if idx[0] < 0:
        raise ValueError("the profile has no scale score")
    return int(idx[0]), float(dist[0])
