"""Loading and validating questionnaire files (coach.instrument.loader).

Pure tests: no app, no database. Bad files are written to tmp_path; every rejection test
checks that the message names the file, the item / scale / field, and the reason.
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.instrument import (
    Instrument,
    InstrumentError,
    Pole,
    ScaleKind,
    load_instrument,
    load_instruments,
    validate_directory,
)

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
REAL_FILE = QUESTIONNAIRES / "leader-manager.yaml"
BAD = "bad.yaml"


# --- helpers -------------------------------------------------------------------------


def options(low: int = 1, high: int = 5, not_observed: bool = True) -> list[dict[str, Any]]:
    """Options low..high, then optionally "not able to observe"."""
    opts: list[dict[str, Any]] = [{"value": v, "label": f"Point {v}"} for v in range(low, high + 1)]
    if not_observed:
        opts.append({"value": None, "label": "Not able to observe"})
    return opts


def items_for(scale: str, count: int = 3, reversed_last: bool = False) -> list[dict[str, Any]]:
    """``count`` well-formed items for one scale, ids "<scale>-<n>"."""
    return [
        {
            "id": f"{scale}-{n}",
            "scale": scale,
            "key": -1 if reversed_last and n == count else 1,
            "self": f"I do thing {n} of {scale}",
            "observer": f"Does thing {n} of {scale}",
        }
        for n in range(1, count + 1)
    ]


def valid_data() -> dict[str, Any]:
    """A small valid instrument: one dimension (lead / man) and one skill scale (talk)."""
    return {
        "id": "demo",
        "version": "1.0",
        "title": "Demo instrument",
        "description": "A small instrument for tests.",
        "options": options(),
        "dimensions": [{"id": "dir", "name": "Direction", "leader": "lead", "manager": "man"}],
        "scales": [
            {"id": "lead", "name": "Lead", "kind": "pole", "dimension": "dir", "pole": "leader"},
            {"id": "man", "name": "Manage", "kind": "pole", "dimension": "dir", "pole": "manager"},
            {"id": "talk", "name": "Talk", "kind": "skill", "family": "leadership"},
        ],
        "pages": [
            {"id": "p-dir", "title": "Direction", "scales": ["lead", "man"]},
            {"id": "p-skills", "title": "Skills", "intro": "Skills.", "scales": ["talk"]},
        ],
        "items": items_for("lead", reversed_last=True) + items_for("man") + items_for("talk"),
    }


def write(folder: Path, data: object, name: str = BAD) -> Path:
    """Write data as YAML into folder/name and return the path."""
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    """The problems load_instrument reports for a file that must be rejected."""
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    assert info.value.problems, "InstrumentError without problems"
    return info.value.problems


def problems_for(tmp_path: Path, data: object) -> list[str]:
    """Write data to bad.yaml and return the problems reported for it."""
    return problems_of(write(tmp_path, data))


def assert_reported(problems: list[str], *fragments: str) -> None:
    """Some single message starts with the file name and contains every fragment."""
    hits = [p for p in problems if p.startswith(f"{BAD}: ") and all(f in p for f in fragments)]
    assert hits, f"no message with {fragments!r} in:\n" + "\n".join(problems)


def item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    """The item mapping with this id."""
    return next(i for i in data["items"] if i["id"] == item_id)


def scale(data: dict[str, Any], scale_id: str) -> dict[str, Any]:
    """The scale mapping with this id."""
    return next(s for s in data["scales"] if s["id"] == scale_id)


# --- the real instrument ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Instrument:
    return load_instrument(REAL_FILE)


def test_real_instrument_loads_with_eighteen_scales_five_dimensions_seven_pages(
    real: Instrument,
) -> None:
    assert real.id == "leader-manager"
    assert real.version == "1.0"
    assert len(real.scales) == 18
    assert len(real.pole_scales) == 10
    assert len(real.skill_scales) == 8
    assert len(real.dimensions) == 5
    assert len(real.pages) == 7
    assert len(real.items) == 72


def test_real_instrument_uses_never_to_always_plus_not_able_to_observe(real: Instrument) -> None:
    assert [(o.value, o.label) for o in real.options] == [
        (1, "Never"),
        (2, "Rarely"),
        (3, "Sometimes"),
        (4, "Often"),
        (5, "Always"),
        (None, "Not able to observe"),
    ]


def test_real_instrument_has_three_to_five_items_per_scale(real: Instrument) -> None:
    for s in real.scales:
        assert 3 <= len(real.items_of(s.id)) <= 5, s.id


def test_real_instrument_items_have_self_and_observer_wording(real: Instrument) -> None:
    for i in real.items:
        assert i.self_text.startswith("I "), i.id
        assert i.observer_text and not i.observer_text.startswith("I "), i.id
        assert i.observer_text[0].isupper(), i.id
        assert i.observer_text.split()[0].endswith("s"), i.id  # third-person verb


def test_real_instrument_observer_wording_uses_the_same_stem_as_self_wording(
    real: Instrument,
) -> None:
    pronouns = {"I": "they", "my": "their", "me": "them", "myself": "themselves"}
    for i in real.items:
        self_rest = [pronouns.get(w, w) for w in i.self_text.split()[2:]]
        assert self_rest == i.observer_text.split()[1:], i.id


def test_real_instrument_items_are_not_double_barrelled(real: Instrument) -> None:
    for i in real.items:
        for text in (i.self_text, i.observer_text):
            assert not re.search(r"\b(and|or)\b", text), f"{i.id}: {text}"
            assert not text.endswith("."), i.id


def test_real_instrument_reverse_keys_about_half_of_the_scales(real: Instrument) -> None:
    reversed_scales = {i.scale for i in real.items if i.key == -1}
    assert 7 <= len(reversed_scales) <= 11
    for s in real.scales:
        assert any(i.key == 1 for i in real.items_of(s.id)), s.id


def test_real_instrument_pairs_each_dimension_with_its_two_poles(real: Instrument) -> None:
    for dim in real.dimensions:
        leader, manager = real.scale(dim.leader_scale), real.scale(dim.manager_scale)
        assert (leader.dimension, leader.pole) == (dim.id, Pole.LEADER)
        assert (manager.dimension, manager.pole) == (dim.id, Pole.MANAGER)


def test_real_instrument_pages_are_dimensions_then_skill_families(real: Instrument) -> None:
    dimension_pages, skill_pages = real.pages[:5], real.pages[5:]
    for page, dim in zip(dimension_pages, real.dimensions, strict=True):
        assert page.scales == (dim.leader_scale, dim.manager_scale)
    assert [p.title for p in skill_pages] == ["Leadership skills", "Management skills"]
    families = [{real.scale(s).family for s in p.scales} for p in skill_pages]
    assert families == [{"leadership"}, {"management"}]
    assert len(skill_pages[0].scales) == 3
    assert len(skill_pages[1].scales) == 5


def test_real_instrument_scales_have_one_sentence_descriptions(real: Instrument) -> None:
    for s in real.scales:
        assert s.description.endswith("."), s.id
        assert s.description.count(". ") == 0, s.id
        assert len(s.description) <= 120, s.id


def test_real_questionnaire_folder_validates_clean() -> None:
    assert validate_directory(QUESTIONNAIRES) == []
    assert set(load_instruments(QUESTIONNAIRES)) >= {"leader-manager"}


# --- valid variations ------------------------------------------------------------------


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    instrument = load_instrument(write(tmp_path, valid_data(), "demo.yaml"))
    assert [s.id for s in instrument.scales] == ["lead", "man", "talk"]
    assert instrument.scale("lead").kind is ScaleKind.POLE
    assert instrument.scale("talk").family == "leadership"
    assert instrument.item("lead-3").key == -1
    assert instrument.pages[1].intro == "Skills."
    assert instrument.options[-1].is_not_observed


def test_zero_to_six_range_with_extra_scales_loads(tmp_path: Path) -> None:
    data = valid_data()
    data["options"] = options(0, 6)
    data["scales"] += [
        {"id": f"extra-{n}", "name": f"Extra {n}", "kind": "skill", "family": "other"}
        for n in range(4)
    ]
    data["pages"].append(
        {"id": "extra", "title": "Extra", "scales": [f"extra-{n}" for n in range(4)]}
    )
    for n in range(4):
        data["items"] += items_for(f"extra-{n}", count=3 + n)
    instrument = load_instrument(write(tmp_path, data, "wide.yaml"))
    assert (instrument.scale_min, instrument.scale_max) == (0, 6)
    assert instrument.valid_values == frozenset(range(7))
    assert len(instrument.scales) == 7
    assert [len(instrument.items_of(f"extra-{n}")) for n in range(4)] == [3, 4, 5, 6]


def test_file_without_not_observed_option_or_dimensions_loads(tmp_path: Path) -> None:
    data = valid_data()
    data["options"] = options(1, 7, not_observed=False)
    del data["dimensions"]
    data["scales"] = [scale(data, "talk")]
    data["pages"] = [{"id": "p", "title": "All", "scales": ["talk"]}]
    data["items"] = items_for("talk")
    instrument = load_instrument(write(tmp_path, data, "plain.yaml"))
    assert instrument.dimensions == ()
    assert not any(o.is_not_observed for o in instrument.options)


@pytest.mark.parametrize(("key", "expected"), [(1, 1), (-1, -1), ("+1", 1), ("-1", -1)])
def test_key_accepts_plus_or_minus_one_as_number_or_text(
    tmp_path: Path, key: object, expected: int
) -> None:
    data = valid_data()
    item(data, "man-2")["key"] = key
    assert load_instrument(write(tmp_path, data, "keys.yaml")).item("man-2").key == expected


def test_wording_is_stripped_of_surrounding_whitespace(tmp_path: Path) -> None:
    data = valid_data()
    item(data, "man-1")["self"] = "  I plan the week \n"
    assert load_instrument(write(tmp_path, data, "ws.yaml")).item("man-1").self_text == (
        "I plan the week"
    )


# --- rejected files: one test per rule -------------------------------------------------


def test_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / BAD
    path.write_text("id: demo\nversion: '1.0'\n  title: indented\n", encoding="utf-8")
    problems = problems_of(path)
    assert_reported(problems, "YAML syntax error", "line 3")


@pytest.mark.parametrize("content", ["- a\n- b\n", "just text\n", ""])
def test_top_level_that_is_not_a_mapping_is_rejected(tmp_path: Path, content: str) -> None:
    path = tmp_path / BAD
    path.write_text(content, encoding="utf-8")
    assert_reported(problems_of(path), "top level must be a mapping")


@pytest.mark.parametrize("field", ["id", "version", "title", "options", "scales", "items", "pages"])
def test_missing_required_field_is_rejected(tmp_path: Path, field: str) -> None:
    data = valid_data()
    del data[field]
    assert_reported(problems_for(tmp_path, data), f"missing required field '{field}'")


@pytest.mark.parametrize("field", ["id", "version", "title", "options", "scales", "items", "pages"])
def test_empty_required_field_is_rejected(tmp_path: Path, field: str) -> None:
    data = valid_data()
    data[field] = [] if isinstance(data[field], list) else "  "
    assert_reported(problems_for(tmp_path, data), f"field '{field}'", "required field is empty")


def test_unknown_top_level_field_is_rejected_with_a_suggestion(tmp_path: Path) -> None:
    data = valid_data()
    data["itmes"] = []
    assert_reported(
        problems_for(tmp_path, data), "unknown top-level field 'itmes'", "did you mean 'items'"
    )


def test_unknown_item_field_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    item(data, "man-2")["slef"] = "I typo"
    assert_reported(
        problems_for(tmp_path, data), "item man-2", "unknown field 'slef'", "did you mean 'self'"
    )


def test_unknown_scale_field_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    scale(data, "talk")["familly"] = "leadership"
    assert_reported(problems_for(tmp_path, data), "scale talk", "unknown field 'familly'")


def test_empty_option_list_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["options"] = []
    assert_reported(problems_for(tmp_path, data), "field 'options'", "empty")


def test_duplicate_option_values_are_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["options"][3]["value"] = 3
    assert_reported(problems_for(tmp_path, data), "options", "duplicate value 3")


@pytest.mark.parametrize(("value", "shown"), [(2.5, "2.5"), ("3", "'3'"), (True, "true")])
def test_non_integer_option_value_is_rejected(tmp_path: Path, value: object, shown: str) -> None:
    data = valid_data()
    data["options"][2]["value"] = value
    assert_reported(
        problems_for(tmp_path, data), "option #3", f"value must be an integer or null, got {shown}"
    )


def test_fewer_than_two_numeric_options_are_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["options"] = options(1, 1)
    assert_reported(problems_for(tmp_path, data), "options", "at least 2 numeric options, got 1")


def test_non_consecutive_option_values_are_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["options"] = [{"value": v, "label": str(v)} for v in (1, 2, 4)]
    assert_reported(problems_for(tmp_path, data), "options", "consecutive integers, got 1, 2, 4")


def test_options_listed_high_to_low_are_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["options"] = list(reversed(options(1, 5, not_observed=False)))
    assert_reported(problems_for(tmp_path, data), "options", "from low to high")


def test_more_than_one_not_observed_option_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["options"].append({"value": None, "label": "Don't know"})
    assert_reported(problems_for(tmp_path, data), "options", "more than one 'not able to observe'")


def test_not_observed_option_before_numeric_options_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["options"].insert(0, data["options"].pop())
    assert_reported(problems_for(tmp_path, data), "options", "must come last")


def test_option_label_read_as_boolean_gets_a_quoting_hint(tmp_path: Path) -> None:
    path = tmp_path / BAD
    text = yaml.safe_dump(valid_data(), sort_keys=False).replace("label: Point 1", "label: no")
    path.write_text(text, encoding="utf-8")
    assert_reported(problems_of(path), "option #1", "label must be text, got false", "quotes")


def test_item_with_unknown_scale_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    item(data, "man-2")["scale"] = "mann"
    assert_reported(
        problems_for(tmp_path, data),
        "item man-2",
        "scale 'mann' is not a defined scale",
        "did you mean 'man'",
    )


def test_duplicate_item_id_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    item(data, "man-3")["id"] = "man-2"
    assert_reported(problems_for(tmp_path, data), "item man-2", "duplicate item id")


def test_duplicate_scale_id_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["scales"].append(copy.deepcopy(scale(data, "talk")))
    assert_reported(problems_for(tmp_path, data), "scale talk", "duplicate scale id")


@pytest.mark.parametrize("bad_id", ["Man-2", "2-man", "man 2", "man.2", "man-2!", "-man"])
def test_item_id_that_cannot_be_a_form_field_name_is_rejected(tmp_path: Path, bad_id: str) -> None:
    data = valid_data()
    item(data, "man-2")["id"] = bad_id
    assert_reported(problems_for(tmp_path, data), f"item {bad_id}", f"id '{bad_id}' is not valid")


def test_missing_item_id_is_reported_by_list_position(tmp_path: Path) -> None:
    data = valid_data()
    del data["items"][4]["id"]
    assert_reported(problems_for(tmp_path, data), "item #5", "missing field 'id'")


def test_scale_with_fewer_than_three_items_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["items"] = [i for i in data["items"] if i["id"] != "talk-3"]
    assert_reported(problems_for(tmp_path, data), "scale talk", "has 2 items, needs at least 3")


def test_key_other_than_plus_or_minus_one_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    item(data, "man-2")["key"] = 0
    problems = problems_for(tmp_path, data)
    assert "bad.yaml: item man-2: key must be +1 or -1, got 0" in problems


@pytest.mark.parametrize(("key", "shown"), [(2, "2"), ("+2", "'+2'"), (True, "true"), (1.0, "1.0")])
def test_other_key_values_are_rejected(tmp_path: Path, key: object, shown: str) -> None:
    data = valid_data()
    item(data, "man-2")["key"] = key
    assert_reported(
        problems_for(tmp_path, data), "item man-2", f"key must be +1 or -1, got {shown}"
    )


def test_missing_key_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    del item(data, "man-2")["key"]
    assert_reported(problems_for(tmp_path, data), "item man-2", "missing field 'key'")


@pytest.mark.parametrize("field", ["self", "observer"])
def test_missing_wording_is_rejected(tmp_path: Path, field: str) -> None:
    data = valid_data()
    del item(data, "man-2")[field]
    assert_reported(problems_for(tmp_path, data), "item man-2", f"missing {field} wording")


@pytest.mark.parametrize("field", ["self", "observer"])
def test_empty_wording_is_rejected(tmp_path: Path, field: str) -> None:
    data = valid_data()
    item(data, "man-2")[field] = "   "
    assert_reported(problems_for(tmp_path, data), "item man-2", f"{field} wording", "is empty")


def test_pole_scale_without_dimension_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    del scale(data, "man")["dimension"]
    assert_reported(problems_for(tmp_path, data), "scale man", "pole scale needs a dimension")


def test_pole_scale_without_pole_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    del scale(data, "man")["pole"]
    assert_reported(problems_for(tmp_path, data), "scale man", "pole scale needs a pole")


def test_pole_scale_with_unknown_pole_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    scale(data, "man")["pole"] = "boss"
    assert_reported(
        problems_for(tmp_path, data), "scale man", "pole must be 'leader' or 'manager', got 'boss'"
    )


def test_pole_scale_with_undefined_dimension_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    scale(data, "man")["dimension"] = "dri"
    assert_reported(problems_for(tmp_path, data), "scale man", "dimension 'dri' is not defined")


def test_pole_scale_whose_dimension_does_not_list_it_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["scales"].append(
        {"id": "plan", "name": "Plan", "kind": "pole", "dimension": "dir", "pole": "manager"}
    )
    data["pages"][0]["scales"].append("plan")
    data["items"] += items_for("plan")
    assert_reported(
        problems_for(tmp_path, data),
        "scale plan",
        "dimension dir does not list it as its manager scale",
    )


def test_scale_with_unknown_kind_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    scale(data, "talk")["kind"] = "trait"
    assert_reported(problems_for(tmp_path, data), "scale talk", "kind must be 'pole' or 'skill'")


def test_dimension_referring_to_unknown_scale_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["dimensions"][0]["manager"] = "mgr"
    assert_reported(
        problems_for(tmp_path, data), "dimension dir", "manager scale 'mgr'", "not defined"
    )


def test_dimension_referring_to_skill_scale_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["dimensions"][0]["manager"] = "talk"
    assert_reported(
        problems_for(tmp_path, data), "dimension dir", "manager scale 'talk' is not a pole scale"
    )


def test_skill_scale_without_family_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    del scale(data, "talk")["family"]
    assert_reported(problems_for(tmp_path, data), "scale talk", "skill scale needs a family")


def test_skill_scale_with_a_dimension_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    scale(data, "talk")["dimension"] = "dir"
    assert_reported(problems_for(tmp_path, data), "scale talk", "not a dimension or pole")


def test_page_referring_to_unknown_scale_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["pages"][1]["scales"].append("walk")
    assert_reported(problems_for(tmp_path, data), "page p-skills", "scale 'walk' is not a defined")


def test_scale_on_no_page_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["pages"][0]["scales"] = ["lead"]
    assert_reported(problems_for(tmp_path, data), "scale man", "is on no page")


def test_scale_on_two_pages_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["pages"][1]["scales"].append("man")
    assert_reported(
        problems_for(tmp_path, data), "scale man", "exactly one page", "p-dir", "p-skills"
    )


def test_scale_listed_twice_on_one_page_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["pages"][1]["scales"].append("talk")
    assert_reported(problems_for(tmp_path, data), "scale talk", "more than once on page p-skills")


def test_duplicate_yaml_key_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / BAD
    text = yaml.safe_dump(valid_data(), sort_keys=False) + "title: Second title\n"
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    assert_reported(problems_of(path), f"line {line}", "'title' appears twice")


def test_unquoted_numeric_version_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["version"] = 1.1
    assert_reported(problems_for(tmp_path, data), "field 'version'", "quoted string", "got 1.1")


def test_every_problem_in_a_file_is_reported_not_just_the_first(tmp_path: Path) -> None:
    data = valid_data()
    item(data, "man-2")["key"] = 0
    del item(data, "lead-1")["observer"]
    scale(data, "talk")["kind"] = "trait"
    data["extra"] = True
    problems = problems_for(tmp_path, data)
    assert_reported(problems, "item man-2", "key must be +1 or -1")
    assert_reported(problems, "item lead-1", "missing observer wording")
    assert_reported(problems, "scale talk", "kind must be")
    assert_reported(problems, "unknown top-level field 'extra'")


def test_instrument_error_lists_one_problem_per_line(tmp_path: Path) -> None:
    data = valid_data()
    item(data, "man-2")["key"] = 0
    item(data, "man-3")["key"] = 5
    with pytest.raises(InstrumentError) as info:
        load_instrument(write(tmp_path, data))
    assert str(info.value).splitlines() == info.value.problems
    assert len(info.value.problems) == 2


# --- folders ---------------------------------------------------------------------------


def test_load_instruments_keys_every_file_by_instrument_id(tmp_path: Path) -> None:
    second = valid_data()
    second["id"] = "second"
    write(tmp_path, valid_data(), "a.yaml")
    write(tmp_path, second, "b.yml")
    assert sorted(load_instruments(tmp_path)) == ["demo", "second"]
    assert validate_directory(tmp_path) == []


def test_load_instruments_ignores_action_library_files(tmp_path: Path) -> None:
    write(tmp_path, valid_data(), "demo.yaml")
    write(tmp_path, [{"not": "an instrument"}], "actions.yaml")
    write(tmp_path, {"anything": 1}, "actions-extra.yml")
    (tmp_path / "notes.txt").write_text("not yaml", encoding="utf-8")
    assert list(load_instruments(tmp_path)) == ["demo"]


def test_load_instruments_rejects_duplicate_instrument_ids(tmp_path: Path) -> None:
    write(tmp_path, valid_data(), "first.yaml")
    write(tmp_path, valid_data(), "second.yaml")
    problems = validate_directory(tmp_path)
    assert problems == ["second.yaml: instrument id 'demo' is already used by first.yaml"]
    with pytest.raises(InstrumentError):
        load_instruments(tmp_path)


def test_load_instruments_reports_the_problems_of_every_bad_file(tmp_path: Path) -> None:
    one, two = valid_data(), valid_data()
    item(one, "man-2")["key"] = 0
    two["id"] = "two"
    del item(two, "talk-1")["self"]
    write(tmp_path, one, "one.yaml")
    write(tmp_path, two, "two.yaml")
    write(tmp_path, {**valid_data(), "id": "fine"}, "fine.yaml")
    problems = validate_directory(tmp_path)
    assert any(p.startswith("one.yaml: item man-2: key must be") for p in problems)
    assert any(p.startswith("two.yaml: item talk-1: missing self wording") for p in problems)
    assert not any(p.startswith("fine.yaml") for p in problems)


def test_folder_without_instrument_files_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, [], "actions.yaml")
    assert "no instrument files" in validate_directory(tmp_path)[0]
    assert "not found" in validate_directory(tmp_path / "missing")[0]


# --- property: generated valid instruments round-trip --------------------------------


@st.composite
def instrument_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid instrument as YAML data: scale counts, item counts, Likert range."""
    low = draw(st.integers(-3, 3))
    high = low + draw(st.integers(1, 10))
    n_dims = draw(st.integers(0, 4))
    n_skills = draw(st.integers(0 if n_dims else 1, 5))
    scales: list[dict[str, Any]] = []
    dims = []
    for d in range(n_dims):
        dims.append({"id": f"d{d}", "name": f"D{d}", "leader": f"d{d}-l", "manager": f"d{d}-m"})
        for pole, suffix in (("leader", "l"), ("manager", "m")):
            scales.append(
                {"id": f"d{d}-{suffix}", "name": "x", "kind": "pole", "dimension": f"d{d}",
                 "pole": pole}
            )  # fmt: skip
    scales += [
        {"id": f"s{n}", "name": "x", "kind": "skill", "family": "f"} for n in range(n_skills)
    ]
    items = []
    for s in scales:
        keys = draw(st.lists(st.sampled_from([1, -1, "+1", "-1"]), min_size=3, max_size=6))
        items += [
            {"id": f"{s['id']}-{n}", "scale": s["id"], "key": k, "self": "I x", "observer": "Xs"}
            for n, k in enumerate(keys)
        ]
    items = draw(st.permutations(items))
    ids = [s["id"] for s in scales]
    n_pages = draw(st.integers(1, len(ids)))
    pages = [{"id": f"p{p}", "title": f"P{p}", "scales": ids[p::n_pages]} for p in range(n_pages)]
    return {
        "id": "generated",
        "version": "2",
        "title": "Generated",
        "options": options(low, high, not_observed=draw(st.booleans())),
        "dimensions": dims,
        "scales": scales,
        "pages": pages,
        "items": items,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instrument_specs())
