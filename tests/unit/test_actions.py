"""The development-action library (coach.coaching.actions): the real file and bad files.

Pure tests: no app, no database. The real file is checked against the real instrument.
Bad files are a small valid library (for a three-scale instrument built in Python) with
one fault, written to tmp_path; every rejection test checks that the message names the
file, the action (or scale, or field) and the reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.coaching import (
    HORIZONS,
    LIBRARY_FILE,
    MIN_ACTIONS_PER_SCALE,
    ActionLibrary,
    ActionLibraryError,
    Direction,
    load_action_library,
    validate_action_library,
)
from coach.instrument import Instrument, load_instrument, load_instruments, validate_directory

from instrument_factory import make_instrument

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
REAL_FILE = QUESTIONNAIRES / LIBRARY_FILE
FIRST = "first-action"
SMALL_SCALES = ["dir.leader", "dir.manager", "talk"]


@pytest.fixture(scope="module")
def real_instrument() -> Instrument:
    return load_instrument(QUESTIONNAIRES / "leader-manager.yaml")


@pytest.fixture(scope="module")
def library(real_instrument: Instrument) -> ActionLibrary:
    return load_action_library(REAL_FILE, real_instrument)


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    """A small instrument: one dimension (dir.leader / dir.manager) and one skill (talk)."""
    return make_instrument(dimensions={"dir": ((1, 1, 1), (1, 1, 1))}, skills={"talk": (1, 1, 1)})


def small_action(action_id: str) -> dict[str, Any]:
    """A well-formed action that develops all three scales of the small instrument."""
    return {
        "id": action_id,
        "scales": list(SMALL_SCALES),
        "title": f"Do {action_id} every week",
        "why": "It helps because it is practised often. Practice makes it stick.",
        "steps": [f"Do step {n} of {action_id} on Monday morning." for n in range(1, 4)],
        "horizon": "4 weeks",
        "indicator": {
            "name": "weeks in which it was done",
            "unit": "% of weeks",
            "direction": "increase",
            "suggested_target": 75,
            "baseline_hint": "Count the weeks of the last month in which you did it.",
        },
    }


def small_data() -> dict[str, Any]:
    """A valid library for the small instrument: three actions covering every scale."""
    return {
        "id": "small-actions",
        "version": "1.0",
        "instrument": "test",
        "actions": [small_action(FIRST), small_action("second-action"), small_action("third")],
    }


def first_action(data: dict[str, Any]) -> dict[str, Any]:
    action: dict[str, Any] = data["actions"][0]
    assert action["id"] == FIRST
    return action


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / LIBRARY_FILE
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, data: object, instrument: Instrument) -> list[str]:
    """Write data as actions.yaml, check loading fails, and return every problem message."""
    with pytest.raises(ActionLibraryError) as caught:
        load_action_library(write(tmp_path, data), instrument)
    return caught.value.problems


def assert_problem(problems: list[str], expected: str) -> None:
    assert any(expected in p for p in problems), f"{expected!r} not in {problems}"


# --- the real library ------------------------------------------------------------------


def test_real_library_loads_for_the_leader_manager_instrument(library: ActionLibrary) -> None:
    assert library.id == "leader-manager-actions"
    assert library.version == "1.0"
    assert library.instrument_id == "leader-manager"
    assert len(library.actions) >= 54


def test_real_library_has_at_least_three_actions_for_each_of_the_eighteen_scales(
    library: ActionLibrary, real_instrument: Instrument
) -> None:
    assert len(real_instrument.scales) == 18
    for scale in real_instrument.scales:
        assert len(library.for_scale(scale.id)) >= MIN_ACTIONS_PER_SCALE, scale.id


def test_real_library_gives_every_scale_at_least_one_action_of_its_own(
    library: ActionLibrary, real_instrument: Instrument
) -> None:
    main_scales = {a.scales[0] for a in library.actions}
    assert main_scales == {s.id for s in real_instrument.scales}


def test_real_library_validates_clean(real_instrument: Instrument) -> None:
    assert validate_action_library(REAL_FILE, real_instrument) == []


def test_real_actions_have_three_to_five_steps_a_horizon_and_an_indicator(
    library: ActionLibrary,
) -> None:
    for action in library.actions:
        assert 3 <= len(action.steps) <= 5, action.id
        assert action.horizon in HORIZONS, action.id
        assert action.horizon_days == HORIZONS[action.horizon]
        assert action.indicator.direction in (Direction.INCREASE, Direction.DECREASE)
        assert action.indicator.baseline_hint, action.id


def test_real_actions_are_specific_rather_than_vague_exhortations(library: ActionLibrary) -> None:
    vague = re.compile(r"^(be|try to be|become)\b|\bmore (strategic|visionary)\b", re.I)
    for action in library.actions:
        assert not vague.search(action.title), action.title
        for step in action.steps:
            assert len(step.split()) >= 6, f"{action.id}: {step}"
            assert step.endswith("."), f"{action.id}: {step}"
        assert len(set(action.steps)) == len(action.steps), action.id


def test_real_action_ids_and_titles_are_unique(library: ActionLibrary) -> None:
    assert len({a.id for a in library.actions}) == len(library.actions)
    assert len({a.title for a in library.actions}) == len(library.actions)


def test_for_scale_lists_actions_whose_main_scale_it_is_first(library: ActionLibrary) -> None:
    actions = library.for_scale("strategic-visioning")
    mains = [a.scales[0] == "strategic-visioning" for a in actions]
    assert mains == sorted(mains, reverse=True)
    assert "three-year-picture" in [a.id for a in actions]  # listed there second
    assert library.action("three-year-picture").scales == ("vision", "strategic-visioning")


def test_library_file_is_not_mistaken_for_an_instrument() -> None:
    assert validate_directory(QUESTIONNAIRES) == []
    assert "leader-manager-actions" not in load_instruments(QUESTIONNAIRES)


# --- bad files: every problem names the file, the action and the reason ------------------


def test_unknown_scale_is_rejected_with_a_suggestion(
    tmp_path: Path, instrument: Instrument
) -> None:
    data = small_data()
    first_action(data)["scales"] = ["talkk"]
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: unknown scale 'talkk' (did you mean 'talk'?)",
    )


def test_scale_listed_twice_in_one_action_is_rejected(
    tmp_path: Path, instrument: Instrument
) -> None:
    data = small_data()
    first_action(data)["scales"] = ["talk", "talk"]
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: scale 'talk' is listed twice",
    )


@pytest.mark.parametrize("scales", [[], None, "talk"])
def test_action_without_a_list_of_scales_is_rejected(
    tmp_path: Path, instrument: Instrument, scales: object
) -> None:
    data = small_data()
    first_action(data)["scales"] = scales
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: field 'scales' must be a non-empty list of scale ids",
    )


def test_duplicate_action_id_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    data["actions"][1]["id"] = FIRST
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: duplicate action id",
    )


def test_bad_action_id_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    first_action(data)["id"] = "Three Year"
    assert_problem(
        problems_of(tmp_path, data, instrument),
        "actions.yaml: action Three Year: id 'Three Year' is not valid",
    )


@pytest.mark.parametrize("count", [0, 2, 6])
def test_steps_outside_three_to_five_are_rejected(
    tmp_path: Path, instrument: Instrument, count: int
) -> None:
    data = small_data()
    first_action(data)["steps"] = [f"Do concrete thing number {n} this week." for n in range(count)]
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: has {count} steps, needs 3 to 5",
    )


def test_blank_step_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    first_action(data)["steps"][1] = "  "
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: step #2 must be non-empty text",
    )


@pytest.mark.parametrize(
    ("field", "message"), [("title", "missing title"), ("why", "missing why (field 'why')")]
)
def test_missing_title_or_why_is_rejected(
    tmp_path: Path, instrument: Instrument, field: str, message: str
) -> None:
    data = small_data()
    del first_action(data)[field]
    assert_problem(
        problems_of(tmp_path, data, instrument), f"actions.yaml: action {FIRST}: {message}"
    )


def test_empty_title_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    first_action(data)["title"] = " "
    assert_problem(
        problems_of(tmp_path, data, instrument), f"actions.yaml: action {FIRST}: title is empty"
    )


def test_why_longer_than_two_sentences_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    first_action(data)["why"] = "It helps. It really helps. Trust me."
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: why has 3 sentences, keep it to one or two",
    )


@pytest.mark.parametrize("horizon", ["3 weeks", "1 year", 4, ["4 weeks"]])
def test_horizon_outside_the_vocabulary_is_rejected(
    tmp_path: Path, instrument: Instrument, horizon: object
) -> None:
    data = small_data()
    first_action(data)["horizon"] = horizon
    problems = problems_of(tmp_path, data, instrument)
    assert_problem(problems, f"actions.yaml: action {FIRST}: horizon ")
    assert_problem(
        problems, "is not one of '2 weeks', '4 weeks', '8 weeks', '1 quarter', '6 months'"
    )


def test_missing_horizon_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    del first_action(data)["horizon"]
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: missing field 'horizon'",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"direction": "up"}, "indicator direction must be 'increase' or 'decrease', got 'up'"),
        ({"suggested_target": "ten"}, "indicator suggested_target must be a number, got 'ten'"),
        ({"suggested_target": True}, "indicator suggested_target must be a number, got true"),
        ({"suggested_target": 150}, "indicator suggested_target 150 is not a percentage"),
        ({"name": None}, "missing indicator name (field 'name')"),
        ({"unit": ""}, "indicator unit (field 'unit') is empty"),
        ({"baseline_hint": None}, "missing indicator baseline_hint"),
        ({"target": 3}, "unknown indicator field 'target'"),
    ],
)
def test_bad_indicator_is_rejected(
    tmp_path: Path, instrument: Instrument, change: dict[str, Any], message: str
) -> None:
    data = small_data()
    indicator = first_action(data)["indicator"]
    assert indicator["unit"].startswith("%")
    for key, value in change.items():
        if value is None:
            del indicator[key]
        else:
            indicator[key] = value
    assert_problem(
        problems_of(tmp_path, data, instrument), f"actions.yaml: action {FIRST}: {message}"
    )


@pytest.mark.parametrize("indicator", [None, "count meetings", [1, 2]])
def test_indicator_that_is_not_a_mapping_is_rejected(
    tmp_path: Path, instrument: Instrument, indicator: object
) -> None:
    data = small_data()
    if indicator is None:
        del first_action(data)["indicator"]
    else:
        first_action(data)["indicator"] = indicator
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: indicator must be a mapping of name, unit, direction",
    )


def test_unknown_action_field_is_rejected_with_a_suggestion(
    tmp_path: Path, instrument: Instrument
) -> None:
    data = small_data()
    first_action(data)["stpes"] = ["x"]
    assert_problem(
        problems_of(tmp_path, data, instrument),
        f"actions.yaml: action {FIRST}: unknown field 'stpes' (did you mean 'steps'?)",
    )


def test_unknown_top_level_field_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    data["instrumnet"] = "leader-manager"
    assert_problem(
        problems_of(tmp_path, data, instrument),
        "actions.yaml: unknown top-level field 'instrumnet' (did you mean 'instrument'?)",
    )


@pytest.mark.parametrize("field", ["id", "version", "instrument", "actions"])
def test_missing_top_level_field_is_rejected(
    tmp_path: Path, instrument: Instrument, field: str
) -> None:
    data = small_data()
    del data[field]
    assert_problem(
        problems_of(tmp_path, data, instrument), f"actions.yaml: missing required field '{field}'"
    )


def test_unquoted_version_is_rejected(tmp_path: Path, instrument: Instrument) -> None:
    data = small_data()
    data["version"] = 1.0
    assert_problem(
        problems_of(tmp_path, data, instrument),
        "actions.yaml: field 'version': must be a quoted string such as \"1.0\", got 1.0",
    )


def test_library_for_another_instrument_is_rejected_once_not_per_scale(
    tmp_path: Path, instrument: Instrument
) -> None:
    data = small_data()
    data["instrument"] = "other-instrument"
    assert problems_of(tmp_path, data, instrument) == [
        "actions.yaml: field 'instrument': is 'other-instrument', but the library is being "
        "loaded for instrument 'test'"
    ]


def test_scale_with_fewer_than_three_actions_is_rejected(
    tmp_path: Path, instrument: Instrument
) -> None:
    data = small_data()
    data["actions"][2]["scales"] = ["dir.leader", "dir.manager"]
    assert problems_of(tmp_path, data, instrument) == [
        "actions.yaml: scale talk: has 2 actions, needs at least 3"
    ]


def test_action_counts_once_for_each_scale_it_develops(
    tmp_path: Path, instrument: Instrument
) -> None:
    library = load_action_library(write(tmp_path, small_data()), instrument)
    for scale in SMALL_SCALES:
        assert [a.id for a in library.for_scale(scale)] == [FIRST, "second-action", "third"]


def test_small_valid_library_loads(tmp_path: Path, instrument: Instrument) -> None:
    library = load_action_library(write(tmp_path, small_data()), instrument)
    assert library.instrument_id == "test"
    action = library.action(FIRST)
    assert action.scales == tuple(SMALL_SCALES)
    assert action.indicator.direction is Direction.INCREASE
    assert action.indicator.suggested_target == 75.0
    assert action.horizon_days == 28


def test_validate_returns_the_same_problems_that_loading_raises(
    tmp_path: Path, instrument: Instrument
) -> None:
    data = small_data()
    first_action(data)["horizon"] = "3 weeks"
    problems = problems_of(tmp_path, data, instrument)
    assert validate_action_library(tmp_path / LIBRARY_FILE, instrument) == problems


def test_every_problem_is_reported_not_just_the_first(
    tmp_path: Path, instrument: Instrument
) -> None:
    data = small_data()
    first_action(data)["horizon"] = "forever"
    second = data["actions"][1]
    second["steps"] = second["steps"][:1]
    problems = problems_of(tmp_path, data, instrument)
    assert_problem(problems, f"action {FIRST}: horizon 'forever'")
    assert_problem(problems, f"action {second['id']}: has 1 steps, needs 3 to 5")


def test_yaml_syntax_error_is_reported_with_its_line(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = tmp_path / LIBRARY_FILE
    path.write_text("id: x\nactions: [\n", encoding="utf-8")
    problems = validate_action_library(path, instrument)
    assert len(problems) == 1
    assert problems[0].startswith("actions.yaml: YAML syntax error at line")


def test_duplicate_yaml_key_is_reported(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, small_data())
    text = path.read_text(encoding="utf-8").replace(
        "version: '1.0'\n", "version: '1.0'\nversion: '1.1'\n"
    )
    path.write_text(text, encoding="utf-8")
    assert_problem(
        validate_action_library(path, instrument),
        "actions.yaml: line 3: key 'version' appears twice",
    )


@pytest.mark.parametrize(("content", "what"), [("", "the file is empty"), ("- a\n", "a list")])
def test_top_level_that_is_not_a_mapping_is_rejected(
    tmp_path: Path, instrument: Instrument, content: str, what: str
) -> None:
    path = tmp_path / LIBRARY_FILE
    path.write_text(content, encoding="utf-8")
    assert_problem(validate_action_library(path, instrument), "top level must be a mapping")
    assert_problem(validate_action_library(path, instrument), what)


def test_missing_file_is_reported_not_raised_as_os_error(
    tmp_path: Path, instrument: Instrument
) -> None:
    problems = validate_action_library(tmp_path / LIBRARY_FILE, instrument)
    assert problems and problems[0].startswith("actions.yaml: cannot read file")


def test_error_lists_every_problem_one_per_line() -> None:
    error = ActionLibraryError(["a.yaml: one", "a.yaml: two"])
    assert str(error) == "a.yaml: one\na.yaml: two"
    assert error.problems == ["a.yaml: one", "a.yaml: two"]
