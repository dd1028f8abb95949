"""The disclosure auditor itself, on small hand-made examples whose answer is known."""

from __future__ import annotations

from disclosure_audit import atoms, determined, disclosed_groups, in_span


def test_a_set_minus_a_set_inside_it_discloses_the_remainder() -> None:
    found = disclosed_groups([frozenset({1, 2, 3, 4}), frozenset({1, 2, 3})], {1, 2, 3, 4}, 3)
    assert found == [frozenset({4})]


def test_two_left_over_members_are_disclosed_under_a_floor_of_three_but_not_of_two() -> None:
    shown = [frozenset({1, 2, 3, 4, 5}), frozenset({1, 2, 3})]
    assert disclosed_groups(shown, {1, 2, 3, 4, 5}, 3) == [frozenset({4, 5})]
    assert disclosed_groups(shown, {1, 2, 3, 4, 5}, 2) == []


def test_disjoint_sets_at_the_floor_disclose_nothing() -> None:
    shown = [frozenset({1, 2, 3}), frozenset({4, 5, 6}), frozenset({1, 2, 3, 4, 5, 6})]
    assert disclosed_groups(shown, set(range(1, 7)), 3) == []


def test_a_shown_set_below_the_floor_is_itself_disclosed() -> None:
    assert disclosed_groups([frozenset({"a", "b"})], {"a", "b", "c"}, 3) == [frozenset({"a", "b"})]


def test_overlapping_sets_disclose_through_a_combination_of_three() -> None:
    # {1, 2, 3} + {3, 4, 5} - {1, 2, 3, 4, 5} counts member 3 once and everyone else zero.
    shown = [frozenset({1, 2, 3}), frozenset({3, 4, 5}), frozenset({1, 2, 3, 4, 5})]
    assert frozenset({3}) in disclosed_groups(shown, {1, 2, 3, 4, 5}, 3)


def test_members_outside_the_universe_count_as_known() -> None:
    # "m" (an exempt manager) is projected away: {m, 1, 2, 3} minus {1, 2, 3} leaves nothing.
    shown = [frozenset({"m", 1, 2, 3}), frozenset({1, 2, 3})]
    assert disclosed_groups(shown, {1, 2, 3}, 3) == []
    # but {m, 1} next to nothing else still isolates 1, since m is assumed known.
    assert disclosed_groups([frozenset({"m", 1})], {1, 2, 3}, 3) == [frozenset({1})]


def test_members_in_no_shown_set_are_never_disclosed() -> None:
    assert disclosed_groups([frozenset({1, 2, 3})], {1, 2, 3, 4}, 3) == []


def test_atoms_group_members_that_share_every_set() -> None:
    parts = atoms([{1, 2, 3, 4}, {1, 2}], {1, 2, 3, 4, 5})
    assert sorted(parts, key=sorted) == [frozenset({1, 2}), frozenset({3, 4}), frozenset({5})]


def test_rank_test_finds_combinations_and_rejects_others() -> None:
    assert in_span([[1, 1, 0], [0, 1, 1]], [1, 2, 1])
    assert not in_span([[1, 1, 0], [0, 1, 1]], [1, 0, 0])
    assert not in_span([], [0, 1])
    assert in_span([], [0, 0])


def test_weighted_secrets_are_found_only_when_the_figures_pin_them_down() -> None:
    # Two item sums over raters a, b and one scale sum in which b has only item 1.
    shown = [
        {("a", 1): 1.0, ("b", 1): 1.0},
        {("a", 2): 1.0},  # a alone on item 2: a's answer is out
        {("a", 1): 0.5, ("a", 2): 0.5, ("b", 1): 1.0},
    ]
    secrets = {
        "a on item 2": {("a", 2): 1.0},
        "b on item 1": {("b", 1): 1.0},
        "a on item 1": {("a", 1): 1.0},
        "nothing": {("c", 1): 1.0},
    }
    assert set(determined(shown, secrets)) == {"a on item 2", "b on item 1", "a on item 1"}
    assert determined(shown[:1], secrets) == []
