"""Scoring one response (docs/methods.md "Scoring one response"): hand-worked cases and properties.

Pure tests: no app, no database. Instruments are built in Python by instrument_factory.
"""

from __future__ import annotations

import dataclasses
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.instrument.schema import Instrument
from coach.scoring import (
    STRONG_FRACTION,
    Profile,
    Quadrant,
    ScaleScore,
    min_answered,
    quadrant_of,
    score_response,
    score_scale,
    strengths_and_development,
    strong_threshold,
)

from instrument_factory import (
    DIMENSION_IDS,
    answer_all,
    answer_scale,
    full_instrument,
    make_instrument,
    single_scale,
)

# --------------------------------------------------------------------------- scale scores


def test_reversed_item_is_scored_from_the_other_end() -> None:
    # Keys +1 +1 +1 -1 on 1..5, answers 5 4 3 2.
    # Keyed: 5, 4, 3 and (1 + 5) - 2 = 4, so the mean is (5 + 4 + 3 + 4) / 4 = 16 / 4 = 4.0.
    instrument = single_scale((1, 1, 1, -1))
    result = score_scale(instrument, "s", answer_scale(instrument, "s", 5, 4, 3, 2))
    assert result == ScaleScore("s", 4.0, answered=4, items=4)


@pytest.mark.parametrize(
    ("items", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (7, 5), (9, 6)]
)
def test_a_scale_needs_two_thirds_of_its_items_rounded_up(items: int, needed: int) -> None:
    assert min_answered(items) == needed == math.ceil(2 * items / 3)


@pytest.mark.parametrize(("items", "needed"), [(3, 2), (4, 3), (5, 4)])
def test_exactly_two_thirds_answered_is_scored_one_fewer_is_blank(items: int, needed: int) -> None:
    instrument = single_scale((1,) * items)
    enough = score_scale(instrument, "s", answer_scale(instrument, "s", *[4] * needed))
    too_few = score_scale(instrument, "s", answer_scale(instrument, "s", *[4] * (needed - 1)))
    assert enough == ScaleScore("s", 4.0, answered=needed, items=items)
    assert too_few == ScaleScore("s", None, answered=needed - 1, items=items)
    assert too_few.is_blank and not enough.is_blank


def test_not_able_to_observe_is_missing_not_the_midpoint() -> None:
    # 5, 5, 5, "not able to observe": the mean of the three answers is 5.0. Treating the
    # fourth as the midpoint 3 would give 4.5 and pull the person towards average.
    instrument = single_scale((1, 1, 1, 1))
    result = score_scale(instrument, "s", answer_scale(instrument, "s", 5, 5, 5, None))
    assert result == ScaleScore("s", 5.0, answered=3, items=4)


def test_too_many_not_able_to_observe_leaves_the_scale_blank() -> None:
    instrument = single_scale((1, 1, 1))
    result = score_scale(instrument, "s", answer_scale(instrument, "s", 5, None, None))
    assert result.score is None and result.answered == 1


def test_a_scale_nobody_answered_is_blank() -> None:
    instrument = single_scale((1, 1, 1))
    assert score_scale(instrument, "s", {}) == ScaleScore("s", None, answered=0, items=3)


def test_a_zero_to_six_range_scores_on_its_own_metric() -> None:
    # Keys +1 +1 -1 on 0..6, answers 6, 3, 1. Keyed: 6, 3 and (0 + 6) - 1 = 5 -> 14 / 3.
    instrument = single_scale((1, 1, -1), low=0, high=6)
    result = score_scale(instrument, "s", answer_scale(instrument, "s", 6, 3, 1))
    assert result.score == pytest.approx(14 / 3)
    # 0 is a real answer on this range, not a missing one.
    zeros = score_scale(instrument, "s", answer_scale(instrument, "s", 0, 0, 6))
    assert zeros.score == 0.0 and zeros.answered == 3


