"""Reliable change between two assessment cycles (docs/methods.md "Reliable change").

Pure module: standard library only. A change counts only when the reliable change index
|RCI| = |delta| / (sqrt(2) * SEM) is above 1.96, with SEM = SD * sqrt(1 - reliability);
otherwise the UI says "no reliable change". The band is the smallest change that would
count, 1.96 * sqrt(2) * SEM, so the UI can draw it around the earlier score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "DEFAULT_RELIABILITY",
    "DEFAULT_SD",
    "RCI_CRITICAL",
    "REFERENCE_RANGE",
    "Change",
    "ChangeKind",
    "default_sd",
    "reliable_change",
    "standard_error_of_measurement",
]

RCI_CRITICAL = 1.96
"""Two-sided 5% point of the normal distribution: change beyond this is unlikely to be noise."""

DEFAULT_SD = 0.7
"""Between-person SD of a scale score on a 1-5 metric: a conservative placeholder.

Typical multi-rater behaviour scales have SDs of about 0.5 to 0.8 on 1-5; the upper
part of that range is used so that change is not declared too easily. Replace it with
the SD observed in the database once there are enough profiles (see the psychometrics
page). For another response range use ``default_sd``, which scales it with the range.
"""

DEFAULT_RELIABILITY = 0.75
"""Reliability (Cronbach's alpha) of a 3-5 item scale: a conservative placeholder.

Short behaviour scales usually reach .70 to .85; .75 errs towards more measurement error,
so fewer changes count as reliable. Replace it with each scale's alpha once it is known.
"""

REFERENCE_RANGE = 4.0
"""The range (max - min) of the 1-5 metric that DEFAULT_SD refers to."""

_EPSILON = 1e-9
"""An RCI computed exactly at the threshold can land a float step above it; it must not count."""


class ChangeKind(Enum):
    """What the change between two cycles means."""

    IMPROVED = "improved"
    DECLINED = "declined"
    NO_RELIABLE_CHANGE = "no_reliable_change"


@dataclass(frozen=True)
class Change:
    """Two scores, their difference, the RCI and the band a change must leave to count."""

    before: float
    after: float
    delta: float
    sem: float
    rci: float
    band: float
    kind: ChangeKind

    @property
    def explanation(self) -> str:
        """One plain line for the report."""
        size = f"{abs(self.delta):.1f} points"
        band = f"the ±{self.band:.2f} that measurement error alone can produce"
        if self.kind is ChangeKind.NO_RELIABLE_CHANGE:
            return f"No reliable change: {size} is within {band}"
        verb = "Improved" if self.kind is ChangeKind.IMPROVED else "Declined"
        return f"{verb} by {size}, beyond {band}"


def default_sd(scale_min: float = 1.0, scale_max: float = 5.0) -> float:
    """DEFAULT_SD rescaled to another response range (SDs grow in proportion to the range)."""
    if scale_max <= scale_min:
        raise ValueError(f"scale_max {scale_max} must be above scale_min {scale_min}")
    return DEFAULT_SD * (scale_max - scale_min) / REFERENCE_RANGE


def standard_error_of_measurement(sd: float, reliability: float) -> float:
    """SEM = SD * sqrt(1 - reliability)."""
    if not math.isfinite(sd) or sd <= 0:
        raise ValueError(f"sd must be a positive number, not {sd}")
    # Reliability 1 would mean no measurement error at all, so any change would count.
    if not math.isfinite(reliability) or not 0 <= reliability < 1:
        raise ValueError(f"reliability must be at least 0 and below 1, not {reliability}")
    return sd * math.sqrt(1 - reliability)


def reliable_change(
    score_before: float,
    score_after: float,
    sd: float = DEFAULT_SD,
    reliability: float = DEFAULT_RELIABILITY,
) -> Change:
    """Whether a score changed reliably: |RCI| > 1.96 means improved or declined."""
    sem = standard_error_of_measurement(sd, reliability)
    spread = math.sqrt(2) * sem  # the SE of a difference of two scores
    delta = score_after - score_before
    rci = delta / spread
    if abs(rci) > RCI_CRITICAL + _EPSILON:
        kind = ChangeKind.IMPROVED if delta > 0 else ChangeKind.DECLINED
    else:
        kind = ChangeKind.NO_RELIABLE_CHANGE
    return Change(score_before, score_after, delta, sem, rci, RCI_CRITICAL * spread, kind)
