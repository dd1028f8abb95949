"""Pooled within-ratee variance for the 360 report's uncertainty, kept as running sums.

docs/methods.md ("Uncertainty bands") pools the mean square within ratees (MSW) over every
closed round of an instrument, per rater group and for all others together. Scanning every
response on each report view grows with the organisation (bench/README.md), so the sums live in
``pooled_variance``: a round adds its contribution in the transaction that closes it, an
erasure takes the erased person's rounds out again, and ``rebuild`` recomputes everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from coach.models import (
    FeedbackResponse,
    FeedbackRound,
    PooledVariance,
    ResponseScaleScore,
    RoundState,
)
from coach.scoring.anonymity import RaterGroup
from coach.scoring.multirater import OTHERS_POOL, MswKey
from coach.scoring.uncertainty import MIN_POOLED_DF

Key = tuple[str, str, str]  # instrument, rater group or "others", scale


def contributions(
    session: Session, round_ids: Iterable[int] | None = None
) -> dict[Key, tuple[float, int]]:
    """Within sums of squares and degrees of freedom of closed rounds (all when None).

    Per round, group and scale: sum((x - mean)^2) = sum(x^2) - sum(x)^2 / n over the n
    rater scores, with n - 1 degrees of freedom; groups of one add nothing. The
    per-round sums are added up in SQL; each group's figures are added to "others" too.
    """
    n = func.count()
    within = (
        func.sum(ResponseScaleScore.score * ResponseScaleScore.score)
        - func.sum(ResponseScaleScore.score) * func.sum(ResponseScaleScore.score) / n
    )
    per_round = (
        select(
            FeedbackResponse.round_id.label("round_id"),
            FeedbackResponse.rater_group.label("rater_group"),
            ResponseScaleScore.scale_id.label("scale_id"),
            n.label("n"),
            # Rounding can leave a hair below zero for identical scores.
            case((within < 0, 0.0), else_=within).label("within"),
        )
        .join(ResponseScaleScore, ResponseScaleScore.response_id == FeedbackResponse.id)
        .where(ResponseScaleScore.score.is_not(None))
        .group_by(
            FeedbackResponse.round_id, FeedbackResponse.rater_group, ResponseScaleScore.scale_id
        )
        .having(n >= 2)
    )
    if round_ids is not None:
        per_round = per_round.where(FeedbackResponse.round_id.in_(list(round_ids)))
    inner = per_round.subquery()
    rows = session.execute(
        select(
            FeedbackRound.instrument_id,
            inner.c.rater_group,
            inner.c.scale_id,
            func.sum(inner.c.within),
            func.sum(inner.c.n - 1),
        )
        .join(FeedbackRound, FeedbackRound.id == inner.c.round_id)
        .where(FeedbackRound.state == RoundState.CLOSED.value)
        .group_by(FeedbackRound.instrument_id, inner.c.rater_group, inner.c.scale_id)
    ).all()
    sums: dict[Key, list[float]] = defaultdict(lambda: [0.0, 0])
    for instrument_id, group, scale_id, squares, df in rows:
        for key in ((instrument_id, group, scale_id), (instrument_id, OTHERS_POOL, scale_id)):
            sums[key][0] += float(squares)
            sums[key][1] += int(df)
    return {k: (v[0], int(v[1])) for k, v in sums.items()}


def add_rounds(session: Session, round_ids: Iterable[int], sign: int = 1) -> None:
    """Add (sign 1) or take out (sign -1) the contribution of closed rounds (no commit).

    One atomic upsert per key, so rounds closing at the same time in different workers
    both count.
    """
    ids = list(round_ids)
    if not ids:
        return
    contributed = contributions(session, ids)
    if not contributed:
        return
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = PooledVariance.__table__
    statement = upsert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.instrument_id, table.c.rater_group, table.c.scale_id],
        set_={
            "sum_squares": table.c.sum_squares + statement.excluded.sum_squares,
            "df": table.c.df + statement.excluded.df,
        },
    )
    session.execute(
        statement,
        [
            {
                "instrument_id": instrument_id,
                "rater_group": group,
                "scale_id": scale_id,
                "sum_squares": sign * squares,
                "df": sign * df,
            }
            for (instrument_id, group, scale_id), (squares, df) in sorted(contributed.items())
        ],
    )


def rebuild(session: Session) -> int:
    """Recompute every pooled sum from the stored scores (no commit); returns the row count."""
    session.execute(delete(PooledVariance))
    contributed = contributions(session)
    session.add_all(
        PooledVariance(
            instrument_id=instrument_id,
            rater_group=group,
            scale_id=scale_id,
            sum_squares=squares,
            df=df,
        )
        for (instrument_id, group, scale_id), (squares, df) in contributed.items()
    )
    session.flush()
    return len(contributed)


def pooled_msw(session: Session, instrument_id: str) -> dict[tuple[MswKey, str], float]:
    """MSW per (rater group or "others", scale) where the pooled df suffices. One query."""
    rows = session.execute(
        select(
            PooledVariance.rater_group,
            PooledVariance.scale_id,
            PooledVariance.sum_squares,
            PooledVariance.df,
        ).where(PooledVariance.instrument_id == instrument_id, PooledVariance.df >= MIN_POOLED_DF)
    ).all()
    return {
        (_key(group), scale_id): max(0.0, squares) / df for group, scale_id, squares, df in rows
    }


def _key(group: str) -> MswKey:
    return OTHERS_POOL if group == OTHERS_POOL else RaterGroup(group)