@pytest.mark.parametrize("bad", [0, 6, -1, 3.0, True, "4"])
def test_an_answer_off_the_scale_is_rejected_naming_the_item(bad: object) -> None:
    instrument = single_scale((1, 1, 1))
    answers = {"s.1": 4, "s.2": bad}
    with pytest.raises(ValueError, match=re.escape("'s.2'")):
        score_scale(instrument, "s", answers)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=re.escape("'s.2'")):
        score_response(instrument, answers)  # type: ignore[arg-type]


def test_an_answer_for_an_item_not_in_the_instrument_is_rejected() -> None:
    instrument = single_scale((1, 1, 1))
    with pytest.raises(ValueError, match=re.escape("'ghost.1'")):
        score_response(instrument, {"s.1": 4, "ghost.1": 3})


def test_an_unknown_scale_is_an_error_not_a_blank_score() -> None:
    with pytest.raises(KeyError):
        score_scale(single_scale((1, 1, 1)), "nope", {})


# --------------------------------------------------------------------------- profile


def _poles(leader: int, manager: int) -> dict[str, int | None]:
    """Answers giving every leader pole ``leader`` and every manager pole ``manager``."""
    instrument = full_instrument()
    answers: dict[str, int | None] = {}
    for dim in DIMENSION_IDS:
        for scale_id, value in ((f"{dim}.leader", leader), (f"{dim}.manager", manager)):
            answers |= answer_scale(instrument, scale_id, value, value, value, 6 - value)
    return answers


def test_profile_lists_every_scale_in_instrument_order() -> None:
    instrument = full_instrument()
    profile = score_response(instrument, {})
    assert list(profile.scales) == [s.id for s in instrument.scales]
    assert all(s.score is None for s in profile.scales.values())
    assert profile.leader_index is None and profile.manager_index is None
    assert profile.quadrant is None
    assert profile.tilts == dict.fromkeys(DIMENSION_IDS)


def test_leader_and_manager_indexes_are_the_means_of_their_poles() -> None:
    instrument = full_instrument()
    answers = _poles(leader=4, manager=2)
    # Raise one leader pole to 5: leader poles 5, 4, 4, 4, 4 -> index 21 / 5 = 4.2.
    answers |= answer_scale(instrument, "risk.leader", 5, 5, 5, 1)
    profile = score_response(instrument, answers)
    assert profile.leader_index == pytest.approx(4.2)
    assert profile.manager_index == 2.0


def test_one_blank_pole_blanks_its_index_rather_than_averaging_the_rest() -> None:
    instrument = full_instrument()
    answers = _poles(leader=4, manager=2)
    answers |= answer_scale(instrument, "risk.leader", 4, None, None, None)
    profile = score_response(instrument, answers)
    assert profile.scales["risk.leader"].score is None
    assert profile.leader_index is None
    assert profile.manager_index == 2.0
    assert profile.tilts["risk"] is None
    assert profile.tilts["direction"] == 2.0
    assert profile.quadrant is None


def test_tilt_is_positive_towards_leading_and_negative_towards_managing() -> None:
    instrument = full_instrument()
    answers = _poles(leader=2, manager=2)
    answers |= answer_scale(instrument, "direction.leader", 5, 5, 4, 2)  # 5, 5, 4, 4 -> 4.5
    answers |= answer_scale(instrument, "risk.manager", 5, 4, 4, 1)  # 5, 4, 4, 5 -> 4.5
    profile = score_response(instrument, answers)
    assert profile.tilts["direction"] == 2.5
    assert profile.tilts["risk"] == -2.5
    assert profile.tilts["influence"] == 0.0


