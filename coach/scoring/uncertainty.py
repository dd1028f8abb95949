"""Bands, rater agreement and self-other gaps for multi-rater means (docs/methods.md).

Pure module: standard library only. Everything is on the instrument's own response
metric; constants stated for a 1-5 scale are rescaled for any other Likert range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from coach.instrument.schema import Instrument
from coach.scoring.quadrants import is_strong

Z_90 = 1.645
"""Two-sided 90% normal quantile: the band is mean +/- Z_90 * SE."""

DEFAULT_MSW = 0.40
"""Within-ratee variance between raters of one group on a 1-5 scale, used until data exist.

Not estimated from data: a conservative assumption (a between-rater SD of about 0.63,
raters of the same person typically a little more than half a point apart), chosen on the
wide side so early bands overstate rather than understate uncertainty. Replace it with
``pooled_within_variance`` over the database once that has ``MIN_POOLED_DF`` degrees of
freedom. Rescaled by ((max - min) / 4)^2 for other ranges.
"""

MIN_POOLED_DF = 30
"""Degrees of freedom from which a pooled MSW replaces the default.

The relative standard error of a variance is sqrt(2 / df): at 30 it is about 26%, so the
band width (which follows sqrt(MSW)) is known to within about 13%, better than a guess.
"""

MIN_GAP = 0.5
"""Smallest self-other difference that counts as a gap, in points of a 1-5 scale."""

DISAGREEMENT_THRESHOLD = 0.50
"""r_wg below which the report says "raters disagree".

LeBreton & Senter (2008) read r_wg below .50 as weak or no agreement and .51-.70 as
moderate agreement; .70 is the research cut-off for treating a group mean as a shared
construct, a stricter question than whether to warn a reader. "Raters disagree" is a
strong statement to put in front of a person, so it is kept for the weak range.
"""

_TOLERANCE = 1e-9
"""A difference exactly at the threshold can come out one float step above it."""


class SelfOtherCategory(Enum):
    """How a person's self score compares with others' mean on one scale."""

    OVER_ESTIMATOR = "over_estimator"
    UNDER_ESTIMATOR = "under_estimator"
    IN_AGREEMENT_HIGH = "in_agreement_high"
    IN_AGREEMENT_LOW = "in_agreement_low"

    @property
    def title(self) -> str:
        """A short plain-language name for the category."""
        return _TITLES[self]


_TITLES = {
    SelfOtherCategory.OVER_ESTIMATOR: "Blind spot: you rate yourself higher than others do",
    SelfOtherCategory.UNDER_ESTIMATOR: "Hidden strength: others rate you higher than you do",
    SelfOtherCategory.IN_AGREEMENT_HIGH: "You and others agree, and the score is high",
    SelfOtherCategory.IN_AGREEMENT_LOW: "You and others agree, and there is room to grow",
}


@dataclass(frozen=True)
class Gap:
    """Self minus others on one scale, the threshold it was judged against, the category."""

    difference: float
    threshold: float
    category: SelfOtherCategory


def _range_factor(instrument: Instrument) -> float:
    """The response range as a multiple of the 4-point range of a 1-5 scale."""
    return (instrument.scale_max - instrument.scale_min) / 4


def default_msw(instrument: Instrument) -> float:
    """DEFAULT_MSW rescaled to the instrument's range."""
    return DEFAULT_MSW * _range_factor(instrument) ** 2


def pooled_within_variance(groups_of_scores: Iterable[Sequence[float]]) -> tuple[float | None, int]:
    """Pooled within-ratee variance (MSW) and its df; MSW is None when df is 0.

    Each sequence holds one ratee's scores from one rater group on one scale. Ratees with
    fewer than two raters carry no within-ratee information and add nothing.
    """
    squares, df = 0.0, 0
    for scores in groups_of_scores:
        values = [float(v) for v in scores]
        if len(values) < 2:
            continue
        mean = math.fsum(values) / len(values)
        squares += math.fsum((v - mean) ** 2 for v in values)
        df += len(values) - 1
    return (squares / df if df else None), df


def msw_for_band(msw: float | None, df: int, instrument: Instrument) -> float:
    """The pooled MSW when it rests on at least MIN_POOLED_DF df, else the default."""
    if msw is None or df < MIN_POOLED_DF:
        return default_msw(instrument)
    return msw


def standard_error(msw: float, k: int) -> float:
    """SE of a mean of k raters: sqrt(MSW / k)."""
    if k < 1:
        raise ValueError(f"a standard error needs at least one rater, not {k}")
    if msw < 0 or math.isnan(msw):
        raise ValueError(f"MSW must be a variance (>= 0), not {msw!r}")
    return math.sqrt(msw / k)


def band(mean: float, se: float, instrument: Instrument) -> tuple[float, float]:
    """The 90% band mean +/- Z_90 * SE, clipped to the response range."""
    low, high = instrument.scale_min, instrument.scale_max
    return max(low, mean - Z_90 * se), min(high, mean + Z_90 * se)


def r_wg(scores: Sequence[float], options: int) -> float | None:
    """r_wg = 1 - s^2 / sigma_EU^2 truncated to [0, 1]; None with fewer than 2 raters."""
    if options < 2:
        raise ValueError(f"r_wg needs at least 2 response options, not {options}")
    if len(scores) < 2:
        return None
    mean = math.fsum(scores) / len(scores)
    # Sample variance (n - 1), as in James, Demaree and Wolf (1984).
    variance = math.fsum((s - mean) ** 2 for s in scores) / (len(scores) - 1)
    expected = (options**2 - 1) / 12  # variance of a uniform answer over A options
    return min(1.0, max(0.0, 1 - variance / expected))


def raters_disagree(agreement: float | None) -> bool:
    """True when r_wg is below DISAGREEMENT_THRESHOLD (never for a single rater)."""
    return agreement is not None and agreement < DISAGREEMENT_THRESHOLD


def gap_threshold(se_others: float, instrument: Instrument) -> float:
    """max(MIN_GAP rescaled, Z_90 * SE_diff), with SE_diff the SE of others' mean.

    The self score is one person's own report, not a sample from a population of raters,
    so it adds no sampling error of its own; SE_diff is the SE of the others' mean.
    """
    return max(MIN_GAP * _range_factor(instrument), Z_90 * se_others)


def self_other_gap(
    self_score: float, others_mean: float, se_others: float, instrument: Instrument
) -> Gap:
    """Blind spot, hidden strength, or agreement (high or low, by others' mean) on one scale."""
    difference = self_score - others_mean
    threshold = gap_threshold(se_others, instrument)
    if difference > threshold + _TOLERANCE:
        category = SelfOtherCategory.OVER_ESTIMATOR
    elif -difference > threshold + _TOLERANCE:
        category = SelfOtherCategory.UNDER_ESTIMATOR
    elif is_strong(others_mean, instrument):
        category = SelfOtherCategory.IN_AGREEMENT_HIGH
    else:
        category = SelfOtherCategory.IN_AGREEMENT_LOW
    return Gap(difference, threshold, category)
