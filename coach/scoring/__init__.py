"""Scoring: turn answers into scale scores, indexes, tilts and a quadrant.

Pure package: standard library (and numpy where useful) only; never the web or the
database. Layout, so multi-rater aggregation can be added as ``multirater.py`` beside it:

- ``scales``: answer validation, item keying, one scale's score (the 2/3 rule);
- ``indexes``: leader/manager index and tilts from any ``scale id -> score`` mapping,
  so group-averaged scores reuse the same rules;
- ``quadrants``: the four quadrants and the single "strong" threshold;
- ``profile``: one response's profile, strengths and development areas;
- ``anonymity``: rater groups, the anonymity floor and which 360 figures may be shown;
- ``uncertainty``: 90% bands, rater agreement (r_wg) and self-other gaps;
- ``multirater``: one 360 round's report figures and the comments that may be shown.
"""

from coach.scoring.anonymity import (
    MIN_GROUP_N,
    RATER_GROUPS,
    Exposure,
    Figure,
    FigureKey,
    RaterGroup,
    Visibility,
    anonymity_floor,
    exposures,
    nomination_warnings,
    non_manager_count,
    rater_counts,
    shown_for_counts,
    visible_groups,
)
from coach.scoring.indexes import ScaleValues, pole_index, pole_scale_ids, tilts
from coach.scoring.multirater import (
    OTHERS_POOL,
    FigureScore,
    ItemFigure,
    ItemResult,
    MswKey,
    MswLookup,
    RaterComment,
    RoundResult,
    ScaleResult,
    ShownComment,
    aggregate_round,
    visible_comments,
)
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
from coach.scoring.uncertainty import (
    DEFAULT_MSW,
    DISAGREEMENT_THRESHOLD,
    MIN_GAP,
    MIN_POOLED_DF,
    Z_90,
    Gap,
    SelfOtherCategory,
    band,
    default_msw,
    gap_threshold,
    msw_for_band,
    pooled_within_variance,
    r_wg,
    raters_disagree,
    self_other_gap,
    standard_error,
)

__all__ = [
    "DEFAULT_MSW",
    "DISAGREEMENT_THRESHOLD",
    "MIN_GAP",
    "MIN_GROUP_N",
    "MIN_POOLED_DF",
    "OTHERS_POOL",
    "RATER_GROUPS",
    "STRONG_FRACTION",
    "Z_90",
    "Answers",
    "Exposure",
    "Figure",
    "FigureKey",
    "FigureScore",
    "Gap",
    "ItemFigure",
    "ItemResult",
    "MswKey",
    "MswLookup",
    "Profile",
    "Quadrant",
    "RaterComment",
    "RaterGroup",
    "RoundResult",
    "ScaleResult",
    "ScaleScore",
    "ScaleValues",
    "SelfOtherCategory",
    "ShownComment",
    "Visibility",
    "aggregate_round",
    "anonymity_floor",
    "band",
    "check_answer",
    "default_msw",
    "exposures",
    "gap_threshold",
    "is_strong",
    "keyed_value",
    "min_answered",
    "msw_for_band",
    "nomination_warnings",
    "non_manager_count",
    "pole_index",
    "pole_scale_ids",
    "pooled_within_variance",
    "profile_from_scales",
    "quadrant_of",
    "r_wg",
    "rater_counts",
    "raters_disagree",
    "score_response",
    "score_scale",
    "score_scales",
    "self_other_gap",
    "shown_for_counts",
    "standard_error",
    "strengths_and_development",
    "strong_threshold",
    "tilts",
    "validate_answers",
    "visible_comments",
    "visible_groups",
]
