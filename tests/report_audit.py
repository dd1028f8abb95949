"""Audit one 360 report from the outside: what the shown figures reveal about raters.

The auditor does not trust the report's own bookkeeping. From the raw answers it works out,
for every figure the report shows, which raters the figure's documented definition puts
in it, checks that the figure's n and (rounded) mean really are those raters' count and
mean, and then asks ``disclosure_audit`` whether any linear combination of the shown
figures pins down the answers (or scale scores) of 1..floor-1 non-manager raters. The
manager is exempt, as raters are told, and is treated as known to the attacker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from coach.instrument.schema import Instrument
from coach.scoring.anonymity import RaterGroup

from disclosure_audit import determined, disclosed_groups

M, P, D, O = (  # noqa: E741 (O is the OTHER group, as in the other tests)
    RaterGroup.MANAGER,
    RaterGroup.PEER,
    RaterGroup.DIRECT_REPORT,
    RaterGroup.OTHER,
)
Rater = tuple[RaterGroup, Mapping[str, int | None]]


@dataclass(frozen=True)
class Shown:
    """One figure as the subject sees it: where (scale or item id), which figure, n, mean."""

    where: str
    figure: str
    n: int
    mean: float


def shown_from_result(result: Any) -> list[Shown]:
    """Every scale and item figure of a ``RoundResult``."""
    out = [
        Shown(s_id, f.figure.key.value, f.n, f.mean)
        for s_id, scale in result.scales.items()
        for f in scale.figures
    ]
    out += [
        Shown(i_id, f.figure.key.value, f.n, f.mean)
        for i_id, item in result.items.items()
        for f in item.figures
    ]
    return out


def shown_from_json(body: Mapping[str, Any]) -> list[Shown]:
    """Every scale and item figure of the report API's JSON."""
    out = []
    for scale in body["scales"]:
        out += [Shown(scale["id"], f["figure"], f["n"], f["mean"]) for f in scale["figures"]]
        for item in scale.get("items", []):
            out += [Shown(item["id"], f["figure"], f["n"], f["mean"]) for f in item["figures"]]
    return out


def _answer(instrument: Instrument, answers: Mapping[str, int | None], item_id: str) -> int | None:
    value = answers.get(item_id)
    return None if value is None else int(value)


def _figure_groups(key: str, raters: Sequence[Rater], floor: int) -> frozenset[RaterGroup]:
    """The rater groups a figure key covers, by the documented merging rule."""
    counts = {g: sum(1 for group, _ in raters if group is g) for g in (M, P, D, O)}
    merged = {g for g in (P, D) if 0 < counts[g] < floor}
    return {
        "manager": frozenset({M}),
        "peer": frozenset({P}),
        "direct_report": frozenset({D}),
        "others": frozenset({O, *merged}),
        "all_others": frozenset({M, P, D, O}),
    }[key]


def audit(
    instrument: Instrument, raters: Sequence[Rater], floor: int, shown: Sequence[Shown]
) -> list[str]:
    """Problems found: figures that are not what they claim, and every disclosed secret."""
    problems: list[str] = []
    low, high = instrument.scale_min, instrument.scale_max
    for scale in instrument.scales:
        items = instrument.items_of(scale.id)
        need = -(-2 * len(items) // 3)
        answered = {
            r: [i for i in items if _answer(instrument, a, i.id) is not None]
            for r, (_, a) in enumerate(raters)
        }
        scored = {r for r, done in answered.items() if len(done) >= need}

        def keyed(r: int, item: Any) -> int:
            raw = _answer(instrument, raters[r][1], item.id)
            assert raw is not None
            return raw if item.key == 1 else low + high - raw

        rows: list[dict[tuple[int, str], float]] = []
        item_sets: dict[str, list[frozenset[int]]] = {i.id: [] for i in items}
        scale_sets: list[frozenset[int]] = []
        for fig in shown:
            on_scale = fig.where == scale.id
            item = next((i for i in items if i.id == fig.where), None)
            if not on_scale and item is None:
                continue
            groups = _figure_groups(fig.figure, raters, floor)
            in_groups = [r for r in range(len(raters)) if raters[r][0] in groups]
            if item is not None:
                # Either reading of "who answered the item": among the raters with a score
                # on the scale, or all of them. The figure's n and mean say which it is.
                answers = {
                    r: float(_answer(instrument, raters[r][1], item.id) or 0) for r in in_groups
                }
                candidates = [
                    [r for r in in_groups if r in scored and item in answered[r]],
                    [r for r in in_groups if item in answered[r]],
                ]
            else:
                answers = {
                    r: sum(keyed(r, i) for i in answered[r]) / len(answered[r])
                    for r in in_groups
                    if r in scored
                }
                candidates = [[r for r in in_groups if r in scored]]
            members = next(
                (
                    c
                    for c in candidates
                    if c
                    and len(c) == fig.n
                    and abs(sum(answers[r] for r in c) / len(c) - fig.mean) <= 0.05 + 1e-9
                ),
                None,
            )
            if members is None:  # the mean is shown to one decimal, hence the 0.05
                problems.append(f"{fig}: n and mean match no documented set of raters")
                continue
            hidden_from_subject = frozenset(r for r in members if raters[r][0] is not M)
            row: dict[tuple[int, str], float] = {}
            for r in hidden_from_subject:
                if item is not None:
                    row[(r, item.id)] = 1.0
                else:  # a scale score is a weighted sum of the rater's keyed answers
                    for i in answered[r]:
                        row[(r, i.id)] = i.key / len(answered[r])
            rows.append(row)
            (item_sets[item.id] if item is not None else scale_sets).append(hidden_from_subject)
        non_managers = {r for r, (g, _) in enumerate(raters) if g is not M}
        secrets: dict[str, dict[tuple[int, str], float]] = {}
        for i in items:
            can = sorted(r for r in non_managers if i in answered[r])
            for size in range(1, floor):
                for group in combinations(can, size):
                    secrets[f"{i.id} answers of raters {group}"] = {(r, i.id): 1.0 for r in group}
        can = sorted(non_managers & scored)
        for size in range(1, floor):
            for group in combinations(can, size):
                secrets[f"{scale.id} scores of raters {group}"] = {
                    (r, i.id): i.key / len(answered[r]) for r in group for i in answered[r]
                }
        problems += [f"disclosed: {name}" for name in determined(rows, secrets)]
        # The same check with the set auditor, one family of values at a time.
        for item_id, sets in item_sets.items():
            universe = {r for r in non_managers if any(i.id == item_id for i in answered[r])}
            for group in disclosed_groups(sets, universe, floor):
                problems.append(f"disclosed by item sums: {item_id} of {sorted(group)}")
        for group in disclosed_groups(scale_sets, non_managers & scored, floor):
            problems.append(f"disclosed by scale sums: {scale.id} of {sorted(group)}")
    return problems
