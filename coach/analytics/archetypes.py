"""Archetypes: groups of similar profiles found by clustering, frozen as a versioned model.

Pure module: standard library, numpy, scipy and scikit-learn only; fit in a command or a
background job, never inside a request. Archetypes are *descriptions* of where profiles
cluster in this organisation, not types people belong to: a model says how clear the
structure is (``structure``), and with weak structure the names describe regions of a
continuum, not groups.

Procedure (docs/methods.md "Archetypes"): features are z-scored scale scores (optionally the
profile shape, i.e. scores minus the person's own mean). For each k a KMeans (n_init=10) and a
diagonal GaussianMixture are fitted on at most ``fit_rows`` randomly chosen profiles (all of
them when fewer; 20,000 are ample to locate <= 8 centroids in 18 dimensions and bound the
cost, see bench/README.md, "Where the recluster's time goes"). A candidate is *eligible* when
its smallest cluster holds >= 5% of profiles and its bootstrap stability (mean ARI) is
>= .75; the eligible candidate with the lowest BIC wins. If none is eligible the lowest BIC
wins and the structure is "weak". Otherwise structure follows the winner's silhouette in
Kaufman & Rousseeuw's (1990) bands: >= .50 "clear", >= .25 "moderate", below "weak". BIC is
the GMM's own; KMeans gets the classification BIC of a spherical equal-variance mixture
(``clustering.kmeans_bic``). Silhouettes use one seeded sample of at most
``silhouette_sample`` fitted rows, shared by all candidates. Stability refits each candidate
on ``bootstrap`` resamples (10 by default: each is a full refit, the costliest step of the
fit) of at most ``bootstrap_rows`` rows and predicts the fitted rows
(``clustering.stability``).

Threads: scikit-learn's OpenMP threads spin-wait when the cores are shared (pytest-xdist,
other jobs), which makes a fit several times slower than with one thread (bench/README.md).
Callers should wrap the call in ``threadpoolctl.threadpool_limits(1)`` (threadpoolctl is a
scikit-learn dependency, but not one this pure package may import).

Below ``min_population`` complete profiles four theory prototypes replace clustering
(:mod:`coach.analytics.prototypes`). Assignment is pure numpy from the stored parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from coach.analytics.assignment import (
    FloatArray,
    assign,
    assign_many,
    features,
    gmm_predict,
    nearest,
)
from coach.analytics.clustering import (
    MIN_SHARE,
    STABILITY_MIN,
    Fitted,
    fit_pair,
    min_share,
    silhouettes,
    stability,
)
from coach.analytics.model import ArchetypeModel, CandidateFit, FitQuality, Structure
from coach.analytics.naming import distinct_names, match_labels, name_options
from coach.analytics.prototypes import PROTOTYPE_Z, PoleName, prototype_model

__all__ = [
    "CLEAR_SILHOUETTE",
    "MODERATE_SILHOUETTE",
    "PROTOTYPE_Z",
    "ArchetypeModel",
    "PoleName",
    "assign",
    "assign_many",
    "fit_archetypes",
    "match_labels",
]

CLEAR_SILHOUETTE = 0.50
"""Silhouette from which structure is "clear" (Kaufman & Rousseeuw: reasonable structure)."""
MODERATE_SILHOUETTE = 0.25
"""Silhouette from which structure is "moderate"; below it "weak" (no substantial structure)."""


def _progress(progress: Callable[[str], None] | None, message: str) -> None:
    if progress is not None:
        progress(message)


def _structure(criteria_met: bool, silhouette: float | None) -> Structure:
    if not criteria_met or silhouette is None or silhouette < MODERATE_SILHOUETTE:
        return "weak"
    return "clear" if silhouette >= CLEAR_SILHOUETTE else "moderate"


def _keys_and_names(
    centroids_z: FloatArray,
    means: FloatArray,
    sds: FloatArray,
    scale_ids: tuple[str, ...],
    scale_names: Mapping[str, str] | None,
    shape: bool,
    previous: ArchetypeModel | None,
) -> tuple[list[str], list[str], list[str]]:
    generated = [name_options(c, scale_ids, scale_names, shape=shape) for c in centroids_z]
    keys = [""] * len(generated)
    names = [g[0][0] for g in generated]
    if (
        previous is not None
        and previous.kind != "prototypes"
        and previous.scale_ids == scale_ids
        and previous.shape == shape
    ):
        # Compare in the *new* z-space: the old raw centroids re-standardised with the new
        # means/SDs, so a drift in the population does not read as a moved cluster.
        old_z = (np.asarray(previous.centroids_raw) - means) / sds
        for new, old in match_labels(old_z, centroids_z).items():
            keys[new], names[new] = previous.keys[old], previous.names[old]
    used = {int(k[1:]) for k in (previous.keys if previous else ()) if k[1:].isdigit()}
    counter = max(used, default=0)
    kept = [i for i, key in enumerate(keys) if key]  # matched to the earlier model's
    for i, key in enumerate(keys):
        if not key:
            counter += 1
            keys[i] = f"c{counter}"
    return keys, distinct_names(names, [g[0] for g in generated], kept), [g[1] for g in generated]


def fit_archetypes(
    profiles: ArrayLike,
    scale_ids: Sequence[str],
    *,
    pole_of: Mapping[str, PoleName] | None = None,
    scale_names: Mapping[str, str] | None = None,
    k_range: Sequence[int] = range(2, 9),
    seed: int = 0,
    min_population: int = 500,
    silhouette_sample: int = 10_000,
    bootstrap: int = 10,
    bootstrap_rows: int = 20_000,
    fit_rows: int | None = 20_000,
    shape: bool = False,
    scale_range: tuple[float, float] = (1.0, 5.0),
    previous: ArchetypeModel | None = None,
    progress: Callable[[str], None] | None = None,
) -> ArchetypeModel:
    """Fit, select and name an archetype model (see the module doc), or prototypes if few."""
    ids = tuple(scale_ids)
    raw = np.asarray(profiles, dtype=np.float64)
    if raw.size == 0:
        raw = raw.reshape(0, len(ids))
    if raw.ndim != 2 or raw.shape[1] != len(ids):
        raise ValueError(f"profiles must be n x {len(ids)} (one column per scale id)")
    version = previous.version + 1 if previous is not None else 1
    # Clustering needs every feature; people with a blank scale are assigned later by
    # assign(), which ignores blanks, but do not shape the clusters.
    complete = raw[~np.isnan(raw).any(axis=1)]
    n, n_excluded = complete.shape[0], raw.shape[0] - complete.shape[0]
    if n < min_population:
        _progress(progress, f"{n} complete profiles < {min_population}: theory prototypes")
        return prototype_model(complete, ids, pole_of, scale_range, n_excluded, version, seed)

    feats = features(complete, shape)
    means = feats.mean(axis=0)
    sds = feats.std(axis=0, ddof=1)
    sds = np.where(sds > 0, sds, 1.0)  # a constant feature stays 0 in z instead of NaN
    z_all = (feats - means) / sds
    rng = np.random.default_rng(seed)
    sel = z_all if fit_rows is None or n <= fit_rows else z_all[rng.choice(n, fit_rows, False)]
    n_sel = sel.shape[0]

    pairs: list[tuple[Fitted, Fitted]] = []
    for k in (k for k in k_range if 2 <= k < n_sel):
        pairs.append(fit_pair(sel, k, seed))
        _progress(progress, f"k={k}: KMeans and GaussianMixture fitted on {n_sel} profiles")
    if not pairs:
        raise ValueError("k_range has no k between 2 and the number of profiles")
    sil_rows = rng.choice(n_sel, min(n_sel, silhouette_sample), replace=False)
    fits = [f for pair in pairs for f in pair]
    sils = silhouettes(sel[sil_rows], [f.labels[sil_rows] for f in fits])
    _progress(progress, f"silhouettes computed on {len(sil_rows)} profiles")

    candidates: list[CandidateFit] = []  # same order as ``fits``
    for p, pair in enumerate(pairs):
        shares = [min_share(f.labels, f.k) for f in pair]
        stab = stability(
            sel,
            pair,
            resamples=bootstrap,
            max_rows=bootstrap_rows,
            rng=rng,
            skip=(shares[0] < MIN_SHARE, shares[1] < MIN_SHARE),
        )
        for j, (f, share, (ari, runs)) in enumerate(zip(pair, shares, stab, strict=True)):
            ok = share >= MIN_SHARE and ari is not None and ari >= STABILITY_MIN
            sil = sils[2 * p + j]
            candidates.append(CandidateFit(f.kind, f.k, f.bic, sil, share, ari, runs, ok))
        _progress(progress, f"k={pair[0].k}: bootstrap stability done")

    eligible = [i for i, c in enumerate(candidates) if c.eligible]
    pool = eligible or list(range(len(candidates)))
    best = min(pool, key=lambda i: candidates[i].bic)
    chosen, cand = fits[best], candidates[best]

    # Size order (largest first) for display; keys carry identity across refits.
    labels = (
        nearest(z_all, chosen.means)[0]
        if chosen.kind == "kmeans"
        else gmm_predict(z_all, *_gmm_params(chosen))
    )
    sizes = np.bincount(labels, minlength=chosen.k)
    order = np.argsort(-sizes, kind="stable")
    cz = chosen.means[order]
    craw = means + cz * sds
    keys, names, descriptions = _keys_and_names(cz, means, sds, ids, scale_names, shape, previous)
    quality = FitQuality(
        n_fit=n_sel,
        silhouette_n=len(sil_rows),
        bootstrap=bootstrap,
        bootstrap_rows=min(n_sel, bootstrap_rows),
        candidates=tuple(candidates),
        criteria_met=bool(eligible),
        silhouette=cand.silhouette,
        stability=cand.stability,
        min_share=cand.min_share,
        bic=cand.bic,
    )
    _progress(progress, f"chosen: {chosen.kind} k={chosen.k}")
    return ArchetypeModel(
        version=version,
        kind="kmeans" if chosen.kind == "kmeans" else "gmm",
        k=chosen.k,
        scale_ids=ids,
        shape=shape,
        feature_means=tuple(float(v) for v in means),
        feature_sds=tuple(float(v) for v in sds),
        centroids_z=tuple(tuple(float(v) for v in c) for c in cz),
        centroids_raw=tuple(tuple(float(v) for v in c) for c in craw),
        variances_z=None
        if chosen.variances is None
        else tuple(tuple(float(v) for v in c) for c in chosen.variances[order]),
        weights=None if chosen.weights is None else tuple(float(v) for v in chosen.weights[order]),
        sizes=tuple(int(v) for v in sizes[order]),
        n_profiles=n,
        n_excluded=n_excluded,
        keys=tuple(keys),
        names=tuple(names),
        descriptions=tuple(descriptions),
        structure=_structure(bool(eligible), cand.silhouette),
        quality=quality,
        seed=seed,
    )


def _gmm_params(f: Fitted) -> tuple[FloatArray, FloatArray, FloatArray]:
    assert f.weights is not None and f.variances is not None
    return f.weights, f.means, f.variances
