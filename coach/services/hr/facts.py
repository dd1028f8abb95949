"""The HR summary's facts: each person's self and others' profiles, derived in SQL.

A *fact* is one person's contribution to the HR figures:

- ``self``: a submitted self-assessment's scale scores, indexes and quadrant;
- ``others``: the others' view of the person from one closed 360 round: per scale the mean
  over every non-self rater (rater group ``*``), and per rater group the mean over that
  group's raters. A group counts only when it reached the round's anonymity floor (the
  manager group is exempt, as in the report). The others' leader and manager index and
  quadrant follow from those means with the same rules as a self profile.

Cycles are calendar half-years (``20261`` = January to June 2026, ``20262`` = July to
December) of the assessment's submission or the round's closing, in UTC. A person counts
once per cycle, with their latest assessment (or closed round) of that half-year; cycle 0
is everyone's latest overall, the default view.

The same SELECT statements build every fact during a rebuild (``INSERT ... SELECT``) and
one person's facts when their scores change, so the two can never disagree.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.sql.selectable import CompoundSelect, Select

from coach.models import (
    ArchetypeAssignment,
    Assessment,
    AssessmentStatus,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    ResponseScaleScore,
    RoundState,
    ScaleScoreRecord,
    User,
)
from coach.models.analytics import ANY, ORGANISATION, SLOTS, hr_fact
from coach.scoring.anonymity import MIN_GROUP_N
from coach.services.hr.layout import (
    LATEST,
    Layout,
    bin_expr,
    cycle_expr,
    mean_of,
    quadrant_expr,
)

INVITED_STATES = ("invited", "used")
"""Invitations that reached a rater: the denominator of the response rate."""


def _slot_columns(source: Any, layout: Layout) -> list[Any]:
    used = [source.c[f"s{i}"] for i in range(1, len(layout.scale_ids) + 1)]
    return used + [cast(null(), Float) for _ in range(len(layout.scale_ids), SLOTS)]


def _person_and_archetype(person: Any, layout: Layout) -> tuple[Any, Any]:
    unit = func.coalesce(User.unit_id, ORGANISATION)
    joined = and_(
        ArchetypeAssignment.person_id == person,
        ArchetypeAssignment.instrument_id == layout.instrument_id,
    )
    return unit, joined


def _ranks(person: Any, cycle: Any, moment: Any, ident: Any) -> tuple[Any, Any]:
    order = (moment.desc(), ident.desc())
    by_cycle = func.row_number().over(partition_by=(person, cycle), order_by=order)
    latest = func.row_number().over(partition_by=person, order_by=order)
    return by_cycle.label("rank_cycle"), latest.label("rank_latest")


def _choose(
    ranked: Any, layout: Layout, source: str, columns: list[Any], group: Any
) -> CompoundSelect[Any]:
    """Each person's latest per cycle and latest overall, as rows in hr_fact's order."""
    unit, archetype_join = _person_and_archetype(ranked.c.person_id, layout)

    def pick(rank: Any, cycle: Any) -> Select[Any]:
        return (
            select(
                ranked.c.person_id,
                literal(layout.instrument_id, String),
                cycle,
                literal(source, String),
                group,
                unit,
                ArchetypeAssignment.archetype,
                ranked.c.ref_id,
                *columns,
            )
            .join(User, User.id == ranked.c.person_id)
            .outerjoin(ArchetypeAssignment, archetype_join)
            .where(rank == 1)
        )

    return union_all(
        pick(ranked.c.rank_cycle, ranked.c.cycle),
        pick(ranked.c.rank_latest, literal_column(str(LATEST), Integer)),
    )


@functools.cache
def self_facts(layout: Layout, postgres: bool, one_person: bool = False) -> CompoundSelect[Any]:
    """Self facts of the instrument; with ``one_person``, of the person bound as ``person``.

    Built once per layout (and kept), so that executing it for one person costs a lookup in
    SQLAlchemy's statement cache rather than building and compiling a large statement.
    """
    mine = Assessment.owner_id == bindparam("person") if one_person else true()
    chosen = select(Assessment.id).where(Assessment.instrument_id == layout.instrument_id, mine)
    pivot = (
        select(
            ScaleScoreRecord.assessment_id,
            *[
                func.max(case((ScaleScoreRecord.scale_id == sid, ScaleScoreRecord.score))).label(
                    f"s{i}"
                )
                for i, sid in enumerate(layout.scale_ids, start=1)
            ],
        )
        .where(ScaleScoreRecord.assessment_id.in_(chosen))
        .group_by(ScaleScoreRecord.assessment_id)
        .subquery()
    )
    cycle = cycle_expr(Assessment.submitted_at, postgres)
    ranks = _ranks(Assessment.owner_id, cycle, Assessment.submitted_at, Assessment.id)
    ranked = (
        select(
            Assessment.id.label("ref_id"),
            Assessment.owner_id.label("person_id"),
            cycle.label("cycle"),
            *ranks,
            Assessment.leader_index.label("li"),
            Assessment.manager_index.label("mi"),
            Assessment.quadrant.label("quadrant"),
            *[pivot.c[f"s{i}"] for i in range(1, len(layout.scale_ids) + 1)],
        )
        .outerjoin(pivot, pivot.c.assessment_id == Assessment.id)
        .where(
            Assessment.instrument_id == layout.instrument_id,
            Assessment.status == AssessmentStatus.SUBMITTED.value,
            Assessment.submitted_at.is_not(None),
            mine,
        )
        .subquery()
    )
    columns = [
        literal_column("1", Integer),
        literal_column("0", Integer),
        literal_column("0", Integer),
        ranked.c.quadrant,
        ranked.c.li,
        ranked.c.mi,
        bin_expr(ranked.c.li, layout),
        bin_expr(ranked.c.mi, layout),
        *_slot_columns(ranked, layout),
    ]
    return _choose(ranked, layout, "self", columns, literal(ANY, String))


def _closed_rounds(layout: Layout, postgres: bool, one_person: bool) -> Any:
    mine = FeedbackRound.subject_id == bindparam("person") if one_person else true()
    cycle = cycle_expr(FeedbackRound.closed_at, postgres)
    return (
        select(
            FeedbackRound.id.label("ref_id"),
            FeedbackRound.subject_id.label("person_id"),
            cycle.label("cycle"),
            *_ranks(FeedbackRound.subject_id, cycle, FeedbackRound.closed_at, FeedbackRound.id),
            func.coalesce(FeedbackRound.min_group_n, MIN_GROUP_N).label("floor"),
        )
        .where(
            FeedbackRound.instrument_id == layout.instrument_id,
            FeedbackRound.state == RoundState.CLOSED.value,
            FeedbackRound.closed_at.is_not(None),
            mine,
        )
        .cte("rounds")
    )


def _rated(rounds: Any, layout: Layout) -> Any:
    """One row per response (its scale scores) and one per invitation that reached a rater."""
    in_rounds = select(rounds.c.ref_id)
    score = ResponseScaleScore.score
    responses = (
        select(
            FeedbackResponse.round_id,
            FeedbackResponse.rater_group.label("g"),
            literal_column("1", Integer).label("responded"),
            literal_column("0", Integer).label("invited"),
            *[
                func.max(case((ResponseScaleScore.scale_id == sid, score))).label(f"s{i}")
                for i, sid in enumerate(layout.scale_ids, start=1)
            ],
        )
        .outerjoin(ResponseScaleScore, ResponseScaleScore.response_id == FeedbackResponse.id)
        .where(FeedbackResponse.round_id.in_(in_rounds))
        .group_by(FeedbackResponse.round_id, FeedbackResponse.rater_group, FeedbackResponse.id)
    )
    invitations = select(
        Invitation.round_id,
        Invitation.relationship_.label("g"),
        literal_column("0", Integer).label("responded"),
        literal_column("1", Integer).label("invited"),
        *[cast(null(), Float).label(f"s{i}") for i in range(1, len(layout.scale_ids) + 1)],
    ).where(Invitation.round_id.in_(in_rounds), Invitation.state.in_(INVITED_STATES))
    return union_all(responses, invitations).cte("rated")


def _sums(rated: Any, layout: Layout, by_group: bool) -> Select[Any]:
    """Raters, invitations and each scale's sum and count, per round and group (or ``*``)."""
    n = len(layout.scale_ids)
    group = rated.c.g if by_group else literal(ANY, String)
    keys = [rated.c.round_id, rated.c.g] if by_group else [rated.c.round_id]
    return select(
        rated.c.round_id,
        group.label("g"),
        func.sum(rated.c.responded).label("raters"),
        func.sum(rated.c.invited).label("invited"),
        *[func.sum(rated.c[f"s{i}"]).label(f"t{i}") for i in range(1, n + 1)],
        *[func.count(rated.c[f"s{i}"]).label(f"c{i}") for i in range(1, n + 1)],
    ).group_by(*keys)