@pytest.mark.parametrize(
    ("leader", "manager", "quadrant"),
    [
        (4, 4, Quadrant.STRONG_AT_BOTH),
        (5, 2, Quadrant.LEADER_LEANING),
        (2, 5, Quadrant.MANAGER_LEANING),
        (3, 3, Quadrant.DEVELOPING),
    ],
)
def test_each_quadrant_is_reached_from_answers(
    leader: int, manager: int, quadrant: Quadrant
) -> None:
    profile = score_response(full_instrument(), _poles(leader, manager))
    assert profile.quadrant is quadrant


def test_exactly_at_the_threshold_counts_as_strong() -> None:
    # Every pole answered 4, 4, 3, and a reversed 3 (keyed 3): (4 + 4 + 3 + 3) / 4 = 3.5.
    instrument = full_instrument()
    answers = {i.id: 4 if i.id.endswith((".1", ".2")) else 3 for i in instrument.items}
    profile = score_response(instrument, answers)
    assert profile.leader_index == profile.manager_index == 3.5 == strong_threshold(instrument)
    assert profile.quadrant is Quadrant.STRONG_AT_BOTH


@pytest.mark.parametrize(
    ("leader", "manager", "quadrant"),
    [
        (3.5, 3.5, Quadrant.STRONG_AT_BOTH),
        (3.5, 3.49, Quadrant.LEADER_LEANING),
        (3.49, 3.5, Quadrant.MANAGER_LEANING),
        (3.49, 3.49, Quadrant.DEVELOPING),
        (5.0, 1.0, Quadrant.LEADER_LEANING),
        (1.0, 1.0, Quadrant.DEVELOPING),
    ],
)
def test_quadrant_boundaries_on_a_one_to_five_scale(
    leader: float, manager: float, quadrant: Quadrant
) -> None:
    assert quadrant_of(leader, manager, full_instrument()) is quadrant


def test_a_mean_that_lands_a_rounding_error_below_the_threshold_still_counts() -> None:
    just_under = math.nextafter(3.5, 0.0)
    assert quadrant_of(just_under, just_under, full_instrument()) is Quadrant.STRONG_AT_BOTH


def test_the_threshold_scales_with_the_response_range() -> None:
    wide = full_instrument(low=0, high=6)
    assert STRONG_FRACTION == 0.625
    assert strong_threshold(full_instrument()) == 3.5
    assert strong_threshold(wide) == 3.75
    assert quadrant_of(3.75, 3.7, wide) is Quadrant.LEADER_LEANING


def test_no_quadrant_without_both_indexes() -> None:
    instrument = full_instrument()
    assert quadrant_of(None, 4.0, instrument) is None
    assert quadrant_of(4.0, None, instrument) is None


@pytest.mark.parametrize("quadrant", list(Quadrant))
def test_every_quadrant_explains_itself_as_a_starting_point(quadrant: Quadrant) -> None:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", quadrant.explanation) if s]
    assert quadrant.title and quadrant.title[0].isupper()
    assert 2 <= len(sentences) <= 3
    assert "starting point, not a verdict" in quadrant.explanation


# --------------------------------------------------------------------------- strengths


def _profile_with(scores: dict[str, float | None]) -> tuple[Profile, Instrument]:
    """A profile holding these skill scores, built straight from ScaleScores."""
    instrument = make_instrument(skills={s: (1, 1, 1) for s in scores})
    scales = {s: ScaleScore(s, v, 0 if v is None else 3, 3) for s, v in scores.items()}
    return Profile(scales, None, None, {}, None), instrument


def test_strengths_are_highest_first_and_development_areas_lowest_first() -> None:
    profile, instrument = _profile_with(
        {"a": 3.0, "b": 4.5, "c": 1.5, "d": None, "e": 4.0, "f": 2.0, "g": 3.5, "h": 1.0}
    )
    strengths, development = strengths_and_development(profile, instrument)
    assert [s.scale_id for s in strengths] == ["b", "e", "g"]
    assert [s.scale_id for s in development] == ["h", "c", "f"]


