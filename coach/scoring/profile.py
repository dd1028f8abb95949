"""One response's profile: scale scores, indexes, tilts, quadrant, strengths.

Pure module: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.instrument.schema import Instrument, Pole
from coach.scoring.indexes import pole_index, tilts
from coach.scoring.quadrants import Quadrant, quadrant_of
from coach.scoring.scales import Answers, ScaleScore, score_scales


@dataclass(frozen=True)
class Profile:
    """Everything scored from one response.

    ``leader_index`` and ``manager_index`` are None when any of their pole scales is
    blank (a mean over a subset of poles is not comparable between people); a tilt is
    None when either of its poles is blank; ``quadrant`` is None when either index is.
    """

    scales: dict[str, ScaleScore]
    leader_index: float | None
    manager_index: float | None
    tilts: dict[str, float | None]
    quadrant: Quadrant | None

    def score(self, scale_id: str) -> float | None:
        """The score of one scale (None if blank; KeyError if the scale is unknown)."""
        return self.scales[scale_id].score


def profile_from_scales(instrument: Instrument, scales: dict[str, ScaleScore]) -> Profile:
    """Indexes, tilts and quadrant derived from already computed scale scores."""
    values = {scale_id: s.score for scale_id, s in scales.items()}
    leader = pole_index(instrument, Pole.LEADER, values)
    manager = pole_index(instrument, Pole.MANAGER, values)
    return Profile(
        scales=scales,
        leader_index=leader,
        manager_index=manager,
        tilts=tilts(instrument, values),
        quadrant=quadrant_of(leader, manager, instrument),
    )


def score_response(instrument: Instrument, answers: Answers) -> Profile:
    """Score one response: every scale, both indexes, the tilts and the quadrant."""
    return profile_from_scales(instrument, score_scales(instrument, answers))


def strengths_and_development(
    profile: Profile, instrument: Instrument, n: int = 3
) -> tuple[list[ScaleScore], list[ScaleScore]]:
    """The n highest and n lowest scored scales, never the same scale in both lists.

    Strengths run highest first and development areas lowest first; equal scores keep
    instrument order. Blank scales are left out. With fewer than 2n scored scales the
    scored ones are split, strengths taking the extra one when the count is odd.
    """
    if n < 0:
        raise ValueError(f"n must be zero or more, not {n}")
    order = {scale.id: position for position, scale in enumerate(instrument.scales)}
    scored = [s for s in profile.scales.values() if s.score is not None]
    highest_first = sorted(scored, key=lambda s: (-_value(s), order[s.scale_id]))
    top_count = min(n, (len(scored) + 1) // 2)
    strengths = highest_first[:top_count]
    # Picking development areas only from what is left keeps the lists apart even when
    # many scales tie, where "top n" and "bottom n" would otherwise share scales.
    rest = highest_first[top_count:]
    lowest_first = sorted(rest, key=lambda s: (_value(s), order[s.scale_id]))
    return strengths, lowest_first[:n]


def _value(scale_score: ScaleScore) -> float:
    """The score of a scale already known to be scored (keeps mypy sure it is a float)."""
    assert scale_score.score is not None
    return scale_score.score
