"""Instrument quality (docs/methods.md "Instrument quality"): checked against pingouin and by hand.

pingouin is a test-only dependency (dev extra); its datasets ship inside the package.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.analytics.psychometrics import (
    ALPHA_MIN,
    FLAG_INSUFFICIENT,
    FLAG_LOW_ALPHA,
    FLAG_LOW_ITEM_TOTAL,
    ITEM_TOTAL_MIN,
    InsufficientData,
    alpha_ci,
    alpha_if_item_deleted,
    corrected_item_total,
    cronbach_alpha,
    group_icc,
    icc1,
    mcdonald_omega,
    scale_quality,
)

# pingouin 0.7 calls a pandas API that pandas 3 deprecates; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.dropna")

TOL = 1e-3


@pytest.fixture(scope="module")
def pg():
    """pingouin, or skip only the tests that compare with it."""
    return pytest.importorskip("pingouin")


@pytest.fixture(scope="module")
def likert(pg) -> np.ndarray:
    """pingouin's 'cronbach_alpha' dataset: 15 subjects x 10 Likert items, complete."""
    data = pg.read_dataset("cronbach_alpha")
    return data.pivot(index="Subj", columns="Items", values="Scores").to_numpy(dtype=float)


@pytest.fixture(scope="module")
def binary_missing(pg):
    """pingouin's 'cronbach_wide_missing' dataset: 12 x 11 binary items with NaN."""
    return pg.read_dataset("cronbach_wide_missing")


def _pg_alpha(matrix: np.ndarray, ci: float = 0.95) -> tuple[float, tuple[float, float]]:
    import pandas as pd
    import pingouin as pg

    value, (low, high) = pg.cronbach_alpha(data=pd.DataFrame(matrix), ci=ci)
    return float(value), (float(low), float(high))


def _congeneric(loadings, error_sds, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=(n, 1))
    errors = rng.normal(size=(n, len(loadings))) * np.asarray(error_sds)
    return factor * np.asarray(loadings) + errors


# --- Cronbach's alpha and its CI ---------------------------------------------------------


def test_alpha_and_feldt_ci_match_pingouin(likert):
    expected, (low, high) = _pg_alpha(likert)
    assert cronbach_alpha(likert) == pytest.approx(expected, abs=TOL)
    assert expected == pytest.approx(0.5917, abs=1e-4)  # pingouin's documented value
    ci = alpha_ci(likert)
    # pingouin rounds its CI to 3 decimals, hence the half-unit extra tolerance.
    assert ci[0] == pytest.approx(low, abs=TOL + 5e-4)
    assert ci[1] == pytest.approx(high, abs=TOL + 5e-4)


@pytest.mark.parametrize("confidence", [0.90, 0.99])
def test_alpha_ci_at_other_levels_matches_pingouin(likert, confidence):
    _, (low, high) = _pg_alpha(likert, ci=confidence)
    ci = alpha_ci(likert, confidence)
    assert ci == pytest.approx((low, high), abs=TOL + 5e-4)
    assert ci[0] < cronbach_alpha(likert) < ci[1]


def test_alpha_uses_listwise_deletion_like_pingouin(pg, binary_missing):
    expected, _ = pg.cronbach_alpha(data=binary_missing, nan_policy="listwise")
    assert cronbach_alpha(binary_missing.to_numpy(dtype=float)) == pytest.approx(expected, abs=TOL)
    # The CI counts complete rows only; pingouin's listwise CI counts rows before deletion,
    # so compare with pingouin on the complete rows.
    complete = binary_missing.dropna().to_numpy(dtype=float)
    _, (low, high) = _pg_alpha(complete)
    assert alpha_ci(binary_missing.to_numpy(dtype=float)) == pytest.approx(
        (low, high), abs=TOL + 5e-4
    )


def test_alpha_if_item_deleted_matches_pingouin_on_the_reduced_scale(likert):
    deleted = alpha_if_item_deleted(likert)
    for j, value in enumerate(deleted):
        expected, _ = _pg_alpha(np.delete(likert, j, axis=1))
        assert value == pytest.approx(expected, abs=TOL)


def test_corrected_item_total_is_item_versus_sum_of_the_others(likert):
    import pandas as pd

    frame = pd.DataFrame(likert)
    for j, r in enumerate(corrected_item_total(likert)):
        rest = frame.drop(columns=j).sum(axis=1)
        assert r == pytest.approx(frame[j].corr(rest), abs=1e-9)


def test_alpha_hand_computed_on_a_tiny_scale():
    x = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]], dtype=float)
    # Item variances 5/3, 19/12, 5/3 (ddof 1); totals 5, 8, 10, 14 have variance 14.25.
    assert cronbach_alpha(x) == pytest.approx(1.5 * (1 - (59 / 12) / 14.25), abs=1e-12)


@pytest.mark.parametrize(
    "matrix",
    [
        [[1.0], [2.0], [3.0]],  # one item
        [[1.0, 2.0]],  # one respondent
        [[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]],  # no variance at all
        [[1.0, np.nan], [np.nan, 2.0], [3.0, np.nan]],  # no complete row
    ],
)
def test_alpha_raises_insufficient_data_instead_of_nan(matrix):
    with pytest.raises(InsufficientData):
        cronbach_alpha(matrix)