def test_equal_scores_keep_instrument_order_and_never_appear_twice() -> None:
    profile, instrument = _profile_with(dict.fromkeys("abcdef", 3.0))
    strengths, development = strengths_and_development(profile, instrument)
    assert [s.scale_id for s in strengths] == ["a", "b", "c"]
    assert [s.scale_id for s in development] == ["d", "e", "f"]


@pytest.mark.parametrize(
    ("scored", "top", "bottom"),
    [
        (0, [], []),
        (1, ["a"], []),
        (2, ["b"], ["a"]),
        (4, ["d", "c"], ["a", "b"]),
        (5, ["e", "d", "c"], ["a", "b"]),
    ],
)
def test_with_few_scored_scales_they_are_split_not_repeated(
    scored: int, top: list[str], bottom: list[str]
) -> None:
    scores: dict[str, float | None] = {"abcde"[i]: 1.0 + i for i in range(scored)}
    scores["blank"] = None
    profile, instrument = _profile_with(scores)
    strengths, development = strengths_and_development(profile, instrument)
    assert [s.scale_id for s in strengths] == top
    assert [s.scale_id for s in development] == bottom


def test_strengths_and_development_cover_every_kind_of_scale() -> None:
    instrument = full_instrument()
    answers = answer_all(instrument, 3) | answer_scale(instrument, "direction.leader", 5, 5, 5, 1)
    answers |= answer_scale(instrument, "delegation", 1, 1, 1)
    strengths, development = strengths_and_development(
        score_response(instrument, answers), instrument, n=1
    )
    assert [s.scale_id for s in strengths] == ["direction.leader"]
    assert [s.scale_id for s in development] == ["delegation"]


def test_a_negative_count_is_refused() -> None:
    profile, instrument = _profile_with({"a": 3.0})
    with pytest.raises(ValueError, match="n must be"):
        strengths_and_development(profile, instrument, n=-1)


# --------------------------------------------------------------------------- properties

_ABSENT = object()


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    """Any Likert range, 0-3 dimensions and 0-3 skills of 1-6 randomly keyed items."""
    low = draw(st.integers(-2, 2))
    high = draw(st.integers(low + 1, low + 10))
    keys = st.lists(st.sampled_from((1, -1)), min_size=1, max_size=6)
    n_dims = draw(st.integers(0, 3))
    n_skills = draw(st.integers(0 if n_dims else 1, 3))
    dimensions = {f"d{i}": (draw(keys), draw(keys)) for i in range(n_dims)}
    skills = {f"s{i}": draw(keys) for i in range(n_skills)}
    return make_instrument(dimensions=dimensions, skills=skills, low=low, high=high)


@st.composite
def responses(draw: st.DrawFn) -> tuple[Instrument, dict[str, int | None]]:
    """An instrument and answers mixing real values, "not able to observe" and gaps."""
    instrument = draw(instruments())
    value = st.sampled_from(sorted(instrument.valid_values))
    answer = st.one_of(value, value, st.none(), st.just(_ABSENT))
    drawn = {item.id: draw(answer) for item in instrument.items}
    return instrument, {k: v for k, v in drawn.items() if v is not _ABSENT}  # type: ignore[misc]


def _mirror(instrument: Instrument, answers: dict[str, int | None]) -> dict[str, int | None]:
    total = instrument.scale_min + instrument.scale_max
    return {k: None if v is None else total - v for k, v in answers.items()}


