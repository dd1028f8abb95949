"""Instrument quality: reliability and item statistics for one scale (docs/methods.md).

Pure module: standard library, numpy and scipy only. Input is a respondents x items array of
keyed answers with NaN for missing data (unanswered or "not able to observe").

Missing data: alpha, its CI, alpha-if-deleted, item-total r and omega use *listwise*
deletion: only respondents who answered every item of the scale. Pairwise covariances
can give a non-positive-definite matrix and an alpha that no single sample supports, so a
smaller but coherent sample is preferred (R ``psych::alpha(use="complete.obs")``).

The low-level functions raise :class:`InsufficientData` (a ValueError) when a figure is not
defined; :func:`scale_quality` turns that into ``None`` so the page never shows NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import f as f_dist

from coach.scoring.scales import min_answered

FloatArray = NDArray[np.float64]

ALPHA_MIN = 0.70
"""Cronbach's alpha below this is flagged (Nunnally's conventional floor for group use)."""
ITEM_TOTAL_MIN = 0.30
"""Corrected item-total r below this is flagged (conventional item-analysis floor)."""
MIN_N = 3
"""Fewer complete respondents than this and no reliability figure is reported."""

FLAG_LOW_ALPHA = "low_alpha"
FLAG_LOW_ITEM_TOTAL = "low_item_total"
FLAG_INSUFFICIENT = "insufficient_data"

_PAF_MAX_ITER = 500
_PAF_TOL = 1e-9


class InsufficientData(ValueError):
    """The data cannot define the requested figure (too few rows/items, zero variance)."""


def _matrix(x: ArrayLike) -> FloatArray:
    a = np.array(x, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"expected a 2-D respondents x items array, got {a.ndim}-D")
    return a


def complete_cases(x: ArrayLike) -> FloatArray:
    """The rows of ``x`` with no NaN (listwise deletion)."""
    a = _matrix(x)
    return a[~np.isnan(a).any(axis=1)]


def _complete(x: ArrayLike, *, min_items: int = 2) -> FloatArray:
    c = complete_cases(x)
    n, k = c.shape
    if k < min_items:
        raise InsufficientData(f"needs at least {min_items} items, got {k}")
    if n < 2:
        raise InsufficientData(f"needs at least 2 complete respondents, got {n}")
    return c


def _alpha(c: FloatArray) -> float:
    """Alpha of a complete matrix: k/(k-1) * (1 - sum of item variances / total variance)."""
    k = c.shape[1]
    cov = np.cov(c, rowvar=False, ddof=1)
    total = float(cov.sum())
    if not total > 0.0:
        raise InsufficientData("the scale total has zero variance")
    return float(k / (k - 1) * (1.0 - float(np.trace(cov)) / total))


def cronbach_alpha(x: ArrayLike) -> float:
    """Cronbach's alpha over respondents who answered every item (listwise deletion)."""
    return _alpha(_complete(x))