def test_two_item_scale_has_no_alpha_if_deleted():
    x = np.array([[1, 2], [2, 2], [3, 4], [4, 5]], dtype=float)
    assert alpha_if_item_deleted(x) == [None, None]


# --- McDonald's omega --------------------------------------------------------------------


def test_omega_with_three_items_equals_the_exactly_identified_one_factor_solution():
    # With three items the one-factor model fits exactly: lambda_1^2 = r12 r13 / r23, etc.
    x = _congeneric([0.9, 0.7, 0.5], [0.6, 0.8, 1.0], n=400, seed=3)
    r = np.corrcoef(x, rowvar=False)
    lam = np.sqrt(
        [r[0, 1] * r[0, 2] / r[1, 2], r[0, 1] * r[1, 2] / r[0, 2], r[0, 2] * r[1, 2] / r[0, 1]]
    )
    sd = x.std(axis=0, ddof=1)
    common = (lam * sd).sum() ** 2
    expected = common / (common + ((1 - lam**2) * sd**2).sum())
    assert mcdonald_omega(x) == pytest.approx(expected, abs=1e-6)


def test_omega_recovers_the_true_reliability_of_a_congeneric_scale():
    loadings = np.array([0.9, 0.8, 0.6, 0.5, 0.3])
    error_sds = np.array([0.5, 0.6, 0.8, 0.9, 1.0])
    true_omega = loadings.sum() ** 2 / (loadings.sum() ** 2 + (error_sds**2).sum())
    x = _congeneric(loadings, error_sds, n=20_000, seed=11)
    assert mcdonald_omega(x) == pytest.approx(true_omega, abs=0.02)
    # Congeneric (unequal loadings): alpha is a lower bound, below omega.
    assert cronbach_alpha(x) < mcdonald_omega(x)


def test_omega_equals_alpha_when_all_loadings_and_variances_are_equal():
    x = _congeneric([0.7] * 5, [0.7] * 5, n=20_000, seed=5)
    assert mcdonald_omega(x) == pytest.approx(cronbach_alpha(x), abs=0.005)


def test_omega_is_unchanged_by_the_order_of_items():
    x = _congeneric([0.8, 0.6, 0.4, 0.7], [0.6, 0.8, 0.9, 0.7], n=500, seed=2)
    assert mcdonald_omega(x[:, ::-1]) == pytest.approx(mcdonald_omega(x), abs=1e-9)


def test_omega_needs_three_items():
    with pytest.raises(InsufficientData):
        mcdonald_omega([[1, 2], [2, 3], [3, 3], [4, 5]])


# --- ICC(1) and ICC(1,k) -----------------------------------------------------------------


def test_icc1_matches_pingouin_on_its_balanced_wine_dataset(pg):
    data = pg.read_dataset("icc")
    table = pg.intraclass_corr(data=data, targets="Wine", raters="Judge", ratings="Scores")
    table = table.set_index("Type")
    wide = data.pivot(index="Wine", columns="Judge", values="Scores").to_numpy(dtype=float)
    one, k = icc1(wide.tolist())
    assert one == pytest.approx(table.loc["ICC(1,1)", "ICC"], abs=TOL)
    assert k == pytest.approx(table.loc["ICC(1,k)", "ICC"], abs=TOL)


def test_icc1_unbalanced_hand_computation():
    groups = [[1, 2, 3], [4, 5], [6, 7, 8, 9]]
    # Means 2, 4.5, 7.5; grand mean 45/9 = 5.
    # SSB = 3*9 + 2*0.25 + 4*6.25 = 52.5 on 2 df -> MSB 26.25.
    # SSW = 2 + 0.5 + 5 = 7.5 on 9 - 3 = 6 df -> MSW 1.25.
    # k0 = (9 - (9 + 4 + 16) / 9) / 2 = 26/9.
    msb, msw, k0 = 26.25, 1.25, 26 / 9
    one, k = icc1(groups)
    assert one == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw), abs=1e-12)
    assert one == pytest.approx(0.873786, abs=1e-6)
    assert k == pytest.approx((msb - msw) / msb, abs=1e-12)


def test_icc1_mean_squares_agree_with_pingouins_one_way_anova_when_unbalanced(pg):
    import pandas as pd

    rng = np.random.default_rng(4)
    groups = [list(rng.normal(loc=rng.normal(), size=size)) for size in (2, 3, 5, 4, 7, 3)]
    long = pd.DataFrame(
        [(g, v) for g, values in enumerate(groups) for v in values], columns=["t", "y"]
    )
    aov = pg.anova(data=long, dv="y", between="t", detailed=True)
    msb, msw = float(aov.at[0, "MS"]), float(aov.at[1, "MS"])
    sizes = np.array([len(g) for g in groups])
    n = sizes.sum()
    k0 = (n - (sizes**2).sum() / n) / (len(groups) - 1)
    one, k = icc1(groups)
    assert one == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw), abs=1e-9)
    assert k == pytest.approx((msb - msw) / msb, abs=1e-9)


