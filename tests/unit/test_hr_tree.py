"""The whole-tree rule for HR figures, and campaign state counts: checked on random trees."""

from __future__ import annotations

import random

from coach.scoring.hr_disclosure import Tree
from coach.scoring.hr_progress import answers_shown, state_counts
from coach.scoring.hr_tree import remainders, shown_units, subtree_totals

from disclosure_audit import disclosed_groups

ROOT = 0


def _random_tree(rng: random.Random, units: int) -> tuple[dict[int, int | None], dict[int, int]]:
    parents: dict[int, int | None] = {ROOT: None}
    for key in range(1, units + 1):
        parents[key] = rng.randrange(key)  # any unit made before it, or the root
    direct = {key: rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 9)) for key in parents}
    return parents, direct


def _people(parents: dict[int, int | None], direct: dict[int, int]) -> dict[int, set[str]]:
    """Each unit's people, its own and those below it."""
    members: dict[int, set[str]] = {key: set() for key in parents}
    for key, count in direct.items():
        for n in range(count):
            unit: int | None = key
            while unit is not None:
                members[unit].add(f"{key}.{n}")
                unit = parents[unit]
    return members


def test_on_random_trees_shown_units_reveal_no_group_of_one_to_four_people():
    rng = random.Random(7)
    for _ in range(150):
        parents, direct = _random_tree(rng, rng.randrange(1, 9))
        shown = shown_units(ROOT, parents, direct)
        totals = subtree_totals(Tree.of(parents), direct)
        for key in shown - {ROOT}:
            assert parents[key] in shown  # ancestor-closed
        assert all(r == 0 or r >= 5 for r in remainders(shown, ROOT, parents, totals).values())
        members = _people(parents, direct)
        assert all(totals[k] == len(members[k]) for k in parents)
        sets = [frozenset(members[k]) for k in shown]
        assert disclosed_groups(sets, members[ROOT], 5) == []


def test_a_parent_with_one_person_of_its_own_hides_one_of_its_teams_not_itself():
    parents: dict[int, int | None] = {ROOT: None, 1: ROOT, 2: 1, 3: 1}
    assert shown_units(ROOT, parents, {1: 1, 2: 5, 3: 6}) == {ROOT, 1, 3}


def test_a_loop_in_the_unit_data_is_never_shown_and_never_walked_forever():
    parents: dict[int, int | None] = {ROOT: None, 1: ROOT, 2: 3, 3: 2}
    assert shown_units(ROOT, parents, {1: 5, 2: 5, 3: 5}) == {ROOT, 1}


def test_campaign_states_of_one_to_four_rounds_are_merged_until_the_rest_is_five():
    order = ("draft", "open", "closed")
    assert state_counts({"draft": 4}, order) is None
    merged = state_counts({"draft": 6, "open": 3, "closed": 1}, order)
    assert merged is not None and merged.shown == {} and merged.merged_count == 10
    split = state_counts({"draft": 5, "open": 2, "closed": 3}, order)
    assert split is not None and split.shown == {"draft": 5} and split.merged == ("open", "closed")
    assert not answers_shown(9, 4) and answers_shown(9, 5) and not answers_shown(4, 4)