@given(responses())
def test_every_score_stays_on_the_response_scale(
    response: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = response
    profile = score_response(instrument, answers)
    low, high = instrument.scale_min, instrument.scale_max
    for s in profile.scales.values():
        assert s.score is None or low <= s.score <= high
    for index in (profile.leader_index, profile.manager_index):
        assert index is None or low <= index <= high


@given(responses())
def test_reversing_every_key_and_mirroring_every_answer_changes_nothing(
    response: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = response
    flipped = dataclasses.replace(
        instrument, items=tuple(dataclasses.replace(i, key=-i.key) for i in instrument.items)
    )
    assert score_response(flipped, _mirror(instrument, answers)) == score_response(
        instrument, answers
    )


@given(responses())
def test_mirroring_the_answers_mirrors_every_score(
    response: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = response
    total = instrument.scale_min + instrument.scale_max
    original = score_response(instrument, answers).scales
    mirrored = score_response(instrument, _mirror(instrument, answers)).scales
    for scale_id, before in original.items():
        after = mirrored[scale_id]
        assert after.answered == before.answered
        if before.score is None:
            assert after.score is None
        else:
            assert after.score == pytest.approx(total - before.score, abs=1e-12)


@given(responses())
def test_a_scale_is_blank_exactly_when_too_few_items_are_answered(
    response: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = response
    for s in score_response(instrument, answers).scales.values():
        assert s.items == len(instrument.items_of(s.scale_id))
        assert (s.score is None) == (s.answered < min_answered(s.items))


@given(responses(), st.data())
def test_removing_answers_below_two_thirds_blanks_the_scale_never_imputes(
    response: tuple[Instrument, dict[str, int | None]], data: st.DataObject
) -> None:
    instrument, answers = response
    scale = data.draw(st.sampled_from(instrument.scales))
    items = instrument.items_of(scale.id)
    keep = data.draw(st.integers(0, min_answered(len(items)) - 1))
    answered = [i.id for i in items if answers.get(i.id) is not None]
    pruned = {k: v for k, v in answers.items() if k not in answered[keep:]}
    result = score_scale(instrument, scale.id, pruned)
    assert result.score is None
    assert result.answered == min(keep, len(answered))


@given(responses(), st.data())
def test_not_able_to_observe_counts_exactly_like_no_answer(
    response: tuple[Instrument, dict[str, int | None]], data: st.DataObject
) -> None:
    instrument, answers = response
    chosen = data.draw(st.sets(st.sampled_from(sorted(answers)))) if answers else set()
    as_not_observed = {k: None if k in chosen else v for k, v in answers.items()}
    deleted = {k: v for k, v in answers.items() if k not in chosen}
    assert score_response(instrument, as_not_observed) == score_response(instrument, deleted)


@given(responses())
def test_tilt_is_exactly_leader_pole_minus_manager_pole(
    response: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = response
    profile = score_response(instrument, answers)
    for dim in instrument.dimensions:
        leader = profile.scales[dim.leader_scale].score
        manager = profile.scales[dim.manager_scale].score
        expected = None if leader is None or manager is None else leader - manager
        assert profile.tilts[dim.id] == expected


@given(responses())
def test_an_index_is_the_mean_of_all_its_poles_or_blank(
    response: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = response
    profile = score_response(instrument, answers)
    for index, scale_ids in (
        (profile.leader_index, [d.leader_scale for d in instrument.dimensions]),
        (profile.manager_index, [d.manager_scale for d in instrument.dimensions]),
    ):
        scores = [profile.scales[s].score for s in scale_ids]
        if not scale_ids or None in scores:
            assert index is None
        else:
            assert index == pytest.approx(sum(s for s in scores if s is not None) / len(scores))


@given(responses(), st.integers(0, 5))
def test_strengths_and_development_never_overlap_and_rank_correctly(
    response: tuple[Instrument, dict[str, int | None]], n: int
) -> None:
    instrument, answers = response
    profile = score_response(instrument, answers)
    strengths, development = strengths_and_development(profile, instrument, n)
    scored = sum(s.score is not None for s in profile.scales.values())
    assert len(strengths) == min(n, (scored + 1) // 2)
    assert len(development) == min(n, scored - len(strengths))
    assert not {s.scale_id for s in strengths} & {s.scale_id for s in development}
    values = [s.score for s in strengths + development]
    assert None not in values
    if strengths and development:
        assert min(s.score or 0.0 for s in strengths) >= max(s.score or 0.0 for s in development)