def test_icc1_ignores_nan_ratings_and_empty_targets():
    assert icc1([[1, 2, 3, np.nan], [], [4, 5], [6, 7, 8, 9]]) == pytest.approx(
        icc1([[1, 2, 3], [4, 5], [6, 7, 8, 9]])
    )


@pytest.mark.parametrize(
    "groups",
    [
        [[1, 2, 3]],  # one target
        [[1], [2], [3]],  # nobody rated twice
        [[1, 3], [3, 1], [2, 2]],  # identical target means
    ],
)
def test_icc1_raises_and_group_icc_gives_none_when_undefined(groups):
    with pytest.raises(InsufficientData):
        icc1(groups)
    result = group_icc(groups)
    assert result.icc1 is None and result.icc1k is None


def test_group_icc_reports_counts():
    result = group_icc([[1, 2, 3], [4, 5, float("nan")], [6, 7, 8, 9]])
    assert (result.n_targets, result.n_ratings) == (3, 9)
    assert result.icc1 == pytest.approx(0.873786, abs=1e-6)


# --- scale_quality -----------------------------------------------------------------------


def _figures(q) -> list[float]:
    values = [q.mean, q.sd, q.pct_missing, q.pct_not_observed, q.alpha, q.omega]
    values += list(q.alpha_ci or ()) + list(q.item_total) + list(q.alpha_if_deleted)
    return [v for v in values if v is not None]


def test_scale_quality_on_a_good_scale():
    x = _congeneric([0.8, 0.7, 0.75, 0.6], [0.5] * 4, n=300, seed=8) + 3
    q = scale_quality(x, scale_id="vision", item_ids=["a", "b", "c", "d"])
    assert (q.scale_id, q.n, q.n_complete, q.items) == ("vision", 300, 300, 4)
    assert q.item_ids == ("a", "b", "c", "d")
    assert q.alpha == pytest.approx(cronbach_alpha(x))
    assert q.alpha > ALPHA_MIN and q.flags == ()
    assert q.alpha_ci[0] < q.alpha < q.alpha_ci[1]
    assert q.omega == pytest.approx(mcdonald_omega(x))
    assert all(r > ITEM_TOTAL_MIN for r in q.item_total)
    assert q.mean == pytest.approx(x.mean(axis=1).mean())
    assert q.sd == pytest.approx(x.mean(axis=1).std(ddof=1))
    assert q.pct_missing == 0.0 and q.pct_not_observed == 0.0


def test_scale_quality_flags_low_alpha_and_weak_items():
    rng = np.random.default_rng(90)
    good = _congeneric([0.8, 0.8, 0.8], [0.6] * 3, n=200, seed=9)
    noise = rng.normal(size=(200, 1))
    q = scale_quality(np.hstack([good, noise]), item_ids=["a", "b", "c", "bad"])
    assert FLAG_LOW_ITEM_TOTAL in q.flags and q.low_item_total == ("bad",)
    unrelated = scale_quality(rng.normal(size=(200, 4)))
    assert FLAG_LOW_ALPHA in unrelated.flags


def test_scale_quality_separates_missing_from_not_observed_and_applies_the_two_thirds_rule():
    x = np.array(
        [
            [1, 2, 3],
            [2, 3, 99],  # 99 is where "not able to observe" was recorded
            [3, np.nan, np.nan],  # 1 of 3 answered: below ceil(2/3 * 3) = 2, unscored
            [4, 4, 5],
            [5, 4, 4],
        ],
        dtype=float,
    )
    mask = np.zeros_like(x, dtype=bool)
    mask[1, 2] = True
    q = scale_quality(x, mask)
    assert q.pct_not_observed == pytest.approx(100 / 15)
    assert q.pct_missing == pytest.approx(200 / 15)
    assert (q.n, q.n_complete) == (4, 3)
    assert q.mean == pytest.approx(np.mean([2, 2.5, 13 / 3, 13 / 3]))
    assert q.alpha == pytest.approx(cronbach_alpha(x[[0, 3, 4]]))


@pytest.mark.parametrize(
    "matrix",
    [
        np.empty((0, 4)),
        np.array([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]),  # n < 3
        np.full((10, 4), 3.0),  # no variance
        np.array([[1.0, 2.0], [2.0, 3.0], [4.0, 4.0]]),  # two items: no omega
    ],
)
def test_scale_quality_gives_none_never_nan_or_an_error(matrix):
    q = scale_quality(matrix)
    assert all(math.isfinite(v) for v in _figures(q))
    if matrix.shape[1] == 2:
        assert q.alpha is not None and q.omega is None
        assert q.alpha_if_deleted == (None, None)
    else:
        assert q.alpha is None and q.alpha_ci is None and q.omega is None
        assert FLAG_INSUFFICIENT in q.flags


def test_scale_quality_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        scale_quality(np.ones((3, 3)), np.zeros((3, 2), dtype=bool))
    with pytest.raises(ValueError):
        scale_quality(np.ones((3, 3)), item_ids=["a", "b"])