def test_generated_valid_instruments_round_trip_their_counts(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        instrument = load_instrument(write(Path(folder), spec, "generated.yaml"))
    numeric = [o["value"] for o in spec["options"] if o["value"] is not None]
    assert (instrument.scale_min, instrument.scale_max) == (min(numeric), max(numeric))
    assert len(instrument.options) == len(spec["options"])
    assert len(instrument.dimensions) == len(spec["dimensions"])
    assert [s.id for s in instrument.scales] == [s["id"] for s in spec["scales"]]
    assert len(instrument.items) == len(spec["items"])
    assert len(instrument.pages) == len(spec["pages"])
    for s in spec["scales"]:
        expected = [i for i in spec["items"] if i["scale"] == s["id"]]
        got = instrument.items_of(s["id"])
        assert [i.id for i in got] == [i["id"] for i in expected]
        assert [i.key for i in got] == [int(i["key"]) for i in expected]
    assert sorted(s for p in instrument.pages for s in p.scales) == sorted(
        s["id"] for s in spec["scales"]
    )


def _paths(node: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and list indexes) into a nested structure of dicts and lists."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.just([]),
    st.just({}),
    st.just([1, "x"]),
    st.just({"id": 3}),
)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_malformed_values_anywhere_give_problems_never_a_crash(data: st.DataObject) -> None:
    spec: Any = valid_data()
    path = data.draw(st.sampled_from(_paths(spec)[1:]))
    parent = spec
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(JUNK)
    with tempfile.TemporaryDirectory() as folder:
        file = write(Path(folder), spec)
        try:
            load_instrument(file)
        except InstrumentError as exc:
            assert exc.problems
            assert all(p.startswith(f"{BAD}: ") for p in exc.problems)
