"""HR summary tables, kept up to date in the transaction that writes the scores.

``hr_fact`` holds each person's contributions (see ``coach.services.hr.facts``);
``hr_slice_stats`` holds, per unit (with everything below it; unit 0 is the whole
organisation), cycle, source (self or others), rater group and archetype (``*`` = any), the
number of rated people and, per scale slot, the count, sum and sum of squares of their
scores, plus quadrant counts and the leader/manager index distributions. Every HR figure is
read from a bounded number of these rows, however many people there are.

When scores change, only the person concerned is recomputed: their old facts are taken out
of every row they were added to and the new ones added (``refresh_person``). Hooks:

- a submitted self-assessment (``record_assessment``, called from ``lock_and_score``);
- a 360 round that closes: a session listener (installed by ``listen``, which the app
  factory calls) notices the round's state becoming ``closed`` in any flush and recomputes
  its subject in the same transaction (the others' figures count closed rounds only, so a
  response written to an open round changes nothing). The round's instrument comes from the
  instruments offered to the session (``offer_instruments``: the app does it for its own
  sessions);
- a person's archetype assignment changing (the same recomputation);
- scores written outside those paths for a few people (``refresh_people``, for imports);
- people moving to another unit (the org-chart import, a directory edit): their facts take
  the new unit and the slice rows of the units they left or joined are rolled up again
  (``hr_moves.record_unit_moves``).

``rebuild_summaries`` recomputes everything with set-based SQL (INSERT ... SELECT ... GROUP
BY); it follows bulk loads. A recluster re-rolls only the archetype slices
(``refresh_archetypes``). ``forget_person`` takes an erased person out of everything.

What the rebuild, the re-roll and the upkeep of one submission cost is measured in
bench/README.md ("HR analytics at scale").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import and_, delete, event, exists, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import (
    ArchetypeAssignment,
    Assessment,
    FeedbackRound,
    HrLayout,
    RoundState,
    hr_fact,
    hr_slice_stats,
)
from coach.models.analytics import ANY
from coach.services.archetypes import assignment as archetype_models
from coach.services.hr import rollup as hr_rollup
from coach.services.hr.facts import FACT_COLUMNS, others_facts, self_facts
from coach.services.hr.layout import Layout
from coach.services.hr.version import summary_changed

_PENDING = "coach.hr_summary.closed_rounds"
_INSTRUMENTS = "coach.hr_summary.instruments"


SOURCE_TABLES = (
    "assessment",
    "scale_score",
    "feedback_round",
    "feedback_response",
    "response_scale_score",
    "invitation",
    "user_account",
    "org_unit",
    "archetype_assignment",
    "hr_unit_ancestor",
)
"""What the rebuild reads: PostgreSQL's statistics on them are refreshed first (see analyse)."""


def stored_layout(session: Session, instrument_id: str) -> Layout | None:
    """The layout the instrument's summary was built with, if any."""
    row = session.get(HrLayout, instrument_id)
    return Layout.from_json(row.layout_json) if row is not None else None


def layout_for(session: Session, instrument: Instrument) -> Layout | None:
    """The stored layout, or a new one stored now; None for a too wide instrument."""
    layout = stored_layout(session, instrument.id)
    if layout is not None:
        return layout
    try:
        layout = Layout.of(instrument)
    except ValueError:
        return None
    _store_layout(session, layout)
    return layout


def _store_layout(session: Session, layout: Layout) -> None:
    session.execute(
        insert(HrLayout.__table__).values(
            instrument_id=layout.instrument_id,
            version=layout.version,
            layout_json=layout.to_json(),
            built_at=func.now(),
        )
    )


def record_assessment(session: Session, assessment: Assessment, instrument: Instrument) -> None:
    """A self-assessment was scored: assign its archetype and update the summary (no commit)."""
    session.flush()
    archetype_models.assign_assessment(session, assessment)
    layout = layout_for(session, instrument)
    if layout is not None:
        hr_rollup.refresh_person(session, assessment.owner_id, layout)


def refresh_people(session: Session, person_ids: Iterable[int], instrument: Instrument) -> None:
    """Scores were written for a few people outside the usual paths (an import of responses):
    assign each one's latest assessment and update their summary rows. No commit.

    For a bulk load of many people, ``rebuild_summaries`` after the commit is faster.
    """
    session.flush()
    layout = layout_for(session, instrument)
    for person_id in sorted(set(person_ids)):
        latest = session.scalar(
            select(Assessment)
            .where(
                Assessment.owner_id == person_id,
                Assessment.instrument_id == instrument.id,
                Assessment.submitted_at.is_not(None),
            )
            .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
            .limit(1)
        )
        if latest is not None:
            archetype_models.assign_assessment(session, latest)
        if layout is not None:
            hr_rollup.refresh_person(session, person_id, layout)


def record_round_closed(
    session: Session, round_id: int, instruments: Mapping[str, Instrument]
) -> None:
    """A 360 round closed: its subject's others' figures change (no commit).

    Without a stored layout, the round's instrument in ``instruments`` gives one; a round of
    an instrument that is neither stored nor given waits for the next rebuild.
    """
    feedback_round = session.execute(
        select(FeedbackRound.subject_id, FeedbackRound.instrument_id).where(
            FeedbackRound.id == round_id
        )
    ).one_or_none()
    if feedback_round is None:
        return
    layout = stored_layout(session, feedback_round.instrument_id)
    if layout is None and feedback_round.instrument_id in instruments:
        layout = layout_for(session, instruments[feedback_round.instrument_id])
    if layout is not None:
        hr_rollup.refresh_person(session, feedback_round.subject_id, layout)