def _profiles(rounds: Any, layout: Layout) -> Any:
    """Per round and group (and ``*``): has_figure, invited, responded and the means."""
    rated = _rated(rounds, layout)
    sums = union_all(_sums(rated, layout, True), _sums(rated, layout, False)).subquery()
    raters = sums.c.raters
    floor_met = (sums.c.g == ANY) | (sums.c.g == "manager") | (raters >= rounds.c.floor)
    figure = case((and_(raters >= 1, floor_met), 1), else_=0)
    means = [
        case(
            (and_(figure == 1, sums.c[f"c{i}"] > 0), sums.c[f"t{i}"] * 1.0 / sums.c[f"c{i}"]),
            else_=null(),
        ).label(f"s{i}")
        for i in range(1, len(layout.scale_ids) + 1)
    ]
    return (
        select(
            rounds.c.ref_id,
            rounds.c.person_id,
            rounds.c.cycle,
            rounds.c.rank_cycle,
            rounds.c.rank_latest,
            sums.c.g,
            figure.label("has_figure"),
            sums.c.invited,
            raters.label("responded"),
            *means,
        )
        .join(rounds, rounds.c.ref_id == sums.c.round_id)
        .cte("profiles")
    )


@functools.cache
def others_facts(layout: Layout, postgres: bool, one_person: bool = False) -> CompoundSelect[Any]:
    """Others' facts of the instrument; with ``one_person``, of the ratee bound as ``person``."""
    rounds = _closed_rounds(layout, postgres, one_person)
    profiles = _profiles(rounds, layout)
    slot = {sid: profiles.c[f"s{i}"] for i, sid in enumerate(layout.scale_ids, start=1)}
    li = mean_of([slot[s] for s in layout.leader_ids]) if layout.leader_ids else null()
    mi = mean_of([slot[s] for s in layout.manager_ids]) if layout.manager_ids else null()
    indexed = (
        select(profiles, li.label("li"), mi.label("mi"))
        .where((profiles.c.has_figure == 1) | (profiles.c.invited > 0))
        .cte("indexed")
    )
    columns = [
        indexed.c.has_figure,
        indexed.c.invited,
        indexed.c.responded,
        quadrant_expr(indexed.c.li, indexed.c.mi, layout),
        indexed.c.li,
        indexed.c.mi,
        bin_expr(indexed.c.li, layout),
        bin_expr(indexed.c.mi, layout),
        *_slot_columns(indexed, layout),
    ]
    return _choose(indexed, layout, "others", columns, indexed.c.g)


FACT_COLUMNS = [c.name for c in hr_fact.columns]
"""hr_fact's columns in table order: the order every fact SELECT produces."""
