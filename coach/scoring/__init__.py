"""Scoring: turn answers into scale scores, indexes, tilts and a quadrant.

Pure package: standard library (and numpy where useful) only; never the web or the
database. Layout, so multi-rater aggregation can be added as ``multirater.py`` beside it:

- ``scales``: answer validation, item keying, one scale's score (the 2/3 rule);
- ``indexes``: leader/manager index and tilts from any ``scale id -> score`` mapping,
  so group-averaged scores reuse the same rules;
- ``quadrants``: the four quadrants and the single "strong" threshold;
- ``profile``: one response's profile, strengths and development areas.
"""

from coach.scoring.indexes import ScaleValues, pole_index, pole_scale_ids, tilts
from coach.scoring.profile import (
    Profile,
    profile_from_scales,
    score_response,
    strengths_and_development,
)
from coach.scoring.quadrants import (
    STRONG_FRACTION,
    Quadrant,
    is_strong,
    quadrant_of,
    strong_threshold,
)
from coach.scoring.scales import (
    Answers,
    ScaleScore,
    check_answer,
    keyed_value,
    min_answered,
    score_scale,
    score_scales,
    validate_answers,
)

__all__ = [
    "STRONG_FRACTION",
    "Answers",
    "Profile",
    "Quadrant",
    "ScaleScore",
    "ScaleValues",
    "check_answer",
    "is_strong",
    "keyed_value",
    "min_answered",
    "pole_index",
    "pole_scale_ids",
    "profile_from_scales",
    "quadrant_of",
    "score_response",
    "score_scale",
    "score_scales",
    "strengths_and_development",
    "strong_threshold",
    "tilts",
    "validate_answers",
]
