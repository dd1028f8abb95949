"""One 360 round's report figures: group means, bands, agreement, gaps, items, comments.

Pure module: standard library only. Each rater is scored with ``score_scales`` first and
only then averaged, so the 2/3 rule and item keying are the same for one person and for a
group. Visibility comes from ``anonymity``: decided once per round on the rater counts, then
narrowed on each scale by ``disclosure`` to the raters who have a score on it; an item figure
stands on exactly the raters of its scale figure or is not shown. Suppressed figures are
absent from the result, never zero; means are rounded to the precision the report shows.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from coach.instrument.schema import Instrument, Item
from coach.scoring.anonymity import (
    MIN_GROUP_N,
    Figure,
    FigureKey,
    RaterGroup,
    Visibility,
    anonymity_floor,
    visible_groups,
)
from coach.scoring.disclosure import ScaleDisclosure, disclose_scale, shown_value
from coach.scoring.scales import Answers, ScaleScore, check_answer, score_scales
from coach.scoring.uncertainty import (
    Gap,
    band,
    default_msw,
    r_wg,
    raters_disagree,
    self_other_gap,
    standard_error,
)

OTHERS_POOL: Literal["others"] = "others"
"""The MSW lookup key for a figure that mixes rater groups ("all others", combined)."""

MswKey = RaterGroup | Literal["others"]
MswLookup = Callable[[MswKey, str], float | None]
"""(group or "others", scale id) -> pooled MSW, or None to use the documented default."""


@dataclass(frozen=True)
class FigureScore:
    """One shown figure on one scale: mean of its raters' scale scores, n, band, agreement.

    ``mean`` and the band are rounded to the precision the report shows.
    """

    figure: Figure
    mean: float
    n: int
    se: float
    band_low: float
    band_high: float
    r_wg: float | None
    raters_disagree: bool


@dataclass(frozen=True)
class ScaleResult:
    """One scale of the report; ``figures`` holds only what may be shown on this scale.

    ``gap`` compares self with "all others" when that is shown here, else with the raters
    of all figures shown here together (``gap_basis``), which those figures already reveal.
    """

    scale_id: str
    self_score: float | None
    figures: tuple[FigureScore, ...]
    gap: Gap | None
    gap_basis: tuple[Figure, ...]
    notes: tuple[str, ...]

    def figure(self, key: FigureKey) -> FigureScore | None:
        """The figure with this key on this scale, None when it is not shown here."""
        return next((f for f in self.figures if f.figure.key is key), None)


@dataclass(frozen=True)
class ItemFigure:
    """Mean raw answer (as worded, not keyed, rounded as shown) of one figure on one item."""

    figure: Figure
    mean: float
    n: int


@dataclass(frozen=True)
class ItemResult:
    """One item: the self answer, the figures shown on it, and why its scale's others are not."""

    item_id: str
    scale_id: str
    self_answer: int | None
    figures: tuple[ItemFigure, ...]
    notes: tuple[str, ...] = ()

    def figure(self, key: FigureKey) -> ItemFigure | None:
        """The figure with this key on this item, None when it is not shown here."""
        return next((f for f in self.figures if f.figure.key is key), None)


@dataclass(frozen=True)
class RoundResult:
    """Everything a 360 report shows for one round, in instrument order."""

    visibility: Visibility
    scales: dict[str, ScaleResult]
    items: dict[str, ItemResult]

    @property
    def explanations(self) -> tuple[str, ...]:
        """Round-level notes on what was merged or not shown, for the report."""
        return self.visibility.explanations

    def means(self, key: FigureKey) -> dict[str, float]:
        """Scale id -> mean of one figure, only where shown (feed to indexes.pole_index)."""
        return {
            scale_id: score.mean
            for scale_id, result in self.scales.items()
            if (score := result.figure(key)) is not None
        }


@dataclass(frozen=True)
class RaterComment:
    """A free-text comment as stored: its rater group and an optional topic (question id)."""

    group: RaterGroup
    text: str
    topic: str | None = None


@dataclass(frozen=True)
class ShownComment:
    """A comment as shown: tagged with a shown figure, never with a hidden group."""

    text: str
    figure: Figure
    topic: str | None = None


@dataclass(frozen=True)
class _Rater:
    """One rater's group, answers and scale scores."""

    group: RaterGroup
    answers: Answers
    scales: dict[str, ScaleScore]


def aggregate_round(
    instrument: Instrument,
    self_answers: Answers | None,
    rater_responses: Sequence[tuple[RaterGroup, Answers]],
    floor: int = MIN_GROUP_N,
    msw_lookup: MswLookup | None = None,
) -> RoundResult:
    """Score every rater, decide visibility, and build the report figures of one round."""
    floor = anonymity_floor(floor)
    raters = []
    for raw_group, answers in rater_responses:
        group = RaterGroup(raw_group)  # also accepts the stored string value
        if group is RaterGroup.SELF:
            raise ValueError("self answers go in self_answers, never among the raters")
        raters.append(_Rater(group, answers, score_scales(instrument, answers)))
    counts: dict[RaterGroup, int] = {}
    for rater in raters:
        counts[rater.group] = counts.get(rater.group, 0) + 1
    visibility = visible_groups(counts, floor)
    self_scales = score_scales(instrument, self_answers) if self_answers is not None else {}
    lookup = msw_lookup or (lambda _key, _scale: None)
    groups = [r.group for r in raters]
    decisions = {
        s.id: disclose_scale(
            visibility,
            s.id,
            groups,
            [r.scales[s.id].score is not None for r in raters],
            {
                i.id: [
                    check_answer(instrument, i.id, r.answers.get(i.id)) is not None for r in raters
                ]
                for i in instrument.items_of(s.id)
            },
        )
        for s in instrument.scales
    }
    scales = {
        s.id: _scale_result(instrument, decisions[s.id], self_scales, raters, lookup)
        for s in instrument.scales
    }
    items = {
        i.id: _item_result(instrument, i, self_answers, raters, decisions[i.scale])
        for i in instrument.items
    }
    return RoundResult(visibility, scales, items)


