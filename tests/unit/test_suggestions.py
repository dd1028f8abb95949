"""Suggested development areas (coach.coaching.suggestions): ranking, reasons, actions.

Pure tests: no app, no database. Most cases use the real instrument and action library so
the reasons read as a person would see them; the range test builds a 1-7 instrument.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from coach.coaching import (
    BLIND_SPOT_WEIGHT,
    Action,
    ActionLibrary,
    Direction,
    Indicator,
    OthersView,
    load_action_library,
    suggest_development,
)
from coach.instrument import Instrument, load_instrument

from instrument_factory import make_instrument

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return load_instrument(QUESTIONNAIRES / "leader-manager.yaml")


@pytest.fixture(scope="module")
def library(instrument: Instrument) -> ActionLibrary:
    return load_action_library(QUESTIONNAIRES / "actions.yaml", instrument)


def everywhere(instrument: Instrument, value: float, **overrides: float) -> dict[str, float | None]:
    """The same score on every scale, with some scales (ids with _ for -) set apart."""
    scores: dict[str, float | None] = {s.id: value for s in instrument.scales}
    for key, score in overrides.items():
        scores[key.replace("_", "-")] = score
    return scores


def rated_by_others(scores: dict[str, float | None], n: int = 5) -> dict[str, OthersView]:
    return {scale_id: OthersView(mean, n, False) for scale_id, mean in scores.items()}


# --- blind spots, low scales, pole balance -------------------------------------------------


def test_blind_spot_comes_first_with_both_figures_in_the_reason(
    instrument: Instrument, library: ActionLibrary
) -> None:
    self_scores = everywhere(instrument, 4.0, communication=4.4, delegation=3.2)
    others = rated_by_others(everywhere(instrument, 3.8, delegation=3.0))
    others["communication"] = OthersView(3.3, 6, blind_spot=True)
    result = suggest_development(instrument, self_scores, others, library)
    assert result[0].scale_id == "communication"
    assert result[0].reason == "Blind spot on Communication: you rate yourself 4.4, others 3.3"
    assert result[0].blind_spot == pytest.approx(BLIND_SPOT_WEIGHT * 1.1)
    assert result[1].scale_id == "delegation"


def test_blind_spot_outranks_a_lower_scale_without_one(
    instrument: Instrument, library: ActionLibrary
) -> None:
    # Others see delegation lower (2.4) than communication (3.6), but the blind spot on
    # communication is the thing the person cannot find out alone.
    self_scores = everywhere(instrument, 4.0, communication=4.3, delegation=2.5)
    others = rated_by_others(everywhere(instrument, 4.0, communication=3.6, delegation=2.4))
    others["communication"] = OthersView(3.6, 5, blind_spot=True)
    ranked = [s.scale_id for s in suggest_development(instrument, self_scores, others, library)]
    assert ranked[:2] == ["communication", "delegation"]


def test_low_scale_reason_names_the_others_figure_and_the_strong_threshold(
    instrument: Instrument, library: ActionLibrary
) -> None:
    self_scores = everywhere(instrument, 4.0, delegation=3.0)
    others = rated_by_others(everywhere(instrument, 4.0, delegation=2.6))
    [first] = suggest_development(instrument, self_scores, others, library, limit=1)
    assert first.reason == (
        "Delegation and team coordination: others rate you 2.6, "
        "below the 3.5 where a skill counts as strong"
    )
    assert first.priority == pytest.approx(0.9)


def test_low_scale_reason_uses_the_self_score_when_there_is_no_360(
    instrument: Instrument, library: ActionLibrary
) -> None:
    self_scores = everywhere(instrument, 4.0, attention_to_detail=2.9)
    [first] = suggest_development(instrument, self_scores, None, library, limit=1)
    assert first.reason == (
        "Attention to detail: you rate yourself 2.9, below the 3.5 where a skill counts as strong"
    )


def test_others_mean_replaces_the_self_score_where_others_exist(
    instrument: Instrument, library: ActionLibrary
) -> None:
    # Self says 4.5 (strong), others 2.8; with no blind-spot flag the low part alone counts.
    self_scores = everywhere(instrument, 4.0, decision_making=4.5)
    others = rated_by_others(everywhere(instrument, 4.0, decision_making=2.8))
    [first] = suggest_development(instrument, self_scores, others, library, limit=1)
    assert first.scale_id == "decision-making"
    assert "others rate you 2.8" in first.reason
    assert first.blind_spot == 0.0


def test_suppressed_others_fall_back_to_the_self_score(
    instrument: Instrument, library: ActionLibrary
) -> None:
    self_scores = everywhere(instrument, 4.0, delegation=2.0)
    others = {"delegation": OthersView(None, 2, False)}
    [first] = suggest_development(instrument, self_scores, others, library, limit=1)
    assert "you rate yourself 2.0" in first.reason


def test_tilted_dimension_puts_the_weaker_pole_ahead_of_an_equally_low_balanced_one(
    instrument: Instrument, library: ActionLibrary
) -> None:
    # Risk management and execution are both 3.0; only risk management trails its partner.
    scores = everywhere(instrument, 4.0, risk_taking=4.2, risk_management=3.0, vision=3.0)
    scores["execution"] = 3.0
    result = suggest_development(instrument, scores, rated_by_others(scores), library)
    assert [s.scale_id for s in result[:3]] == ["risk-management", "vision", "execution"]
    first = result[0]
    assert first.balance == pytest.approx(0.6)
    assert first.priority == pytest.approx(0.5 + 0.6)
    assert (
        first.reason
        == "Risk management trails Calculated risk-taking by 1.2 points (3.0 against 4.2)"
    )
    assert "risk-taking" not in [s.scale_id for s in result]


def test_weaker_pole_is_suggested_even_when_both_poles_are_strong(
    instrument: Instrument, library: ActionLibrary
) -> None:
    scores = everywhere(instrument, 4.0, people_first=4.9, process_first=3.9)
    result = suggest_development(instrument, scores, None, library)
    assert [s.scale_id for s in result] == ["process-first"]
    assert result[0].reason.startswith("Process first trails People first by 1.0 points")


def test_tilt_below_half_a_point_is_not_counted(
    instrument: Instrument, library: ActionLibrary
) -> None:
    scores = everywhere(instrument, 4.0, people_first=4.45, process_first=4.0)
    assert suggest_development(instrument, scores, None, library) == []
    scores["people-first"] = 4.5  # exactly half a point: counts
    assert [s.scale_id for s in suggest_development(instrument, scores, None, library)] == [
        "process-first"
    ]


def test_tilt_is_not_taken_between_a_self_score_and_an_others_mean(
    instrument: Instrument, library: ActionLibrary
) -> None:
    scores = everywhere(instrument, 4.0, people_first=5.0)
    others = {"process-first": OthersView(4.0, 4, False)}  # no others for people-first
    assert suggest_development(instrument, scores, others, library) == []


def test_strong_profile_without_blind_spots_or_tilts_gets_no_suggestions(
    instrument: Instrument, library: ActionLibrary
) -> None:
    scores = everywhere(instrument, 4.2)
    assert suggest_development(instrument, scores, rated_by_others(scores), library) == []


def test_blank_scales_are_skipped(instrument: Instrument, library: ActionLibrary) -> None:
    scores: dict[str, float | None] = dict.fromkeys(everywhere(instrument, 4.0))
    scores["communication"] = 2.0
    result = suggest_development(instrument, scores, None, library)
    assert [s.scale_id for s in result] == ["communication"]


# --- determinism, limits, actions -----------------------------------------------------------


def test_ties_are_broken_by_instrument_order(
    instrument: Instrument, library: ActionLibrary
) -> None:
    scores = everywhere(instrument, 3.0)
    result = suggest_development(instrument, scores, None, library, limit=18)
    assert [s.scale_id for s in result] == [s.id for s in instrument.scales]


def test_result_does_not_depend_on_the_order_of_the_input_mappings(
    instrument: Instrument, library: ActionLibrary
) -> None:
    rng = random.Random(7)
    scores = {s.id: round(rng.uniform(1.5, 4.8), 1) for s in instrument.scales}
    others = {k: OthersView(round(v - 0.3, 1), 4, k == "vision") for k, v in scores.items()}
    expected = suggest_development(instrument, scores, others, library, limit=18)
    for _ in range(5):
        keys = list(scores)
        rng.shuffle(keys)
        shuffled = {k: scores[k] for k in keys}
        shuffled_others = {k: others[k] for k in reversed(keys)}
        again = suggest_development(instrument, shuffled, shuffled_others, library, limit=18)
        assert again == expected


def test_limit_caps_the_number_of_suggestions(
    instrument: Instrument, library: ActionLibrary
) -> None:
    scores = everywhere(instrument, 2.0)
    assert len(suggest_development(instrument, scores, None, library)) == 5
    assert len(suggest_development(instrument, scores, None, library, limit=2)) == 2
    assert suggest_development(instrument, scores, None, library, limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        suggest_development(instrument, scores, None, library, limit=-1)


def test_each_suggestion_carries_up_to_three_actions_for_its_scale(
    instrument: Instrument, library: ActionLibrary
) -> None:
    scores = everywhere(instrument, 2.0)
    for suggestion in suggest_development(instrument, scores, None, library, limit=18):
        assert 1 <= len(suggestion.actions) <= 3
        for action in suggestion.actions:
            assert suggestion.scale_id in action.scales


def test_actions_already_shown_higher_up_are_not_repeated_when_others_exist(
    instrument: Instrument, library: ActionLibrary
) -> None:
    # three-year-picture serves vision and strategic visioning; it should appear once.
    scores = everywhere(instrument, 4.0, vision=2.0, strategic_visioning=2.5)
    result = suggest_development(instrument, scores, None, library)
    assert [s.scale_id for s in result] == ["vision", "strategic-visioning"]
    shown = [a.id for s in result for a in s.actions]
    assert len(shown) == len(set(shown)) == 6


def test_unknown_scale_id_in_the_input_is_rejected(
    instrument: Instrument, library: ActionLibrary
) -> None:
    with pytest.raises(ValueError, match="delegaton"):
        suggest_development(instrument, {"delegaton": 2.0}, None, library)


def test_library_for_another_instrument_is_rejected(
    instrument: Instrument, library: ActionLibrary
) -> None:
    other = make_instrument(skills={"talk": (1, 1, 1)})
    with pytest.raises(ValueError, match="not 'test'"):
        suggest_development(other, {"talk": 2.0}, None, library)


# --- other response ranges ------------------------------------------------------------------


def _library_for(instrument: Instrument) -> ActionLibrary:
    indicator = Indicator("times", "times", Direction.INCREASE, 3.0, "Count them.")
    actions = tuple(
        Action(f"act-{n}", (s.id,), f"Act {n}", "Helps.", ("a", "b", "c"), "4 weeks", indicator)
        for n, s in enumerate(instrument.scales)
    )
    return ActionLibrary("lib", "1", instrument.id, actions)


def test_threshold_and_minimum_tilt_follow_the_response_range() -> None:
    wide = make_instrument(dimensions={"d": ((1, 1, 1), (1, 1, 1))}, low=1, high=7)
    library = _library_for(wide)
    # Strong starts at 1 + 0.625 * 6 = 4.75; the minimum tilt is 6 / 8 = 0.75 points.
    result = suggest_development(wide, {"d.leader": 5.5, "d.manager": 4.0}, None, library)
    assert [s.scale_id for s in result] == ["d.manager"]
    assert "below the 4.75 where a score counts as strong" in result[0].reason
    assert result[0].low == pytest.approx(0.75)
    assert result[0].balance == pytest.approx(0.75)
    flatter = suggest_development(wide, {"d.leader": 5.5, "d.manager": 4.8}, None, library)
    assert flatter == []  # a 0.7 tilt is below 0.75 on a 1-7 range
