"""Raters' stored answers and scale scores as plain rows, for the 360 report and HR's
psychometrics page; each caller adds the rounds it wants (one round, one instrument)."""

from __future__ import annotations

from sqlalchemy import Select, select

from coach.models import FeedbackResponse, FeedbackRound, ResponseAnswer, ResponseScaleScore


def rater_answers() -> Select[str, str, str, int | None]:
    """(response id, rater group, item id, value) of every rater's answer."""
    return select(
        FeedbackResponse.id,
        FeedbackResponse.rater_group,
        ResponseAnswer.item_id,
        ResponseAnswer.value,
    ).join(ResponseAnswer, ResponseAnswer.response_id == FeedbackResponse.id)


def rater_scale_scores() -> Select[int, str, str, float | None]:
    """(round id, rater group, scale id, score) of every scale a rater's answers scored;
    ``FeedbackRound`` is joined, for a caller's conditions on the round."""
    return (
        select(
            FeedbackResponse.round_id,
            FeedbackResponse.rater_group,
            ResponseScaleScore.scale_id,
            ResponseScaleScore.score,
        )
        .join(ResponseScaleScore, ResponseScaleScore.response_id == FeedbackResponse.id)
        .join(FeedbackRound, FeedbackRound.id == FeedbackResponse.round_id)
        .where(ResponseScaleScore.score.is_not(None))
    )
