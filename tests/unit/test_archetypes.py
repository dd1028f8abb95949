"""Archetypes (docs/methods.md "Archetypes"): selection, prototypes, assignment, names, storage.

Fits run with one BLAS/OpenMP thread: scikit-learn's OpenMP threads spin-wait badly when
pytest-xdist workers share the cores, which turns seconds into minutes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from coach.analytics.archetypes import (
    PROTOTYPE_Z,
    assign,
    assign_many,
    fit_archetypes,
)
from coach.analytics.clustering import gmm_predict, nearest, silhouettes
from coach.analytics.model import ArchetypeModel
from coach.analytics.naming import (
    BALANCED_NAME,
    MAX_NAME_WORDS,
    distinct_names,
    match_labels,
    name_options,
)

D = 18
SCALE_IDS = tuple(f"s{i:02d}" for i in range(D))
# Scales 0-4 leader poles, 5-9 manager poles, 10-17 skills (as in the instrument).
POLE_OF = {s: "leader" if i < 5 else "manager" if i < 10 else None for i, s in enumerate(SCALE_IDS)}
QUICK = {"k_range": range(2, 5), "bootstrap": 5}


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Iterator[None]:
    with threadpool_limits(limits=1):
        yield


def _separated(n: int, seed: int = 1, spread: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Profiles on a 1-5 metric around 3 well-separated latent centres."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, D)) * spread
    truth = rng.integers(0, 3, n)
    return 3 + 0.4 * (centres[truth] + rng.normal(size=(n, D))), truth


@pytest.fixture(scope="module")
def three_clusters() -> tuple[np.ndarray, np.ndarray, ArchetypeModel]:
    profiles, truth = _separated(3000)
    with threadpool_limits(limits=1):
        model = fit_archetypes(profiles, SCALE_IDS, pole_of=POLE_OF)
    return profiles, truth, model


# --- model selection ---------------------------------------------------------------------


def test_recovers_three_well_separated_clusters(three_clusters):
    profiles, truth, model = three_clusters
    assert model.kind in ("kmeans", "gmm") and model.k == 3
    assert model.structure in ("clear", "moderate")
    q = model.quality
    assert q is not None and q.criteria_met
    assert q.min_share >= 0.05 and q.stability >= 0.75
    assert sum(model.sizes) == model.n_profiles == 3000
    assert list(model.sizes) == sorted(model.sizes, reverse=True)
    labels, distances = assign_many(model, profiles)
    assert adjusted_rand_score(truth, labels) > 0.95
    assert np.all(distances >= 0)


def test_reports_every_candidate_honestly(three_clusters):
    _, _, model = three_clusters
    table = model.quality.candidates
    assert {(c.kind, c.k) for c in table} == {
        (f, k) for f in ("kmeans", "gmm") for k in range(2, 9)
    }
    chosen = [c for c in table if c.kind == model.kind and c.k == model.k]
    assert chosen[0].bic == model.quality.bic and chosen[0].eligible
    # The chosen candidate has the lowest BIC among the eligible ones.
    assert chosen[0].bic == min(c.bic for c in table if c.eligible)
    for c in table:
        assert c.eligible == (
            c.min_share >= 0.05 and c.stability is not None and c.stability >= 0.75
        )
        assert 0 <= c.resamples <= 20
    assert model.quality.silhouette_n == 3000 and model.quality.n_fit == 3000


def test_uniform_noise_reports_weak_structure():
    rng = np.random.default_rng(2)
    model = fit_archetypes(rng.uniform(1, 5, size=(3000, D)), SCALE_IDS, **QUICK)
    assert model.structure == "weak"
    assert model.quality is not None and model.quality.silhouette < 0.25


def test_below_min_population_returns_theory_prototypes():
    profiles, _ = _separated(200)
    model = fit_archetypes(profiles, SCALE_IDS, pole_of=POLE_OF)
    assert model.kind == "prototypes" and model.k == 4
    assert model.structure == "not_fitted" and model.quality is None
    assert model.names == (
        "Above average at both",
        "Leading above average, managing below",
        "Managing above average, leading below",
        "Below average at both",
    )
    z = np.array(model.centroids_z)
    assert np.all(z[:, :5] == np.array([[1], [1], [-1], [-1]]) * PROTOTYPE_Z)
    assert np.all(z[:, 5:10] == np.array([[1], [-1], [1], [-1]]) * PROTOTYPE_Z)
    assert np.all(z[:, 10:] == 0)
    assert np.allclose(model.feature_means, profiles.mean(axis=0))
    assert sum(model.sizes) == 200


def test_prototype_assignment_is_the_quadrant_of_mean_leader_and_manager_z():
    profiles, _ = _separated(300, seed=5)
    model = fit_archetypes(profiles, SCALE_IDS, pole_of=POLE_OF)
    z = (profiles - np.array(model.feature_means)) / np.array(model.feature_sds)
    lead, man = z[:, :5].mean(axis=1) > 0, z[:, 5:10].mean(axis=1) > 0
    expected = np.select([lead & man, lead & ~man, ~lead & man], [0, 1, 2], default=3)
    assert np.array_equal(assign_many(model, profiles)[0], expected)


def test_prototypes_with_no_data_are_anchored_on_the_response_scale():
    model = fit_archetypes(np.empty((0, D)), SCALE_IDS, pole_of=POLE_OF, scale_range=(1, 5))
    assert model.feature_means == (3.0,) * D
    assert model.feature_sds == pytest.approx((4 / 6,) * D)
    assert model.centroids_raw[0][0] == pytest.approx(3 + PROTOTYPE_Z * 4 / 6)
    assert model.sizes == (0, 0, 0, 0)
    assert assign(model, [5.0] * D)[0] == 0
    assert assign(model, [1.0] * D)[0] == 3


def test_prototypes_need_leader_and_manager_poles():
    with pytest.raises(ValueError, match="pole"):
        fit_archetypes(np.ones((10, D)), SCALE_IDS)


def test_incomplete_profiles_are_excluded_from_fitting_and_counted():
    profiles, _ = _separated(900, seed=3)
    profiles[:50, 4] = np.nan
    model = fit_archetypes(profiles, SCALE_IDS, min_population=500, **QUICK)
    assert (model.n_profiles, model.n_excluded) == (850, 50)
    labels, distances = assign_many(model, profiles[:50])
    assert np.all(labels >= 0) and np.all(np.isfinite(distances))


def test_subsampled_fit_and_progress_messages():
    profiles, _ = _separated(3000, seed=4)
    messages: list[str] = []
    model = fit_archetypes(
        profiles, SCALE_IDS, fit_rows=1000, silhouette_sample=500, progress=messages.append, **QUICK
    )
    assert model.quality.n_fit == 1000 and model.quality.silhouette_n == 500
    assert sum(model.sizes) == 3000 and model.k == 3
    assert any("chosen" in m for m in messages)


def test_same_seed_gives_the_same_model():
    profiles, _ = _separated(800, seed=6)
    first = fit_archetypes(profiles, SCALE_IDS, **QUICK)
    assert fit_archetypes(profiles, SCALE_IDS, **QUICK).to_dict() == first.to_dict()


def test_shape_features_remove_the_overall_level():
    profiles, _ = _separated(800, seed=7)
    level = np.random.default_rng(7).normal(size=(800, 1))
    model = fit_archetypes(profiles + level, SCALE_IDS, shape=True, **QUICK)
    assert model.shape and model.k == 3
    # Adding a constant to a profile does not move it under shape features.
    a, b = assign(model, profiles[0]), assign(model, profiles[0] + 1.0)
    assert a[0] == b[0] and a[1] == pytest.approx(b[1])


# --- assignment --------------------------------------------------------------------------


def test_numpy_predict_matches_sklearn():
    profiles, _ = _separated(1000, seed=8)
    z = (profiles - profiles.mean(axis=0)) / profiles.std(axis=0)
    km = KMeans(3, n_init=10, random_state=0).fit(z)
    assert np.array_equal(nearest(z, km.cluster_centers_)[0], km.predict(z))
    gm = GaussianMixture(3, covariance_type="diag", random_state=0).fit(z)
    assert np.array_equal(gmm_predict(z, gm.weights_, gm.means_, gm.covariances_), gm.predict(z))


def test_assign_accepts_a_mapping_and_ignores_blank_scales(three_clusters):
    profiles, _, model = three_clusters
    row = profiles[0]
    index, distance = assign(model, row)
    by_id = dict(zip(SCALE_IDS, row, strict=True))
    assert assign(model, by_id) == (index, pytest.approx(distance))
    by_id["s03"] = None
    del by_id["s04"]
    partial = assign(model, by_id)
    assert partial[0] == index and partial[1] > 0
    assert assign_many(model, profiles[:5])[0].tolist() == [
        assign(model, p)[0] for p in profiles[:5]
    ]


def test_assign_rejects_empty_profiles(three_clusters):
    _, _, model = three_clusters
    with pytest.raises(ValueError):
        assign(model, {})
    labels, distances = assign_many(model, np.full((2, D), np.nan))
    assert labels.tolist() == [-1, -1] and np.all(np.isnan(distances))
    with pytest.raises(ValueError):
        assign_many(model, np.ones((1, D - 1)))


def test_silhouettes_match_sklearn_silhouette_score():
    rng = np.random.default_rng(9)
    z = rng.normal(size=(700, 5))
    labelings = [rng.integers(0, k, 700) for k in (2, 3, 5)]
    labelings.append(np.r_[np.zeros(699, dtype=np.int64), 1])  # a singleton cluster
    for ours, labels in zip(silhouettes(z, labelings), labelings, strict=True):
        assert ours == pytest.approx(silhouette_score(z, labels), abs=1e-9)
    assert silhouettes(z, [np.zeros(700, dtype=np.int64)]) == [None]


# --- storage -----------------------------------------------------------------------------


def test_json_round_trip_preserves_the_model_and_its_assignments(three_clusters):
    profiles, _, model = three_clusters
    stored = json.loads(json.dumps(model.to_dict()))
    restored = ArchetypeModel.from_dict(stored)
    assert restored == model
    a, b = assign_many(model, profiles), assign_many(restored, profiles)
    assert np.array_equal(a[0], b[0]) and np.allclose(a[1], b[1])
    prototypes = fit_archetypes(profiles[:100], SCALE_IDS, pole_of=POLE_OF)
    assert ArchetypeModel.from_dict(json.loads(json.dumps(prototypes.to_dict()))) == prototypes


def test_unknown_format_is_refused(three_clusters):
    data = three_clusters[2].to_dict() | {"format": 99}
    with pytest.raises(ValueError, match="format"):
        ArchetypeModel.from_dict(data)


# --- names and label matching ------------------------------------------------------------


NAMES = {"v": "Vision", "e": "Empowering influence", "p": "Process-first", "c": "Control"}


def test_name_and_description_from_dimensions_beyond_half_an_sd():
    options, text = name_options([1.2, 0.6, -0.9, 0.4], ["v", "e", "p", "c"], NAMES)
    name = options[0]
    assert name == "High vision, low process-first"
    assert text == (
        "Self-scores above the organisation on Vision and Empowering influence, "
        "below on Process-first."
    )
    assert len(name.replace("&", "").split()) <= MAX_NAME_WORDS


def test_two_strengths_and_only_weaknesses():
    ids, names = ["a", "b", "c"], {"a": "Vision", "b": "Drive", "c": "Control"}
    assert name_options([0.9, 0.8, 0.1], ids, names)[0][0] == "High vision & drive"
    options, text = name_options([-0.9, -0.6, 0.1], ids, names)
    assert options[0] == "Low vision & drive"
    assert text == "Self-scores below the organisation on Vision and Drive."


def test_balanced_profile_when_nothing_reaches_half_an_sd():
    options, _ = name_options([0.49, -0.49, 0.0, 0.2], ["v", "e", "p", "c"], NAMES)
    assert options == [BALANCED_NAME]


def test_names_without_another_option_are_numbered():
    assert distinct_names(["A", "B", "A", "A"], [["A"], ["B"], ["A"], ["A"]]) == [
        "A",
        "B",
        "A 2",
        "A 3",
    ]


def test_match_labels_maps_permuted_centroids_back_exactly():
    rng = np.random.default_rng(10)
    old = rng.normal(size=(5, D))
    perm = np.array([3, 0, 4, 1, 2])
    new = old[perm] + rng.normal(scale=0.01, size=(5, D))
    assert match_labels(old, new) == {i: int(perm[i]) for i in range(5)}


def test_match_labels_leaves_extra_or_distant_clusters_unmatched():
    old = np.array([[0.0, 0.0], [5.0, 5.0]])
    new = np.array([[5.1, 5.0], [0.0, 0.1], [-6.0, 6.0]])
    assert match_labels(old, new) == {0: 1, 1: 0}
    assert match_labels(old, new[[0, 2]], max_distance=1.0) == {0: 1}


def test_refit_keeps_keys_and_names_and_bumps_the_version(three_clusters):
    profiles, _, model = three_clusters
    rng = np.random.default_rng(11)
    resample = profiles[rng.permutation(len(profiles))[:2000]]
    refit = fit_archetypes(resample, SCALE_IDS, previous=model, **QUICK)
    assert refit.version == model.version + 1 and refit.k == 3
    assert set(refit.keys) == set(model.keys)
    for key, name in zip(refit.keys, refit.names, strict=True):
        assert name == model.names[model.keys.index(key)]
    # The same people keep the same archetype key.
    old_keys = [model.keys[i] for i in assign_many(model, resample)[0]]
    new_keys = [refit.keys[i] for i in assign_many(refit, resample)[0]]
    assert np.mean(np.array(old_keys) == np.array(new_keys)) > 0.99


def test_new_clusters_after_a_refit_get_new_keys(three_clusters):
    profiles, _, model = three_clusters
    refit = fit_archetypes(profiles, SCALE_IDS, previous=model, k_range=[4], bootstrap=2)
    assert refit.k == 4
    assert len(set(refit.keys) & set(model.keys)) == 3
    assert "c4" in refit.keys


def test_fit_refuses_profiles_of_the_wrong_width():
    with pytest.raises(ValueError, match="one column per scale"):
        fit_archetypes(np.ones((600, D - 1)), SCALE_IDS)


def test_assignment_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = "import sys, coach.analytics.assignment; print('sklearn' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_archetypes_that_would_share_a_name_are_told_apart_by_their_next_strength():
    ids = ["v", "a", "d"]
    names = {"v": "Vision", "a": "Attention to detail", "d": "Delegation and team coordination"}
    plain = name_options([1.5, 0.1, 0.0], ids, names)[0]
    careful = name_options([1.4, 0.7, 0.0], ids, names)[0]
    delegating = name_options([1.2, 0.0, 0.8], ids, names)[0]
    assert plain[0] == careful[0] == delegating[0] == "High vision"  # each alone is "High vision"
    told_apart = distinct_names(["High vision"] * 3, [plain, careful, delegating])
    assert told_apart == [
        "High vision",  # the largest keeps the plain name
        "High vision & attention to detail",
        "High vision & delegation and team coordination",
    ]


def test_a_name_kept_from_the_earlier_model_never_changes_and_only_new_ones_are_numbered():
    names = distinct_names(["High vision", "High vision"], [["High vision"], ["High vision"]], [1])
    assert names == ["High vision 2", "High vision"]


def test_theory_archetypes_never_use_the_quadrant_words_strong_or_developing():
    profiles, _ = _separated(200)
    model = fit_archetypes(profiles, SCALE_IDS, pole_of=POLE_OF)
    words = " ".join(model.names + model.descriptions).lower()
    assert "strong" not in words and "developing" not in words
    assert all("organisation" in d for d in model.descriptions)


def test_a_stored_model_with_the_old_theory_names_reads_in_the_relative_words():
    profiles, _ = _separated(200)
    data = fit_archetypes(profiles, SCALE_IDS, pole_of=POLE_OF).to_dict()
    data["names"] = ["Strong at both", "Leader-leaning", "Manager-leaning", "Developing"]
    assert ArchetypeModel.from_dict(data).names[0] == "Above average at both"
    assert ArchetypeModel.from_dict(data).names[3] == "Below average at both"


def test_a_balanced_archetype_is_described_without_statistical_terms():
    _, sentence = name_options(np.zeros(D), SCALE_IDS)
    assert sentence == "Close to the organisation on every scale: no scale stands out."
