"""Model selection for archetypes: candidate fits, BIC, silhouette and bootstrap stability.

Pure module: numpy and scikit-learn only; used by :mod:`coach.analytics.archetypes`.
Everything here works on already z-scored feature rows.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from coach.analytics.assignment import FloatArray, IntArray, gmm_predict, nearest

N_INIT = 10
"""KMeans restarts for each candidate (docs/methods.md "Archetypes": n_init >= 10)."""
BOOTSTRAP_N_INIT = 3
"""KMeans restarts inside each bootstrap refit: fewer, for cost; a conservative choice,
since a worse local optimum can only lower the measured stability."""
MIN_SHARE = 0.05
"""Smallest cluster must hold at least this share of the profiles."""
STABILITY_MIN = 0.75
"""Mean adjusted Rand index over bootstrap refits a candidate needs."""
_SILHOUETTE_CHUNK = 512


@dataclass(eq=False)
class Fitted:
    """A fitted candidate's parameters as plain arrays (no sklearn object kept)."""

    kind: str
    k: int
    means: FloatArray
    variances: FloatArray | None
    weights: FloatArray | None
    labels: IntArray
    bic: float


def kmeans_bic(z: FloatArray, labels: IntArray, centres: FloatArray) -> float:
    """Approximate BIC of a KMeans solution (lower is better).

    KMeans is the hard-assignment (classification EM) version of a Gaussian mixture with one
    shared spherical variance (Celeux & Govaert 1992), so we score it with that model's
    classification log-likelihood, as X-means does (Pelleg & Moore 2000):
    logL = sum_j n_j log(n_j / n) - n d / 2 * log(2 pi s2) - n d / 2, s2 = inertia / (n d),
    with k d means + 1 variance + (k - 1) weights as parameters.
    """
    n, d = z.shape
    k = centres.shape[0]
    inertia = float(((z - centres[labels]) ** 2).sum())
    s2 = max(inertia / (n * d), 1e-12)
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    counts = counts[counts > 0]
    log_l = float((counts * np.log(counts / n)).sum()) - n * d / 2 * (
        math.log(2 * math.pi * s2) + 1
    )
    params = k * d + 1 + (k - 1)
    return float(-2.0 * log_l + params * math.log(n))


def silhouettes(z: FloatArray, labelings: Sequence[IntArray]) -> list[float | None]:
    """Mean silhouette (Euclidean) of several labelings of the same rows, in one pass.

    Same definition as sklearn.metrics.silhouette_score (singletons score 0), but distances
    are computed once and shared by all labelings instead of once per candidate, which
    cuts the per-k table's cost ~10x. None where a labeling has fewer than 2 clusters.
    """
    n = z.shape[0]
    onehots, counts, valid = [], [], []
    for lab in labelings:
        k = int(lab.max()) + 1 if lab.size else 0
        h = np.zeros((n, k))
        h[np.arange(n), lab] = 1.0
        onehots.append(h)
        counts.append(h.sum(axis=0))
        valid.append(2 <= int((counts[-1] > 0).sum()) <= n - 1)
    if not any(valid):
        return [None] * len(labelings)
    stacked = np.hstack(onehots)
    bounds = np.cumsum([0] + [h.shape[1] for h in onehots])
    sq = (z**2).sum(axis=1)
    totals = [np.zeros(n) for _ in labelings]
    for start in range(0, n, _SILHOUETTE_CHUNK):
        stop = min(start + _SILHOUETTE_CHUNK, n)
        d2 = sq[start:stop, None] + sq[None, :] - 2.0 * (z[start:stop] @ z.T)
        dist = np.sqrt(np.maximum(d2, 0.0))
        rows = np.arange(stop - start)
        dist[rows, rows + start] = 0.0  # exact zero self-distance, as sklearn has
        sums = dist @ stacked
        for j, lab in enumerate(labelings):
            if not valid[j]:
                continue
            s = sums[:, bounds[j] : bounds[j + 1]]
            c = counts[j]
            own = lab[start:stop]
            own_n = c[own] - 1.0
            a = np.where(own_n > 0, s[rows, own] / np.maximum(own_n, 1.0), 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                other = s / c[None, :]
            other[rows, own] = np.inf
            other[:, c == 0] = np.inf
            b = other.min(axis=1)
            denom = np.maximum(a, b)
            sil = np.where(
                (own_n > 0) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1.0), 0.0
            )
            totals[j][start:stop] = sil
    return [float(t.mean()) if ok else None for t, ok in zip(totals, valid, strict=True)]