def alpha_ci(x: ArrayLike, confidence: float = 0.95) -> tuple[float, float]:
    """Feldt's (1987) F-based confidence interval for alpha, as pingouin and psych compute it.

    low = 1 - (1 - alpha) * F_{1-(1-c)/2}(n-1, (n-1)(k-1)), high likewise with the lower
    quantile; n counts complete respondents only (pingouin counts the rows before its
    listwise deletion, which is the only place results differ).
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1")
    c = _complete(x)
    a = _alpha(c)
    n, k = c.shape
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1.0 - confidence) / 2.0
    low = 1.0 - (1.0 - a) * float(f_dist.isf(tail, df1, df2))
    high = 1.0 - (1.0 - a) * float(f_dist.isf(1.0 - tail, df1, df2))
    return low, high


def alpha_if_item_deleted(x: ArrayLike) -> list[float | None]:
    """Alpha of the remaining items with each item left out; None where undefined.

    Uses the same complete respondents as the full-scale alpha so the figures compare.
    A two-item scale leaves one item, for which alpha is not defined.
    """
    c = _complete(x)
    out: list[float | None] = []
    for j in range(c.shape[1]):
        rest = np.delete(c, j, axis=1)
        try:
            out.append(_alpha(rest) if rest.shape[1] >= 2 else None)
        except InsufficientData:
            out.append(None)
    return out


def _pearson(a: FloatArray, b: FloatArray) -> float | None:
    da, db = a - a.mean(), b - b.mean()
    denom = math.sqrt(float(da @ da) * float(db @ db))
    if denom == 0.0:
        return None
    return float(da @ db) / denom


def corrected_item_total(x: ArrayLike) -> list[float | None]:
    """Pearson r of each item with the sum of the *other* items; None for a constant item."""
    # "Corrected": including the item in the total inflates r by the item's own variance.
    c = _complete(x)
    total = c.sum(axis=1)
    return [_pearson(c[:, j], total - c[:, j]) for j in range(c.shape[1])]


def _one_factor(corr: FloatArray) -> FloatArray:
    """Standardised loadings of a one-factor model by iterated principal-axis factoring.

    Iterating communalities to convergence gives the unweighted least-squares (minres)
    solution, the default of R ``psych::fa``/``psych::omega``. Start values are squared
    multiple correlations; communalities are capped at 1 (a Heywood item gets psi = 0).
    """
    k = corr.shape[0]
    try:
        h2 = 1.0 - 1.0 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        # Singular R (an item is a linear function of others): start from max |r| instead.
        off = np.abs(corr - np.eye(k))
        h2 = off.max(axis=1)
    h2 = np.clip(h2, 0.0, 1.0)
    loadings = np.zeros(k)
    for _ in range(_PAF_MAX_ITER):
        reduced = corr.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * math.sqrt(max(float(values[-1]), 0.0))
        new_h2 = np.clip(loadings**2, 0.0, 1.0)
        done = float(np.max(np.abs(new_h2 - h2))) < _PAF_TOL
        h2 = new_h2
        if done:
            break
    # The eigenvector's sign is arbitrary; orient the factor with the (keyed) items.
    result: FloatArray = loadings if loadings.sum() >= 0 else -loadings
    return result


def mcdonald_omega(x: ArrayLike) -> float:
    """McDonald's omega total of the unit-weighted scale sum under a one-factor model.

    The factor is fitted on the correlation matrix (principal-axis / minres, see
    ``_one_factor``), then rescaled to the item covariance metric, so omega is the
    reliability of the raw sum that scoring uses: (sum lambda)^2 / ((sum lambda)^2 + sum psi).
    With equal item variances and loadings it equals alpha. Needs at least 3 items, since a
    one-factor model of two items is not identified.
    """
    c = _complete(x, min_items=3)
    if c.shape[0] < MIN_N:
        raise InsufficientData(f"needs at least {MIN_N} complete respondents")
    sd = c.std(axis=0, ddof=1)
    if np.any(sd == 0.0):
        raise InsufficientData("an item has zero variance")
    corr: FloatArray = np.atleast_2d(np.corrcoef(c, rowvar=False))
    lam_std = _one_factor(corr)
    psi_std = np.clip(1.0 - lam_std**2, 0.0, None)
    lam = lam_std * sd
    psi = psi_std * sd**2
    common = float(lam.sum()) ** 2
    return common / (common + float(psi.sum()))


def icc1(ratings_by_target: Sequence[Sequence[float]]) -> tuple[float, float]:
    """ICC(1) and ICC(1,k) from a one-way random-effects ANOVA; groups may differ in size.

    Each inner sequence holds the ratings one target (ratee) received; NaN ratings and empty
    targets are dropped. With a = targets, N = ratings, n_j = ratings of target j:

        ICC(1)   = (MSB - MSW) / (MSB + (k0 - 1) * MSW)   (Shrout & Fleiss 1979, case 1)
        ICC(1,k) = (MSB - MSW) / MSB                       (reliability of a target's mean)
        k0       = (N - sum(n_j^2) / N) / (a - 1)

    k0 is the adjusted mean group size for unbalanced one-way designs (Snedecor & Cochran;
    discussed by McGraw & Wong 1996; Bliese 2000 uses the plain mean N / a, which is equal
    for balanced data). ICC(1) may be negative when raters of a target disagree more than
    targets differ. Raises InsufficientData without 2 targets, within-target replication
    or between-target variance.
    """
    groups = [g[~np.isnan(g)] for g in (np.asarray(t, dtype=np.float64) for t in ratings_by_target)]
    groups = [g for g in groups if g.size > 0]
    a = len(groups)
    sizes = np.array([g.size for g in groups], dtype=np.float64)
    n_total = float(sizes.sum())
    if a < 2:
        raise InsufficientData("needs at least 2 rated targets")
    if n_total - a < 1:
        raise InsufficientData("needs at least one target with 2 or more ratings")
    means = np.array([g.mean() for g in groups])
    grand = float(np.concatenate(groups).mean())
    ssb = float((sizes * (means - grand) ** 2).sum())
    ssw = float(sum(float(((g - g.mean()) ** 2).sum()) for g in groups))
    msb = ssb / (a - 1)
    msw = ssw / (n_total - a)
    if not msb > 0.0:
        raise InsufficientData("targets do not differ: no between-target variance")
    k0 = (n_total - float((sizes**2).sum()) / n_total) / (a - 1)
    return (msb - msw) / (msb + (k0 - 1.0) * msw), (msb - msw) / msb


@dataclass(frozen=True)
class GroupICC:
    """Agreement within one rater group on one scale; None where not computable."""

    n_targets: int
    n_ratings: int
    icc1: float | None
    icc1k: float | None


def group_icc(ratings_by_target: Sequence[Sequence[float]]) -> GroupICC:
    """ICC(1)/ICC(1,k) with counts, None instead of an error when undefined."""
    clean = [[v for v in t if not math.isnan(v)] for t in ratings_by_target]
    n_targets = sum(1 for t in clean if t)
    n_ratings = sum(len(t) for t in clean)
    try:
        one, k = icc1(clean)
    except InsufficientData:
        return GroupICC(n_targets, n_ratings, None, None)
    return GroupICC(n_targets, n_ratings, one, k)


@dataclass(frozen=True)
class ScaleQuality:
    """The psychometrics page's figures for one scale; None where not computable.

    ``n`` counts respondents with a scale score (2/3 rule); reliability and item figures use
    the ``n_complete`` respondents who answered every item. ``pct_missing`` counts item cells
    left unanswered, ``pct_not_observed`` cells answered "not able to observe" (disjoint).
    """

    scale_id: str
    n: int
    n_complete: int
    items: int
    item_ids: tuple[str, ...]
    mean: float | None
    sd: float | None
    pct_missing: float | None
    pct_not_observed: float | None
    alpha: float | None
    alpha_ci: tuple[float, float] | None
    omega: float | None
    item_total: tuple[float | None, ...]
    alpha_if_deleted: tuple[float | None, ...]
    low_item_total: tuple[str, ...]
    flags: tuple[str, ...]


def scale_quality(
    matrix: ArrayLike,
    not_observed_mask: ArrayLike | None = None,
    *,
    scale_id: str = "",
    item_ids: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> ScaleQuality:
    """All instrument-quality figures for one scale, never raising for thin data."""
    x = _matrix(matrix)
    k = x.shape[1]
    ids = tuple(item_ids) if item_ids is not None else tuple(f"item{j + 1}" for j in range(k))
    if len(ids) != k:
        raise ValueError(f"{len(ids)} item ids for {k} items")
    if not_observed_mask is None:
        not_obs = np.zeros_like(x, dtype=bool)
    else:
        not_obs = np.asarray(not_observed_mask, dtype=bool)
        if not_obs.shape != x.shape:
            raise ValueError("not_observed_mask must have the matrix's shape")
        # "Not able to observe" is missing data, whatever value a caller left in the cell.
        x[not_obs] = np.nan
    cells = x.size
    missing = np.isnan(x) & ~not_obs
    pct_missing = 100.0 * float(missing.sum()) / cells if cells else None
    pct_not_observed = 100.0 * float(not_obs.sum()) / cells if cells else None

    answered = (~np.isnan(x)).sum(axis=1)
    scored = x[answered >= min_answered(k)] if k else x[:0]
    scores = np.nanmean(scored, axis=1) if scored.size else np.empty(0)
    n = int(scores.size)
    mean = float(scores.mean()) if n >= 1 else None
    sd = float(scores.std(ddof=1)) if n >= 2 else None

    complete = complete_cases(x)
    n_complete = int(complete.shape[0])
    alpha = ci = omega = None
    item_total: tuple[float | None, ...] = (None,) * k
    if_deleted: tuple[float | None, ...] = (None,) * k
    if n_complete >= MIN_N and k >= 2:
        try:
            alpha = cronbach_alpha(complete)
            ci = alpha_ci(complete, confidence)
        except InsufficientData:
            alpha = ci = None
        item_total = tuple(corrected_item_total(complete))
        if_deleted = tuple(alpha_if_item_deleted(complete))
        try:
            omega = mcdonald_omega(complete)
        except InsufficientData:
            omega = None

    low_items = tuple(
        i for i, r in zip(ids, item_total, strict=True) if r is not None and r < ITEM_TOTAL_MIN
    )
    flags: list[str] = []
    if alpha is None:
        flags.append(FLAG_INSUFFICIENT)
    elif alpha < ALPHA_MIN:
        flags.append(FLAG_LOW_ALPHA)
    if low_items:
        flags.append(FLAG_LOW_ITEM_TOTAL)
    return ScaleQuality(
        scale_id=scale_id,
        n=n,
        n_complete=n_complete,
        items=k,
        item_ids=ids,
        mean=mean,
        sd=sd,
        pct_missing=pct_missing,
        pct_not_observed=pct_not_observed,
        alpha=alpha,
        alpha_ci=ci,
        omega=omega,
        item_total=item_total,
        alpha_if_deleted=if_deleted,
        low_item_total=low_items,
        flags=tuple(flags),
    )
