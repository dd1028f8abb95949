"""HR slices: nothing shown describes, or lets anyone derive, fewer than five people."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.scoring.hr_anonymity import HR_MIN_N, Slice, visible_slices


def test_a_slice_of_fewer_than_five_people_is_hidden():
    assert visible_slices([Slice("org", None, 4)]) == set()
    assert visible_slices([Slice("org", None, 5)]) == {"org"}


def test_a_child_that_leaves_one_to_four_people_in_its_parent_is_hidden():
    slices = [Slice("org", None, 12), Slice("ops", "org", 9)]
    assert visible_slices(slices) == {"org"}


def test_children_that_together_leave_a_small_remainder_lose_the_smallest():
    slices = [Slice("org", None, 17), Slice("a", "org", 6), Slice("b", "org", 8)]
    assert visible_slices(slices) == {"org", "b"}  # 17 - 6 - 8 = 3 would describe 3 people


def test_children_that_cover_the_parent_exactly_are_all_shown():
    slices = [Slice("org", None, 14), Slice("a", "org", 6), Slice("b", "org", 8)]
    assert visible_slices(slices) == {"org", "a", "b"}


def test_a_grandchild_is_checked_against_the_nearest_shown_ancestor():
    slices = [
        Slice("org", None, 20),
        Slice("dept", "org", 3),
        Slice("team", "dept", 3),
        Slice("lab", "org", 14),
    ]
    # dept and team are hidden (3 < 5); org minus lab leaves 6: fine.
    assert visible_slices(slices) == {"org", "lab"}


def test_a_filtered_slice_too_close_to_its_unfiltered_self_is_hidden():
    assert visible_slices([Slice("org", None, 18, n_unfiltered=20)]) == set()
    assert visible_slices([Slice("org", None, 15, n_unfiltered=20)]) == {"org"}
    assert visible_slices([Slice("org", None, 20, n_unfiltered=20)]) == {"org"}


def test_the_floor_can_be_raised_but_never_lowered():
    assert visible_slices([Slice("org", None, 6)], min_n=3) == {"org"}
    assert visible_slices([Slice("org", None, 6)], min_n=8) == set()


@st.composite
def organisations(draw):  # type: ignore[no-untyped-def]
    """A random unit tree, people per unit, and a random filter (a subset of the people)."""
    size = draw(st.integers(1, 14))
    parents: list[int | None] = [None] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    own = [draw(st.integers(0, 12)) for _ in range(size)]
    seed = draw(st.integers(0, 10_000))
    keep = draw(st.floats(0.3, 1.0))
    rng = random.Random(seed)
    kept = [sum(1 for _ in range(n) if rng.random() < keep) for n in own]
    filtered = draw(st.booleans())
    return parents, own, kept if filtered else own, filtered


def _totals(parents: list[int | None], own: list[int]) -> list[int]:
    totals = list(own)
    for unit in reversed(range(len(parents))):  # children always have larger indexes
        parent = parents[unit]
        if parent is not None:
            totals[parent] += totals[unit]
    return totals


def _ancestors(unit: int, parents: list[int | None]) -> list[int]:
    found = []
    while parents[unit] is not None:
        unit = parents[unit]  # type: ignore[assignment]
        found.append(unit)
    return found


@settings(max_examples=400, deadline=None)
@given(organisations())
def test_no_visible_figure_describes_or_reveals_one_to_four_people(org):
    parents, own, kept, filtered = org
    everyone, counted = _totals(parents, own), _totals(parents, kept)
    slices = [
        Slice(
            str(u),
            None if parents[u] is None else str(parents[u]),
            counted[u],
            everyone[u] if filtered else None,
        )
        for u in range(len(parents))
    ]
    shown = {int(k) for k in visible_slices(slices)}
    for unit in shown:
        assert counted[unit] >= HR_MIN_N
        if filtered:
            assert not 0 < everyone[unit] - counted[unit] < HR_MIN_N
        shown_ancestors = [a for a in _ancestors(unit, parents) if a in shown]
        for ancestor in shown_ancestors:
            assert not 0 < counted[ancestor] - counted[unit] < HR_MIN_N
    for unit in shown:  # whatever the shown slices nearest below a slice leave out
        frontier = [
            d
            for d in shown
            if next((a for a in _ancestors(d, parents) if a in shown), None) == unit
        ]
        remainder = counted[unit] - sum(counted[d] for d in frontier)
        assert not 0 < remainder < HR_MIN_N