def _kmeans(z: FloatArray, k: int, n_init: int, seed: int) -> KMeans:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(z)


def _gmm(
    z: FloatArray, k: int, centres: FloatArray, labels: IntArray, seed: int
) -> GaussianMixture:
    # Started from the KMeans partition (weights, centres, within-cluster variances): this
    # skips GaussianMixture's own hidden k-means init, and ties the two candidate families
    # to the same partition so that their comparison is about the model.
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    weights = np.maximum(counts, 1.0) / np.maximum(counts, 1.0).sum()
    variances = np.ones_like(centres)
    for j in range(k):
        if counts[j] > 1:
            variances[j] = ((z[labels == j] - centres[j]) ** 2).mean(axis=0)
    variances = np.maximum(variances, 1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(
            n_components=k,
            covariance_type="diag",
            init_params="random_from_data",  # cheap; overridden by the three inits below
            weights_init=weights,
            means_init=centres,
            precisions_init=1.0 / variances,
            random_state=seed,
        ).fit(z)


def fit_pair(z: FloatArray, k: int, seed: int) -> tuple[Fitted, Fitted]:
    """KMeans (n_init=10) and a diagonal GaussianMixture with k clusters, with their BICs."""
    km = _kmeans(z, k, N_INIT, seed)
    centres = np.asarray(km.cluster_centers_, dtype=np.float64)
    km_labels = np.asarray(km.labels_, dtype=np.int64)
    gm = _gmm(z, k, centres, km_labels, seed)
    weights = np.asarray(gm.weights_, dtype=np.float64)
    means = np.asarray(gm.means_, dtype=np.float64)
    variances = np.asarray(gm.covariances_, dtype=np.float64)
    return (
        Fitted("kmeans", k, centres, None, None, km_labels, kmeans_bic(z, km_labels, centres)),
        Fitted(
            "gmm",
            k,
            means,
            variances,
            weights,
            gmm_predict(z, weights, means, variances),
            float(gm.bic(z)),
        ),
    )


def min_share(labels: IntArray, k: int) -> float:
    """Share of rows in the smallest of k clusters (0 for an empty one)."""
    return float(np.bincount(labels, minlength=k).min()) / max(len(labels), 1)


def stability(
    z: FloatArray,
    pair: tuple[Fitted, Fitted],
    *,
    resamples: int,
    max_rows: int,
    rng: np.random.Generator,
    skip: tuple[bool, bool] = (False, False),
) -> list[tuple[float | None, int]]:
    """Bootstrap stability of a (KMeans, GMM) pair: (mean ARI, resamples run) for each.

    Each resample draws min(n, max_rows) rows with replacement (an m-out-of-n bootstrap for
    large n, to bound cost), refits the same procedure and predicts every row of ``z``; the
    ARI against the candidate's own labels is averaged. A family stops early once even
    perfect agreement on the remaining resamples could not lift its mean to STABILITY_MIN.
    """
    k = pair[0].k
    n = z.shape[0]
    m = min(n, max_rows)
    sums = [0.0, 0.0]
    runs = [0, 0]
    active = [not skip[0], not skip[1]]
    for _ in range(resamples):
        if not any(active):
            break
        rows = z[rng.integers(0, n, m)]
        seed = int(rng.integers(0, 2**31 - 1))
        km = _kmeans(rows, k, BOOTSTRAP_N_INIT, seed)
        centres = np.asarray(km.cluster_centers_, dtype=np.float64)
        for f in range(2):
            if not active[f]:
                continue
            if f == 0:
                predicted = nearest(z, centres)[0]
            else:
                boot_labels = np.asarray(km.labels_, dtype=np.int64)
                gm = _gmm(rows, k, centres, boot_labels, seed)
                predicted = np.asarray(gm.predict(z), dtype=np.int64)
            sums[f] += float(adjusted_rand_score(pair[f].labels, predicted))
            runs[f] += 1
            if (sums[f] + (resamples - runs[f])) / resamples < STABILITY_MIN:
                active[f] = False
    return [(sums[f] / runs[f] if runs[f] else None, runs[f]) for f in range(2)]
