"""Multi-rater aggregation, bands, agreement and gaps: worked cases and properties.

Pure tests: no app, no database. Instruments are built in Python by instrument_factory.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings

from coach.instrument.schema import Instrument, Pole
from coach.scoring import (
    DEFAULT_MSW,
    DISAGREEMENT_THRESHOLD,
    MIN_POOLED_DF,
    Z_90,
    FigureKey,
    MswKey,
    RaterGroup,
    SelfOtherCategory,
    aggregate_round,
    band,
    default_msw,
    gap_threshold,
    msw_for_band,
    pole_index,
    pooled_within_variance,
    r_wg,
    raters_disagree,
    self_other_gap,
    standard_error,
)
from coach.scoring.scales import Answers

from instrument_factory import ROUND_INSTRUMENT, answer_scale, make_instrument, rounds

M, P, D = RaterGroup.MANAGER, RaterGroup.PEER, RaterGroup.DIRECT_REPORT
TWO_SCALES = make_instrument(skills={"a": (1, 1, 1), "b": (1, 1, 1)})


def both(a: int | None, b: int | None = None) -> dict[str, int | None]:
    """Every item of scale a answered with a, of scale b with b (default: same as a)."""
    b = a if b is None else b
    return {**answer_scale(TWO_SCALES, "a", a, a, a), **answer_scale(TWO_SCALES, "b", b, b, b)}


# --------------------------------------------------------------------------- group means


def test_a_group_mean_averages_each_raters_scale_score_and_skips_blank_ones() -> None:
    # Peers' scale a: (5+4+4)/3 = 13/3, (3+3+3)/3 = 3, (2+2+2)/3 = 2, and one peer with only
    # one of three items answered is blank. Mean = (13/3 + 3 + 2) / 3 = 28/9, n = 3.
    peers = [
        answer_scale(TWO_SCALES, "a", 5, 4, 4),
        answer_scale(TWO_SCALES, "a", 3, 3, 3),
        answer_scale(TWO_SCALES, "a", 2, 2, 2),
        answer_scale(TWO_SCALES, "a", 5, None, None),
    ]
    result = aggregate_round(TWO_SCALES, None, [(P, a) for a in peers])
    score = result.scales["a"].figure(FigureKey.PEER)
    assert score is not None
    assert score.mean == round(28 / 9, 1)  # rounded as the report shows it
    assert score.n == 3
    assert result.visibility.rater_count(score.figure) == 4


def test_all_others_is_the_mean_of_all_raters_not_of_group_means() -> None:
    # Manager 5; peers 2, 2, 2; direct reports 4, 4, 4. Raters: (5 + 6 + 12) / 7 = 23/7,
    # where the mean of the three group means would be (5 + 2 + 4) / 3 = 11/3.
    raters = [(M, both(5)), *[(P, both(2))] * 3, *[(D, both(4))] * 3]
    result = aggregate_round(TWO_SCALES, both(3), raters)
    all_others = result.scales["a"].figure(FigureKey.ALL_OTHERS)
    assert all_others is not None
    assert all_others.mean == round(23 / 7, 1)
    assert all_others.n == 7
    assert [f.figure.key for f in result.scales["a"].figures] == [
        FigureKey.MANAGER,
        FigureKey.PEER,
        FigureKey.DIRECT_REPORT,
        FigureKey.ALL_OTHERS,
    ]


def test_self_is_never_counted_among_others() -> None:
    raters = [(P, both(2))] * 3
    low, high = (aggregate_round(TWO_SCALES, both(s), raters) for s in (1, 5))
    assert low.scales["a"].figures == high.scales["a"].figures
    assert (low.scales["a"].self_score, high.scales["a"].self_score) == (1.0, 5.0)


def test_a_self_response_among_the_raters_is_refused() -> None:
    with pytest.raises(ValueError, match="self"):
        aggregate_round(TWO_SCALES, None, [(RaterGroup.SELF, both(3))])


def test_an_invalid_rater_answer_is_refused_naming_the_item() -> None:
    with pytest.raises(ValueError, match=r"a\.1"):
        aggregate_round(TWO_SCALES, None, [(P, {"a.1": 9})])


def test_without_a_self_response_there_is_no_self_score_and_no_gap() -> None:
    result = aggregate_round(TWO_SCALES, None, [(P, both(4))] * 3)
    assert result.scales["a"].self_score is None
    assert result.scales["a"].gap is None
    assert result.scales["a"].gap_basis == ()


def test_group_means_feed_the_same_index_rules_as_one_person() -> None:
    instrument = make_instrument(dimensions={"d": ((1, 1, 1), (1, 1, 1))})
    raters = [(P, {i.id: 4 for i in instrument.items})] * 3
    means = aggregate_round(instrument, None, raters).means(FigureKey.PEER)
    assert pole_index(instrument, Pole.LEADER, means) == 4.0
    assert pole_index(instrument, Pole.LEADER, {}) is None  # an absent figure stays blank


# --------------------------------------------------------------------------- anonymity in the round


def test_done_when_round_shows_self_manager_and_direct_reports_never_the_two_peers() -> None:
    raters = [(M, both(4)), *[(D, both(3))] * 3, (P, both(1)), (P, both(2))]
    result = aggregate_round(TWO_SCALES, both(5), raters)
    for scale in result.scales.values():
        assert scale.self_score == 5.0
        assert [f.figure.key for f in scale.figures] == [FigureKey.MANAGER, FigureKey.DIRECT_REPORT]
        assert all(P not in f.figure.groups for f in scale.figures)
        # The gap is against manager and direct reports together: (4 + 3 * 3) / 4.
        assert [f.key for f in scale.gap_basis] == [FigureKey.MANAGER, FigureKey.DIRECT_REPORT]
        assert scale.gap is not None and scale.gap.difference == pytest.approx(5 - 13 / 4)
    for item in result.items.values():
        assert [f.figure.key for f in item.figures] == [FigureKey.MANAGER, FigureKey.DIRECT_REPORT]
    assert result.means(FigureKey.ALL_OTHERS) == {}
    assert any("Peers (2) are fewer than 3" in e for e in result.explanations)


def test_a_manager_alone_is_shown_with_a_band_and_no_agreement_figure() -> None:
    result = aggregate_round(TWO_SCALES, None, [(M, both(4))])
    manager = result.scales["a"].figure(FigureKey.MANAGER)
    assert manager is not None
    assert (manager.mean, manager.n, manager.r_wg, manager.raters_disagree) == (4.0, 1, None, False)
    assert manager.se == pytest.approx(math.sqrt(DEFAULT_MSW))
    assert manager.band_low == round(4 - Z_90 * math.sqrt(0.4), 1)
    assert manager.band_high == 5.0  # clipped to the top of the scale


def test_a_group_of_exactly_three_is_shown() -> None:
    result = aggregate_round(TWO_SCALES, None, [(D, both(3))] * 3)
    reports = result.scales["a"].figure(FigureKey.DIRECT_REPORT)
    assert reports is not None and reports.n == 3


def test_a_figure_hidden_on_one_scale_by_missing_answers_hides_what_would_derive_it() -> None:
    # Manager 1, peers 3, direct reports 3. On scale a one peer answered nothing, so peers
    # (2) go, and all others (6) would be manager + reports + those 2 peers: it goes too.
    raters = [(M, both(4)), *[(D, both(3))] * 3, (P, both(2)), (P, both(2)), (P, both(None, 2))]
    result = aggregate_round(TWO_SCALES, both(4), raters)
    on_a = [f.figure.key for f in result.scales["a"].figures]
    on_b = [f.figure.key for f in result.scales["b"].figures]
    assert on_a == [FigureKey.MANAGER, FigureKey.DIRECT_REPORT]
    assert on_b == [
        FigureKey.MANAGER,
        FigureKey.PEER,
        FigureKey.DIRECT_REPORT,
        FigureKey.ALL_OTHERS,
    ]
    assert result.scales["a"].figure(FigureKey.PEER) is None  # absent, not zero
    assert "a" not in result.means(FigureKey.PEER)
    notes = result.scales["a"].notes
    assert notes[0] == "Not shown on this scale: Peers, only 2 raters, fewer than 3."
    assert notes[1].startswith("Not shown on this scale: All others")


def test_an_item_not_every_rater_of_the_scale_figure_answered_is_not_shown() -> None:
    # Three peers all have scale a (2 of 3 items is enough) but only two answered a.3.
    peers = [both(4), both(4), {**both(4), "a.3": None}]
    result = aggregate_round(TWO_SCALES, {"a.1": 2}, [(P, a) for a in peers])
    assert result.scales["a"].figure(FigureKey.PEER) is not None
    assert result.items["a.3"].figure(FigureKey.PEER) is None
    item = result.items["a.1"].figure(FigureKey.PEER)
    assert item is not None and (item.mean, item.n) == (4.0, 3)
    assert (result.items["a.1"].self_answer, result.items["a.2"].self_answer) == (2, None)


def test_a_rater_without_a_score_on_a_scale_is_in_none_of_its_item_figures() -> None:
    # Four peers answer all of a; a fifth answers only a.1, too little for a score. If a.1
    # counted them, a.1's sum minus the others' would give away their answer.
    peers = [both(3)] * 4 + [{"a.1": 5}]
    result = aggregate_round(TWO_SCALES, None, [(P, a) for a in peers])
    item = result.items["a.1"].figure(FigureKey.PEER)
    assert item is not None and (item.mean, item.n) == (3.0, 4)
    scale = result.scales["a"].figure(FigureKey.PEER)
    assert scale is not None and scale.n == 4


def test_an_item_hidden_for_one_group_is_still_shown_for_the_groups_that_all_answered() -> None:
    peers = [both(3), both(3), {**both(3), "a.2": None}]
    reports = [both(4)] * 3
    result = aggregate_round(TWO_SCALES, None, [(P, a) for a in peers] + [(D, a) for a in reports])
    on_a2 = result.items["a.2"]
    assert [f.figure.key for f in on_a2.figures] == [FigureKey.DIRECT_REPORT]
    assert len(on_a2.notes) == 2  # peers and all others, each with its reason
    assert all("not everyone counted in the scale figure answered it" in n for n in on_a2.notes)
    all_others = result.items["a.1"].figure(FigureKey.ALL_OTHERS)
    assert all_others is not None and all_others.n == 6


def test_report_means_and_bands_are_rounded_to_one_decimal() -> None:
    result = aggregate_round(TWO_SCALES, None, [(P, both(3)), (P, both(4)), (P, both(4))])
    peers = result.scales["a"].figure(FigureKey.PEER)
    item = result.items["a.1"].figure(FigureKey.PEER)
    assert peers is not None and item is not None
    assert (peers.mean, item.mean) == (3.7, 3.7)  # 11 / 3, never more exactly
    assert (peers.band_low, peers.band_high) == (
        round(peers.band_low, 1),
        round(peers.band_high, 1),
    )


def test_item_means_are_raw_answers_as_worded() -> None:
    instrument = make_instrument(skills={"s": (1, 1, -1)})
    raters = [(P, {"s.1": 4, "s.2": 4, "s.3": 5})] * 3
    result = aggregate_round(instrument, None, raters)
    item = result.items["s.3"].figure(FigureKey.PEER)
    assert item is not None and item.mean == 5.0  # the answer, not the keyed 1
    scale = result.scales["s"].figure(FigureKey.PEER)
    assert scale is not None and scale.mean == pytest.approx(3.0)  # (4 + 4 + 1) / 3


# --------------------------------------------------------------------------- bands


def test_band_is_the_mean_plus_or_minus_1_645_standard_errors() -> None:
    # SE = sqrt(0.40 / 3) = 0.3651..., half-width 1.645 * 0.36515 = 0.60067.
    raters = [(P, both(3)), (P, both(3)), (P, both(4))]
    result = aggregate_round(TWO_SCALES, None, raters)
    peers = result.scales["a"].figure(FigureKey.PEER)
    assert peers is not None
    assert peers.se == pytest.approx(math.sqrt(0.4 / 3))
    assert peers.band_low == round(10 / 3 - 0.60067, 1)  # 2.7, rounded as shown
    assert peers.band_high == round(10 / 3 + 0.60067, 1)


def test_band_is_clipped_to_the_response_range() -> None:
    assert band(1.2, 0.5, TWO_SCALES) == (1, pytest.approx(1.2 + 0.8225))
    assert band(4.9, 0.5, TWO_SCALES) == (pytest.approx(4.9 - 0.8225), 5)


def test_the_msw_lookup_is_asked_per_group_and_for_mixed_figures_as_others() -> None:
    calls: list[tuple[MswKey, str]] = []

    def lookup(key: MswKey, scale_id: str) -> float | None:
        calls.append((key, scale_id))
        return 0.9 if key == "others" else None

    raters = [(M, both(4)), *[(P, both(3))] * 3]
    result = aggregate_round(TWO_SCALES, both(4), raters, msw_lookup=lookup)
    assert {k for k, _ in calls} == {M, P, "others"}
    everyone = result.scales["a"].figure(FigureKey.ALL_OTHERS)
    peers = result.scales["a"].figure(FigureKey.PEER)
    assert everyone is not None and everyone.se == pytest.approx(math.sqrt(0.9 / 4))
    assert peers is not None and peers.se == pytest.approx(math.sqrt(0.4 / 3))


def test_the_default_msw_scales_with_the_square_of_the_range() -> None:
    assert default_msw(TWO_SCALES) == pytest.approx(0.40)
    wide = make_instrument(skills={"s": (1, 1, 1)}, low=0, high=6)
    assert default_msw(wide) == pytest.approx(0.40 * (6 / 4) ** 2)


def test_pooled_within_variance_pools_sums_of_squares_over_degrees_of_freedom() -> None:
    # [1, 2, 3]: SS 2, df 2; [4, 4]: SS 0, df 1; [5] adds nothing. MSW = 2 / 3, df = 3.
    msw, df = pooled_within_variance([[1, 2, 3], [4, 4], [5]])
    assert (msw, df) == (pytest.approx(2 / 3), 3)
    assert pooled_within_variance([[5], []]) == (None, 0)


def test_the_default_msw_is_used_until_the_pooled_one_has_enough_df() -> None:
    assert msw_for_band(0.2, MIN_POOLED_DF - 1, TWO_SCALES) == DEFAULT_MSW
    assert msw_for_band(None, 500, TWO_SCALES) == DEFAULT_MSW
    assert msw_for_band(0.2, MIN_POOLED_DF, TWO_SCALES) == 0.2


def test_a_standard_error_needs_a_rater_and_a_variance() -> None:
    with pytest.raises(ValueError):
        standard_error(0.4, 0)
    with pytest.raises(ValueError):
        standard_error(-0.1, 3)


# --------------------------------------------------------------------------- agreement


def test_r_wg_hand_computed_for_three_raters() -> None:
    # 4, 4, 5: mean 13/3, s^2 = (1/9 + 1/9 + 4/9) / 2 = 1/3; sigma_EU^2 = (25 - 1) / 12 = 2.
    assert r_wg([4, 4, 5], 5) == pytest.approx(1 - (1 / 3) / 2)
    assert r_wg([4, 4, 5], 5) == pytest.approx(0.8333, abs=1e-4)


def test_r_wg_is_truncated_to_zero_and_one_and_undefined_for_one_rater() -> None:
    assert r_wg([1, 5, 1, 5], 5) == 0.0  # s^2 = 16/3 > 2
    assert r_wg([3, 3, 3], 5) == 1.0
    assert r_wg([3], 5) is None
    assert r_wg([], 5) is None


def test_raters_disagree_below_the_threshold_only() -> None:
    assert DISAGREEMENT_THRESHOLD == 0.5
    assert r_wg([3, 4, 5], 5) == pytest.approx(0.5)  # s^2 = 1
    assert not raters_disagree(0.5)
    assert raters_disagree(0.49)
    assert not raters_disagree(None)


def test_disagreement_is_flagged_on_the_figure() -> None:
    raters = [(P, both(1)), (P, both(5)), (P, both(3))]  # s^2 = 4, r_wg 0
    peers = aggregate_round(TWO_SCALES, None, raters).scales["a"].figure(FigureKey.PEER)
    assert peers is not None and (peers.r_wg, peers.raters_disagree) == (0.0, True)


# --------------------------------------------------------------------------- gaps


def test_gap_threshold_is_half_a_point_or_1_645_standard_errors() -> None:
    assert gap_threshold(0.1, TWO_SCALES) == 0.5
    assert gap_threshold(0.4, TWO_SCALES) == pytest.approx(0.658)
    wide = make_instrument(skills={"s": (1, 1, 1)}, low=0, high=6)
    assert gap_threshold(0.1, wide) == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("self_score", "others", "se", "category"),
    [
        (4.5, 4.0, 0.1, SelfOtherCategory.IN_AGREEMENT_HIGH),  # exactly 0.5: not a gap
        (4.6, 4.0, 0.1, SelfOtherCategory.OVER_ESTIMATOR),  # blind spot
        (3.5, 4.0, 0.1, SelfOtherCategory.IN_AGREEMENT_HIGH),
        (3.4, 4.0, 0.1, SelfOtherCategory.UNDER_ESTIMATOR),  # hidden strength
        (4.6, 4.0, 0.4, SelfOtherCategory.IN_AGREEMENT_HIGH),  # 0.6 < 1.645 * 0.4
        (4.7, 4.0, 0.4, SelfOtherCategory.OVER_ESTIMATOR),
        (3.0, 3.5, 0.1, SelfOtherCategory.IN_AGREEMENT_HIGH),  # others at the strong cut
        (3.0, 3.4, 0.1, SelfOtherCategory.IN_AGREEMENT_LOW),
    ],
)
def test_self_other_category_at_and_around_the_threshold(
    self_score: float, others: float, se: float, category: SelfOtherCategory
) -> None:
    assert self_other_gap(self_score, others, se, TWO_SCALES).category is category


def test_the_gap_in_a_round_uses_all_others_and_its_standard_error() -> None:
    # Self 5; manager 4 and peers 3, 3, 3: others 13/4, SE sqrt(0.4 / 4) = 0.316,
    # threshold max(0.5, 0.520) = 0.520; 5 - 3.25 = 1.75 is a blind spot.
    raters = [(M, both(4)), *[(P, both(3))] * 3]
    scale = aggregate_round(TWO_SCALES, both(5), raters).scales["a"]
    assert [f.key for f in scale.gap_basis] == [FigureKey.ALL_OTHERS]
    assert scale.gap is not None
    assert scale.gap.threshold == pytest.approx(Z_90 * math.sqrt(0.1))
    assert scale.gap.category is SelfOtherCategory.OVER_ESTIMATOR
    assert "Blind spot" in scale.gap.category.title


# --------------------------------------------------------------------------- properties


def _check_round(
    instrument: Instrument, round_: tuple[int, Answers | None, list[tuple[RaterGroup, Answers]]]
) -> None:
    floor, self_answers, raters = round_
    result = aggregate_round(instrument, self_answers, raters, floor)
    low, high = instrument.scale_min, instrument.scale_max
    for scale in result.scales.values():
        for shown in scale.figures:
            assert RaterGroup.SELF not in shown.figure.groups
            assert low <= shown.band_low <= shown.mean <= shown.band_high <= high
            assert shown.r_wg is None or 0 <= shown.r_wg <= 1
        if scale.gap is not None:
            assert scale.self_score is not None and scale.gap_basis
    for item in result.items.values():
        for shown in item.figures:
            assert low <= shown.mean <= high


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_every_figure_stays_on_the_scale_and_inside_its_band(
    round_: tuple[int, Answers | None, list[tuple[RaterGroup, Answers]]],
) -> None:
    _check_round(ROUND_INSTRUMENT, round_)


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_self_answers_never_change_any_others_figure(
    round_: tuple[int, Answers | None, list[tuple[RaterGroup, Answers]]],
) -> None:
    floor, _self, raters = round_
    first = aggregate_round(ROUND_INSTRUMENT, None, raters, floor)
    second = aggregate_round(
        ROUND_INSTRUMENT, {i.id: 5 for i in ROUND_INSTRUMENT.items}, raters, floor
    )
    assert [s.figures for s in first.scales.values()] == [s.figures for s in second.scales.values()]
    assert [i.figures for i in first.items.values()] == [i.figures for i in second.items.values()]
