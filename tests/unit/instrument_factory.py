"""Build small Instrument objects directly in Python for the pure-package unit tests.

Item ids are "<scale>.<n>" (1-based); a dimension "d" has pole scales "d.leader" and
"d.manager". Nothing here reads a questionnaire file, so these tests do not depend on
the loader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from coach.instrument.schema import (
    Dimension,
    Instrument,
    Item,
    Page,
    Pole,
    ResponseOption,
    Scale,
    ScaleKind,
)
from coach.scoring.anonymity import RaterGroup
from coach.scoring.scales import Answers

NOT_OBSERVED = ResponseOption(None, "Not able to observe")

DIMENSION_IDS = ("direction", "risk", "people_process", "innovation_efficiency", "influence")
SKILL_IDS = (
    "strategic_visioning",
    "emotional_intelligence",
    "communication",
    "process_optimisation",
    "attention_to_detail",
    "performance_measurement",
    "decision_making",
    "delegation",
)


def options(low: int = 1, high: int = 5) -> tuple[ResponseOption, ...]:
    """A Likert range low..high plus "not able to observe"."""
    return (*(ResponseOption(v, f"point {v}") for v in range(low, high + 1)), NOT_OBSERVED)


def make_instrument(
    *,
    dimensions: Mapping[str, tuple[Sequence[int], Sequence[int]]] | None = None,
    skills: Mapping[str, Sequence[int]] | None = None,
    low: int = 1,
    high: int = 5,
) -> Instrument:
    """An instrument whose scales are given as item keys.

    ``dimensions`` maps a dimension id to (leader item keys, manager item keys);
    ``skills`` maps a skill scale id to its item keys. Scales come in that order:
    every dimension's leader then manager pole, then the skills.
    """
    scales: list[Scale] = []
    items: list[Item] = []
    dims: list[Dimension] = []
    for dim_id, (leader_keys, manager_keys) in (dimensions or {}).items():
        dims.append(Dimension(dim_id, dim_id, f"{dim_id}.leader", f"{dim_id}.manager"))
        for pole, keys in ((Pole.LEADER, leader_keys), (Pole.MANAGER, manager_keys)):
            scale_id = f"{dim_id}.{pole.value}"
            scales.append(Scale(scale_id, scale_id, ScaleKind.POLE, dimension=dim_id, pole=pole))
            items.extend(_items(scale_id, keys))
    for skill_id, keys in (skills or {}).items():
        scales.append(Scale(skill_id, skill_id, ScaleKind.SKILL, family="test"))
        items.extend(_items(skill_id, keys))
    page = Page("all", "All", tuple(s.id for s in scales))
    return Instrument(
        id="test",
        version="1",
        title="Test instrument",
        description="",
        options=options(low, high),
        dimensions=tuple(dims),
        scales=tuple(scales),
        items=tuple(items),
        pages=(page,),
    )


def single_scale(keys: Sequence[int], low: int = 1, high: int = 5) -> Instrument:
    """An instrument with one skill scale "s" whose items have these keys."""
    return make_instrument(skills={"s": keys}, low=low, high=high)


def full_instrument(low: int = 1, high: int = 5) -> Instrument:
    """Five dimensions of two 4-item poles (last item reversed) and eight 3-item skills."""
    pole = (1, 1, 1, -1)
    return make_instrument(
        dimensions={d: (pole, pole) for d in DIMENSION_IDS},
        skills={s: (1, 1, 1) for s in SKILL_IDS},
        low=low,
        high=high,
    )


def answer_scale(
    instrument: Instrument, scale_id: str, *values: int | None
) -> dict[str, int | None]:
    """Answers for one scale's items, in item order (fewer values leave items unanswered)."""
    return {item.id: v for item, v in zip(instrument.items_of(scale_id), values, strict=False)}


def answer_all(instrument: Instrument, keyed_value: int) -> dict[str, int | None]:
    """Answers that give every item the same keyed value (reversed items get the mirror)."""
    mirror = instrument.scale_min + instrument.scale_max
    return {i.id: keyed_value if i.key == 1 else mirror - keyed_value for i in instrument.items}


def _items(scale_id: str, keys: Sequence[int]) -> list[Item]:
    """Items "<scale>.1".."<scale>.n" with these keys and placeholder wording."""
    return [
        Item(f"{scale_id}.{n}", scale_id, key, f"I do {scale_id} {n}", f"Does {scale_id} {n}")
        for n, key in enumerate(keys, start=1)
    ]


# --------------------------------------------------------------------------- 360 rounds
# Added for the multi-rater tests: random rounds with per-scale missingness.

ROUND_INSTRUMENT = make_instrument(skills={"a": (1, 1, -1), "b": (1, 1, 1)})
"""Two 3-item scales (one reversed item): small enough for fast property tests."""


def rounds(
    instrument: Instrument = ROUND_INSTRUMENT,
) -> SearchStrategy[tuple[int, dict[str, int | None] | None, list[tuple[RaterGroup, Answers]]]]:
    """(floor, self answers or None, [(group, answers)]) with 0..2 managers, 0..12 others.

    About 2 answers in 7 are "not able to observe", so a rater's scale is blank about one
    time in five and per-scale counts often differ from the rater counts.
    """
    values = st.sampled_from([None, None, *range(instrument.scale_min, instrument.scale_max + 1)])
    item_ids = [i.id for i in instrument.items]
    answers = st.lists(values, min_size=len(item_ids), max_size=len(item_ids)).map(
        lambda row: dict(zip(item_ids, row, strict=True))
    )

    def group_of(group: RaterGroup, most: int) -> SearchStrategy[list[tuple[RaterGroup, Answers]]]:
        return st.lists(answers.map(lambda a: (group, a)), max_size=most)

    raters = st.tuples(
        group_of(RaterGroup.MANAGER, 2),
        group_of(RaterGroup.PEER, 12),
        group_of(RaterGroup.DIRECT_REPORT, 12),
        group_of(RaterGroup.OTHER, 12),
    ).map(lambda parts: [r for part in parts for r in part])
    return st.tuples(st.integers(3, 5), st.none() | answers, raters)