def record_archetype_change(session: Session, person_id: int, instrument_id: str) -> None:
    """A person's archetype assignment changed: move their facts (no commit)."""
    layout = stored_layout(session, instrument_id)
    if layout is not None:
        hr_rollup.refresh_person(session, person_id, layout)


def forget_person(session: Session, person_id: int) -> None:
    """Take a person out of every summary (erasure); no commit."""
    facts = [
        dict(row._mapping)
        for row in session.execute(select(hr_fact).where(hr_fact.c.person_id == person_id))
    ]
    chains: dict[int, list[int]] = {}
    for fact in facts:
        hr_rollup.apply(
            session,
            fact,
            -1,
            hr_rollup.archetypes_of(fact),
            hr_rollup.chain(session, fact["unit_id"], chains),
        )
    session.execute(delete(hr_fact).where(hr_fact.c.person_id == person_id))
    archetype_models.forget_person(session, person_id)


def listen() -> None:
    """Keep the summary up to date when a 360 round closes, in every session of the process
    (once; the app factory calls it, and so must code that builds its own app-less sessions)."""
    if not event.contains(Session, "before_flush", _notice_closing_rounds):
        event.listen(Session, "before_flush", _notice_closing_rounds)
        event.listen(Session, "after_flush_postexec", _summarise_closed_rounds)


def offer_instruments(session: Session, instruments: Mapping[str, Instrument]) -> None:
    """The instruments a closing round in this session may need for its first layout."""
    session.info[_INSTRUMENTS] = instruments


def _notice_closing_rounds(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, FeedbackRound):
            history: Any = inspect(obj).attrs.state.history
            if RoundState.CLOSED.value in (history.added or ()) and RoundState.CLOSED.value not in (
                history.deleted or ()
            ):
                session.info.setdefault(_PENDING, set()).add(obj.id)


def _summarise_closed_rounds(session: Session, _context: Any) -> None:
    instruments = session.info.get(_INSTRUMENTS, {})
    for round_id in sorted(session.info.pop(_PENDING, ())):
        record_round_closed(session, round_id, instruments)


def rebuild_summaries(
    session: Session,
    instruments: Mapping[str, Instrument],
    progress: Callable[[str], None] | None = None,
    commit: bool = True,
    *,
    every_instrument: bool = False,
) -> None:
    """Recompute every fact and slice row of ``instruments`` with set-based SQL, then commit.

    With ``every_instrument`` (``instruments`` are all the configured ones), the summaries of
    any other instrument, one no longer configured, are dropped too.
    """
    say = progress or (lambda _message: None)
    chosen = dict(instruments)
    ids = list(chosen)
    for table in (hr_slice_stats, hr_fact, HrLayout.__table__):
        statement = delete(table)
        if not every_instrument:
            statement = statement.where(table.c.instrument_id.in_(ids))
        session.execute(statement)
    hr_rollup.roomy(session)
    units = hr_rollup.rebuild_closure(session)
    say(f"unit tree: {units} units")
    postgres = hr_rollup.postgres(session)
    hr_rollup.analyse(session, SOURCE_TABLES)
    for instrument in chosen.values():
        try:
            layout = Layout.of(instrument)
        except ValueError as problem:
            say(f"skipped: {problem}")
            continue
        _store_layout(session, layout)
        for kind, facts in (
            ("self", self_facts(layout, postgres)),
            ("others", others_facts(layout, postgres)),
        ):
            session.execute(insert(hr_fact).from_select(FACT_COLUMNS, facts))
            say(f"{instrument.id}: {kind} facts")
        hr_rollup.analyse(session, ("hr_fact",))
        for by_archetype in (False, True):
            session.execute(hr_rollup.rollup(layout, by_archetype, postgres))
        say(f"{instrument.id}: slice sums rolled up")
    summary_changed(session)
    if commit:
        session.commit()


def refresh_archetypes(
    session: Session, instrument: Instrument, progress: Callable[[str], None] | None = None
) -> None:
    """After a recluster: every fact takes its person's new archetype, and only the
    archetype slice rows are rolled up again (set-based; the ``*`` rows do not change).

    Falls back to a full rebuild of the instrument when it has no summary yet. No commit.
    """
    layout = stored_layout(session, instrument.id)
    if layout is None:
        rebuild_summaries(session, {instrument.id: instrument}, progress, commit=False)
        return
    hr_rollup.roomy(session)
    hr_rollup.analyse(session, ("archetype_assignment",))
    f, a = hr_fact.c, ArchetypeAssignment.__table__.c
    mine = and_(a.person_id == f.person_id, a.instrument_id == f.instrument_id)
    # A join (UPDATE ... FROM) rather than a lookup per fact, and only the facts whose
    # archetype changed: a refit keeps most people's keys (Hungarian matching).
    session.execute(
        update(hr_fact)
        .where(f.instrument_id == instrument.id, mine, f.archetype.is_distinct_from(a.archetype))
        .values(archetype=a.archetype)
    )
    session.execute(
        update(hr_fact)
        .where(f.instrument_id == instrument.id, f.archetype.is_not(None), ~exists().where(mine))
        .values(archetype=None)
    )
    session.execute(
        delete(hr_slice_stats).where(
            hr_slice_stats.c.instrument_id == instrument.id, hr_slice_stats.c.archetype != ANY
        )
    )
    hr_rollup.rebuild_closure(session)  # units may have been added since the last rebuild
    hr_rollup.analyse(session, ("hr_fact", "hr_unit_ancestor"))
    session.execute(hr_rollup.rollup(layout, True, hr_rollup.postgres(session)))
    summary_changed(session)
    if progress is not None:
        progress(f"{instrument.id}: archetype slices rolled up again")