def visible_comments(
    comments: Iterable[RaterComment], visibility: Visibility, seed: int | str | bytes
) -> list[ShownComment]:
    """Comments that may be shown, tagged with their narrowest shown figure, shuffled.

    A comment from a merged group is tagged "Others (combined)", never with its group; a
    comment whose group is in no shown figure is dropped; blank comments are dropped.
    """
    shown = []
    for comment in comments:
        if comment.group is RaterGroup.SELF:
            raise ValueError("comments come from raters, not from self")
        homes = [f for f in visibility.figures if comment.group in f.groups]
        text = comment.text.strip()
        if homes and text:
            home = min(homes, key=lambda f: len(f.groups))
            shown.append(ShownComment(text, home, comment.topic))
    # Sorting first makes the output depend only on the set of comments and the seed, so
    # the order they were submitted in (which can identify a rater) cannot leak through.
    shown.sort(key=lambda c: (c.text, c.topic or "", c.figure.key.value))
    random.Random(seed).shuffle(shown)  # noqa: S311 (display order, not a secret)
    return shown


def _scale_result(
    instrument: Instrument,
    decision: ScaleDisclosure,
    self_scales: Mapping[str, ScaleScore],
    raters: Sequence[_Rater],
    lookup: MswLookup,
) -> ScaleResult:
    """One scale's shown figures, each over exactly the raters the disclosure decided."""
    scale_id = decision.scale_id

    def scores(members: Iterable[int]) -> list[float]:
        return [raters[r].scales[scale_id].score or 0.0 for r in members]

    shown = decision.shown
    figures = tuple(
        _figure_score(instrument, scale_id, f, scores(decision.members[f.key]), lookup)
        for f in shown
    )
    self_score = self_scales[scale_id].score if scale_id in self_scales else None
    all_others = next((f for f in shown if f.key is FigureKey.ALL_OTHERS), None)
    basis = (all_others,) if all_others is not None else shown
    gap = None
    if self_score is not None and basis:
        groups = frozenset(g for f in basis for g in f.groups)
        pooled = sorted({r for f in basis for r in decision.members[f.key]})
        mean, se = _mean_and_se(instrument, scale_id, groups, scores(pooled), lookup)
        gap = self_other_gap(self_score, mean, se, instrument)
    notes = decision.notes
    return ScaleResult(scale_id, self_score, figures, gap, basis if gap is not None else (), notes)


def _item_result(
    instrument: Instrument,
    item: Item,
    self_answers: Answers | None,
    raters: Sequence[_Rater],
    decision: ScaleDisclosure,
) -> ItemResult:
    """One item's figures: its scale's figures that every one of their raters answered."""
    disclosed = decision.items[item.id]
    figures = []
    for figure in disclosed.shown:
        values = [
            float(check_answer(instrument, item.id, raters[r].answers.get(item.id)) or 0)
            for r in decision.members[figure.key]
        ]
        mean = shown_value(math.fsum(values) / len(values))
        figures.append(ItemFigure(figure, mean, len(values)))
    own = check_answer(instrument, item.id, (self_answers or {}).get(item.id))
    return ItemResult(item.id, item.scale, own, tuple(figures), disclosed.notes)


def _figure_score(
    instrument: Instrument,
    scale_id: str,
    figure: Figure,
    values: Sequence[float],
    lookup: MswLookup,
) -> FigureScore:
    """Mean, SE, 90% band and agreement of one figure's rater scores on one scale."""
    mean, se = _mean_and_se(instrument, scale_id, figure.groups, values, lookup)
    low, high = band(mean, se, instrument)
    agreement = r_wg(values, len(instrument.valid_values))
    return FigureScore(
        figure,
        shown_value(mean),
        len(values),
        se,
        shown_value(low),
        shown_value(high),
        agreement,
        raters_disagree(agreement),
    )


def _mean_and_se(
    instrument: Instrument,
    scale_id: str,
    groups: frozenset[RaterGroup],
    values: Sequence[float],
    lookup: MswLookup,
) -> tuple[float, float]:
    """Mean of the values and SE = sqrt(MSW / k), MSW pooled for the group (or "others")."""
    # A single group has its own pooled variance; any mix of groups uses the "others" pool.
    key: MswKey = next(iter(groups)) if len(groups) == 1 else OTHERS_POOL
    msw = lookup(key, scale_id)
    se = standard_error(default_msw(instrument) if msw is None else msw, len(values))
    return math.fsum(values) / len(values), se
