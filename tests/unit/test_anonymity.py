"""Anonymity of 360 figures: the floor, merging small groups, and the no-differencing rule.

Pure tests: no app, no database. The differencing property is checked with an
independent brute force: every combination of shown figures with coefficients -1, 0 or 1
that adds up to a plain set of rater groups is a mean someone could compute, and it must
never rest on 1..floor-1 non-manager raters.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.scoring import (
    MIN_GROUP_N,
    RATER_GROUPS,
    Figure,
    FigureKey,
    RaterComment,
    RaterGroup,
    aggregate_round,
    anonymity_floor,
    exposures,
    nomination_warnings,
    score_scales,
    shown_for_counts,
    visible_comments,
    visible_groups,
)
from coach.scoring.scales import Answers

from instrument_factory import ROUND_INSTRUMENT, rounds

M, P, D, OTHER, SELF = (
    RaterGroup.MANAGER,
    RaterGroup.PEER,
    RaterGroup.DIRECT_REPORT,
    RaterGroup.OTHER,
    RaterGroup.SELF,
)


def keys(figures: Sequence[Figure]) -> list[FigureKey]:
    return [f.key for f in figures]


def derivable_leaks(
    figures: Sequence[Figure], counts: Mapping[RaterGroup, int], floor: int
) -> list[tuple[int, ...]]:
    """Coefficient vectors over the figures whose result isolates 1..floor-1 non-managers."""
    populated = [g for g in RATER_GROUPS if counts.get(g, 0) > 0]
    leaks = []
    for coefficients in itertools.product((-1, 0, 1), repeat=len(figures)):
        if not any(coefficients):
            continue
        weight = {
            g: sum(c for c, f in zip(coefficients, figures, strict=True) if g in f.groups)
            for g in populated
        }
        if not all(w in (0, 1) for w in weight.values()):
            continue  # not a plain mean of one set of raters
        isolated = sum(counts[g] for g in populated if weight[g] == 1 and g is not M)
        if 0 < isolated < floor:
            leaks.append(coefficients)
    return leaks


# --------------------------------------------------------------------------- the floor


@pytest.mark.parametrize(("configured", "floor"), [(None, 3), (0, 3), (2, 3), (3, 3), (5, 5)])
def test_the_floor_is_never_below_three(configured: int | None, floor: int) -> None:
    assert MIN_GROUP_N == 3
    assert anonymity_floor(configured) == floor


@pytest.mark.parametrize("bad", [True, 3.5, "3"])
def test_a_floor_that_is_not_a_whole_number_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        anonymity_floor(bad)  # type: ignore[arg-type]


def test_a_floor_below_three_passed_to_visibility_is_raised_to_three() -> None:
    assert keys(visible_groups({P: 2}, floor=2).figures) == []


def test_rater_groups_have_the_documented_values() -> None:
    assert [g.value for g in RaterGroup] == ["self", "manager", "peer", "direct_report", "other"]


# --------------------------------------------------------------------------- visibility


def test_done_when_round_never_shows_the_two_peers_or_anything_that_derives_them() -> None:
    # Manager 1, direct reports 3, peers 2. "All others" (6) minus manager (1) minus
    # direct reports (3) would be the 2 peers' mean, so it must not sit beside them.
    visibility = visible_groups({M: 1, D: 3, P: 2})
    assert keys(visibility.figures) == [FigureKey.MANAGER, FigureKey.DIRECT_REPORT]
    assert visibility.hidden_groups == {P}
    assert derivable_leaks(visibility.figures, visibility.counts, 3) == []
    text = " ".join(visibility.explanations)
    assert "Peers (2) are fewer than 3, so their answers are combined with other raters'." in text
    assert "Not shown: All others (6)" in text


def test_all_others_next_to_manager_and_direct_reports_is_flagged_as_an_exposure() -> None:
    counts = {M: 1, D: 3, P: 2, OTHER: 0}
    manager = Figure(FigureKey.MANAGER, "Manager", frozenset({M}))
    reports = Figure(FigureKey.DIRECT_REPORT, "Direct reports", frozenset({D}))
    everyone = Figure(FigureKey.ALL_OTHERS, "All others", frozenset(RATER_GROUPS))
    found = exposures([manager, reports, everyone], counts, 3)
    # With or without the manager subtracted, 2 non-manager raters (the peers) remain.
    assert [(e.figure.key, keys(e.subtracted), e.isolated) for e in found] == [
        (FigureKey.ALL_OTHERS, [FigureKey.DIRECT_REPORT], 2),
        (FigureKey.ALL_OTHERS, [FigureKey.MANAGER, FigureKey.DIRECT_REPORT], 2),
    ]


def test_a_single_manager_is_shown_on_its_own() -> None:
    visibility = visible_groups({M: 1, P: 3})
    assert keys(visibility.figures) == [FigureKey.MANAGER, FigureKey.PEER, FigureKey.ALL_OTHERS]
    assert any("Manager (1) is shown on its own" in e for e in visibility.explanations)


def test_a_group_of_exactly_the_floor_is_shown() -> None:
    assert FigureKey.DIRECT_REPORT in keys(visible_groups({D: 3}).figures)
    assert FigureKey.PEER in keys(visible_groups({P: 5}, floor=5).figures)


def test_a_group_one_below_a_higher_floor_is_merged() -> None:
    visibility = visible_groups({P: 4, OTHER: 1}, floor=5)
    assert keys(visibility.figures) == [FigureKey.OTHERS]
    assert visibility.figures[0].label == "Others (combined)"
    assert visibility.figures[0].groups == {P, OTHER}


def test_small_groups_merge_into_others_combined_when_that_reaches_the_floor() -> None:
    visibility = visible_groups({M: 1, P: 2, D: 4, OTHER: 1})
    assert keys(visibility.figures) == [
        FigureKey.MANAGER,
        FigureKey.DIRECT_REPORT,
        FigureKey.OTHERS,
        FigureKey.ALL_OTHERS,
    ]
    combined = visibility.figure(FigureKey.OTHERS)
    assert combined is not None and combined.groups == {P, OTHER}
    assert visibility.rater_count(combined) == 3


def test_others_combined_below_the_floor_is_suppressed_and_so_is_all_others() -> None:
    visibility = visible_groups({P: 3, D: 3, OTHER: 2})
    assert keys(visibility.figures) == [FigureKey.PEER, FigureKey.DIRECT_REPORT]
    assert visibility.hidden_groups == {OTHER}


def test_the_other_group_alone_is_labelled_others() -> None:
    figure = visible_groups({OTHER: 3, P: 4}).figure(FigureKey.OTHERS)
    assert figure is not None and figure.label == "Others" and figure.groups == {OTHER}


def test_all_others_is_not_repeated_when_it_has_the_raters_of_one_figure() -> None:
    assert keys(visible_groups({P: 2, D: 2}).figures) == [FigureKey.OTHERS]
    assert keys(visible_groups({M: 2}).figures) == [FigureKey.MANAGER]


def test_all_others_with_one_non_manager_rater_is_not_shown() -> None:
    visibility = visible_groups({M: 2, P: 1})
    assert keys(visibility.figures) == [FigureKey.MANAGER]


def test_no_raters_shows_nothing() -> None:
    visibility = visible_groups({})
    assert visibility.figures == () and visibility.explanations == ()


def test_self_in_the_counts_is_ignored_and_never_in_a_figure() -> None:
    visibility = visible_groups({SELF: 1, P: 3})
    assert all(SELF not in f.groups for f in visibility.figures)
    assert SELF not in visibility.counts


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="peer"):
        visible_groups({P: -1})


def test_per_scale_counts_hide_a_figure_and_whatever_would_then_derive_it() -> None:
    # The round shows manager, peers, direct reports and all others; on one scale only
    # 2 peers answered enough items, so peers go, and so does all others.
    round_figures = visible_groups({M: 1, P: 3, D: 3}).figures
    shown, notes = shown_for_counts(round_figures, {M: 1, P: 2, D: 3}, 3, where=" on this scale")
    assert keys(shown) == [FigureKey.MANAGER, FigureKey.DIRECT_REPORT]
    assert notes[0] == "Not shown on this scale: Peers, only 2 raters, fewer than 3."
    assert notes[1].startswith("Not shown on this scale: All others (6), because next to")


# --------------------------------------------------------------------------- nomination


def test_nomination_warns_that_small_groups_will_be_combined_or_left_out() -> None:
    combined = nomination_warnings({M: 1, P: 2, D: 2, OTHER: 0})
    assert (
        "Peers: 2 nominated, fewer than 3; answers will be combined with other raters' "
        'and shown as "Others (combined)".'
    ) in combined
    left_out = nomination_warnings({M: 1, P: 2, D: 3})
    assert any(w.startswith("Peers: 2 nominated") and "left out" in w for w in left_out)
    assert any(w.startswith('"All others" will not be shown') for w in left_out)
    assert any(w.startswith("Manager: shown on its own") for w in left_out)


def test_nomination_warns_when_a_group_has_no_margin_for_a_non_answer() -> None:
    warnings = nomination_warnings({P: 3, D: 6})
    assert warnings == [
        "Peers: exactly 3 nominated; if one of them does not answer, the group falls below "
        "the minimum and is combined with other raters' or left out."
    ]


def test_nomination_with_enough_raters_everywhere_has_no_warnings() -> None:
    assert nomination_warnings({P: 5, D: 4, OTHER: 4}) == []


# --------------------------------------------------------------------------- comments


def test_comments_follow_their_groups_visibility() -> None:
    visibility = visible_groups({M: 1, D: 3, P: 1, OTHER: 2})  # peers merge into Others (3)
    comments = [
        RaterComment(M, "Clear plans"),
        RaterComment(D, "Listens"),
        RaterComment(P, "Helpful"),
        RaterComment(OTHER, "Quick"),
        RaterComment(D, "   "),
    ]
    shown = {c.text: c.figure.label for c in visible_comments(comments, visibility, seed=1)}
    assert shown == {
        "Clear plans": "Manager",
        "Listens": "Direct reports",
        "Helpful": "Others (combined)",
        "Quick": "Others (combined)",
    }


def test_comments_of_a_suppressed_group_are_dropped() -> None:
    visibility = visible_groups({M: 1, D: 3, P: 2})
    comments = [RaterComment(P, "Peer remark"), RaterComment(D, "Report remark")]
    assert [c.text for c in visible_comments(comments, visibility, seed=7)] == ["Report remark"]


def test_comment_order_depends_on_the_seed_not_on_submission_order() -> None:
    visibility = visible_groups({P: 12})
    comments = [RaterComment(P, f"comment {n}") for n in range(12)]
    first = [c.text for c in visible_comments(comments, visibility, seed=42)]
    again = [c.text for c in visible_comments(list(reversed(comments)), visibility, seed=42)]
    other = [c.text for c in visible_comments(comments, visibility, seed=43)]
    assert first == again
    assert first != other
    assert sorted(first) == sorted(c.text for c in comments)


def test_a_self_comment_is_refused() -> None:
    with pytest.raises(ValueError, match="self"):
        visible_comments([RaterComment(SELF, "me")], visible_groups({P: 3}), seed=0)


# --------------------------------------------------------------------------- properties

counts_strategy = st.fixed_dictionaries(
    {M: st.integers(0, 2), P: st.integers(0, 12), D: st.integers(0, 12), OTHER: st.integers(0, 12)}
)


@settings(max_examples=300, deadline=None)
@given(counts_strategy, st.integers(3, 5))
def test_no_combination_of_shown_figures_isolates_fewer_than_the_floor(
    counts: dict[RaterGroup, int], floor: int
) -> None:
    visibility = visible_groups(counts, floor)
    assert derivable_leaks(visibility.figures, counts, floor) == []
    for figure in visibility.figures:
        assert SELF not in figure.groups
        non_managers = sum(counts[g] for g in figure.groups if g is not M)
        assert non_managers == 0 or non_managers >= floor
        if figure.groups != {M}:
            assert visibility.rater_count(figure) >= floor


@settings(max_examples=300, deadline=None)
@given(counts_strategy, st.integers(3, 5))
def test_the_manager_and_every_group_at_the_floor_keep_their_own_figure(
    counts: dict[RaterGroup, int], floor: int
) -> None:
    shown = keys(visible_groups(counts, floor).figures)
    assert (FigureKey.MANAGER in shown) == (counts[M] > 0)
    for group, key in ((P, FigureKey.PEER), (D, FigureKey.DIRECT_REPORT)):
        assert (key in shown) == (counts[group] >= floor)


@settings(max_examples=300, deadline=None)
@given(counts_strategy, st.integers(3, 5), st.data())
def test_narrowing_to_per_scale_counts_never_reopens_a_leak(
    counts: dict[RaterGroup, int], floor: int, data: st.DataObject
) -> None:
    visibility = visible_groups(counts, floor)
    answered = {g: data.draw(st.integers(0, counts[g])) for g in RATER_GROUPS}
    shown, _notes = shown_for_counts(visibility.figures, answered, floor)
    assert set(shown) <= set(visibility.figures)
    assert derivable_leaks(shown, answered, floor) == []


def _scale_counts(
    raters: Sequence[tuple[RaterGroup, Answers]], scale_id: str
) -> dict[RaterGroup, int]:
    counts = dict.fromkeys(RATER_GROUPS, 0)
    for group, answers in raters:
        if score_scales(ROUND_INSTRUMENT, answers)[scale_id].score is not None:
            counts[group] += 1
    return counts


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_a_round_with_missing_answers_never_shows_a_derivable_small_group(
    round_: tuple[int, Answers | None, list[tuple[RaterGroup, Answers]]],
) -> None:
    floor, self_answers, raters = round_
    result = aggregate_round(ROUND_INSTRUMENT, self_answers, raters, floor)
    round_figures = set(result.visibility.figures)
    hidden = result.visibility.hidden_groups
    for scale_id, scale in result.scales.items():
        counts = _scale_counts(raters, scale_id)
        figures = [f.figure for f in scale.figures]
        assert set(figures) <= round_figures
        assert derivable_leaks(figures, counts, floor) == []
        for shown in scale.figures:
            assert not shown.figure.groups & hidden
            assert shown.n == sum(counts[g] for g in shown.figure.groups)
            if shown.figure.groups != {M}:
                assert shown.n >= floor
    for item in ROUND_INSTRUMENT.items:
        counts = dict.fromkeys(RATER_GROUPS, 0)
        for group, answers in raters:
            counts[group] += answers.get(item.id) is not None
        item_result = result.items[item.id]
        figures = [f.figure for f in item_result.figures]
        assert set(figures) <= {f.figure for f in result.scales[item.scale].figures}
        assert derivable_leaks(figures, counts, floor) == []
