"""A person's own data: everything the product holds about them, and its erasure.

The download never contains anything that identifies a rater: rounds the person ran list
their figures as the report shows them (anonymity applied), never who was invited.
Erasure removes the person's own rows, the rater names, e-mails and token hashes of the
rounds they ran, their name and address wherever they were invited to rate others with the
answers they saved there but never sent, and every outbox message to them or about them.
Anonymous responses they gave as a rater stay, as do aggregates already computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import (
    AccountToken,
    Answer,
    Assessment,
    AuditEvent,
    Campaign,
    CheckIn,
    DevelopmentPlan,
    FeedbackComment,
    FeedbackResponse,
    FeedbackRound,
    FocusArea,
    Goal,
    Invitation,
    Milestone,
    OutboxMessage,
    RaterDraft,
    ResponseAnswer,
    ResponseScaleScore,
    RoundState,
    ScaleScoreRecord,
    User,
)
from coach.services.feedback import variance_pool
from coach.services.feedback.report import round_report, round_report_json
from coach.services.hr import summary as hr_summary
from coach.services.people.erasure_requests import request_erasure as request_erasure
from coach.services.records import audit

ERASED = "erased"


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_person(
    session: Session, person: User, instruments: dict[str, Instrument]
) -> dict[str, Any]:
    """Everything about ``person`` as plain JSON-ready data."""
    assessments = session.scalars(select(Assessment).where(Assessment.owner_id == person.id))
    rounds = session.scalars(select(FeedbackRound).where(FeedbackRound.subject_id == person.id))
    plans = session.scalars(select(DevelopmentPlan).where(DevelopmentPlan.owner_id == person.id))
    sign_ins = session.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == person.id).order_by(AuditEvent.at)
    )
    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "role": person.role,
            "unit": person.unit.path() if person.unit else None,
            "manager": person.manager.name if person.manager else None,
            "active": person.active,
            "created_at": _iso(person.created_at),
        },
        "assessments": [_assessment(a) for a in assessments],
        "feedback_rounds": [_round(session, r, instruments) for r in rounds],
        "development_plans": [_plan(p) for p in plans],
        "activity": [{"at": _iso(e.at), "event": e.event, "ip": e.ip} for e in sign_ins],
    }


def download(session: Session, person: User, instruments: dict[str, Instrument]) -> dict[str, Any]:
    """What ``person`` downloads about themselves; the download is audited (one commit)."""
    body = export_person(session, person, instruments)
    audit.record(session, audit.Event.PERSONAL_DATA_DOWNLOADED, person, person.email)
    session.commit()
    return body


def _assessment(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.public_id,
        "instrument": assessment.instrument_id,
        "version": assessment.instrument_version,
        "status": assessment.status,
        "started_at": _iso(assessment.started_at),
        "submitted_at": _iso(assessment.submitted_at),
        "answers": {a.item_id: a.value for a in assessment.answers},
        "scale_scores": {s.scale_id: s.score for s in assessment.scale_scores},
        "leader_index": assessment.leader_index,
        "manager_index": assessment.manager_index,
        "quadrant": assessment.quadrant,
    }


def _round(
    session: Session, feedback_round: FeedbackRound, instruments: dict[str, Instrument]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": feedback_round.public_id,
        "state": feedback_round.state,
        "deadline": _iso(feedback_round.deadline),
        "closed_at": _iso(feedback_round.closed_at),
    }
    instrument = instruments.get(feedback_round.instrument_id)
    if feedback_round.state == RoundState.CLOSED.value and instrument is not None:
        body["report"] = round_report_json(round_report(session, feedback_round, instrument))
    return body


def _plan(plan: DevelopmentPlan) -> dict[str, Any]:
    return {
        "id": plan.public_id,
        "active": plan.active,
        "created_at": _iso(plan.created_at),
        "focus_areas": [f.scale_id for f in plan.focus_areas],
        "goals": [
            {
                "title": g.title,
                "scale": g.scale_id,
                "indicator": g.indicator,
                "unit": g.unit,
                "baseline": g.baseline,
                "target": g.target,
                "start": _iso(g.start_date),
                "due": _iso(g.due_date),
                "done": g.done,
                "milestones": [
                    {"title": m.title, "due": _iso(m.due_date), "done": m.done}
                    for m in g.milestones
                ],
                "check_ins": [
                    {"on": _iso(c.recorded_on), "value": c.value, "note": c.note}
                    for c in g.checkins
                ],
            }
            for g in plan.goals
        ],
    }


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed."""

    assessments: int
    rounds: int
    plans: int
    invitations_anonymised: int


def erase_person(session: Session, person: User, actor: User | None = None) -> Erasure:
    """Remove the person's rows in one transaction, keeping anonymous data and aggregates."""
    assessment_ids = list(
        session.scalars(select(Assessment.id).where(Assessment.owner_id == person.id))
    )
    round_ids = list(
        session.scalars(select(FeedbackRound.id).where(FeedbackRound.subject_id == person.id))
    )
    plan_ids = list(
        session.scalars(select(DevelopmentPlan.id).where(DevelopmentPlan.owner_id == person.id))
    )
    hr_summary.forget_person(session, person.id)  # out of every HR roll-up and fact row
    variance_pool.add_rounds(session, round_ids, sign=-1)  # and out of the pooled variance
    _delete_plans(session, plan_ids)
    _delete_rounds(session, round_ids)
    session.execute(
        delete(ScaleScoreRecord).where(ScaleScoreRecord.assessment_id.in_(assessment_ids))
    )
    session.execute(delete(Answer).where(Answer.assessment_id.in_(assessment_ids)))
    _before_assessments_deleted(session, assessment_ids)
    session.execute(delete(Assessment).where(Assessment.id.in_(assessment_ids)))
    _delete_unsent_answers(session, person.email)
    anonymised = session.execute(
        update(Invitation)
        .where(Invitation.email == person.email)
        .values(name=ERASED, email=f"{ERASED}-{person.public_id}@invalid", token_hash=None)
    ).rowcount  # type: ignore[attr-defined]
    session.execute(delete(AccountToken).where(AccountToken.user_id == person.id))
    session.execute(
        delete(OutboxMessage).where(
            or_(OutboxMessage.to_address == person.email, OutboxMessage.about_id == person.id)
        )
    )
    session.execute(  # plans others shared with them as their manager stop being shared
        update(DevelopmentPlan)
        .where(DevelopmentPlan.shared_with_id == person.id)
        .values(shared_with_id=None, shared_with_manager=False)
    )
    session.execute(update(User).where(User.manager_id == person.id).values(manager_id=None))
    session.execute(
        update(AuditEvent).where(AuditEvent.actor_id == person.id).values(actor_id=None)
    )
    session.execute(
        update(AuditEvent).where(AuditEvent.target == person.email).values(target=ERASED)
    )
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.detail.contains(person.email, autoescape=True))
        .values(detail=ERASED)
    )
    if actor is not None:
        session.execute(
            update(Campaign)
            .where(Campaign.created_by_id == person.id)
            .values(created_by_id=actor.id)
        )
    audit.record(
        session,
        audit.Event.PERSON_ERASED,
        actor,
        ERASED,
        f"{len(assessment_ids)} assessments, {len(round_ids)} rounds, {len(plan_ids)} plans",
    )
    session.execute(delete(User).where(User.id == person.id))
    session.commit()
    return Erasure(len(assessment_ids), len(round_ids), len(plan_ids), anonymised)


def _delete_unsent_answers(session: Session, email: str) -> None:
    """Answers the person saved as a rater in other people's rounds but never sent."""
    invited = select(Invitation.id).where(Invitation.email == email)
    session.execute(delete(RaterDraft).where(RaterDraft.invitation_id.in_(invited)))


def _delete_plans(session: Session, plan_ids: list[int]) -> None:
    goal_ids = list(session.scalars(select(Goal.id).where(Goal.plan_id.in_(plan_ids))))
    session.execute(delete(CheckIn).where(CheckIn.goal_id.in_(goal_ids)))
    session.execute(delete(Milestone).where(Milestone.goal_id.in_(goal_ids)))
    session.execute(delete(Goal).where(Goal.id.in_(goal_ids)))
    session.execute(delete(FocusArea).where(FocusArea.plan_id.in_(plan_ids)))
    session.execute(delete(DevelopmentPlan).where(DevelopmentPlan.id.in_(plan_ids)))


def _delete_rounds(session: Session, round_ids: list[int]) -> None:
    """The rounds about the person: raters' names, e-mails and token hashes go with them."""
    response_ids = list(
        session.scalars(select(FeedbackResponse.id).where(FeedbackResponse.round_id.in_(round_ids)))
    )
    invitation_ids = list(
        session.scalars(select(Invitation.id).where(Invitation.round_id.in_(round_ids)))
    )
    session.execute(delete(ResponseAnswer).where(ResponseAnswer.response_id.in_(response_ids)))
    session.execute(
        delete(ResponseScaleScore).where(ResponseScaleScore.response_id.in_(response_ids))
    )
    session.execute(delete(FeedbackResponse).where(FeedbackResponse.id.in_(response_ids)))
    session.execute(delete(FeedbackComment).where(FeedbackComment.round_id.in_(round_ids)))
    session.execute(delete(RaterDraft).where(RaterDraft.invitation_id.in_(invitation_ids)))
    session.execute(delete(Invitation).where(Invitation.id.in_(invitation_ids)))
    session.execute(delete(FeedbackRound).where(FeedbackRound.id.in_(round_ids)))


def _before_assessments_deleted(session: Session, assessment_ids: list[int]) -> None:
    """Rows of other features that point at the assessments (archetype assignments...)."""
    for table in _tables_referencing("assessment"):
        column = next(
            c for c in table.c if any(fk.column.table.name == "assessment" for fk in c.foreign_keys)
        )
        session.execute(delete(table).where(column.in_(assessment_ids)))


def _tables_referencing(name: str) -> list[Any]:
    from coach.extensions import db

    known = {"answer", "scale_score", "development_plan", "feedback_round"}
    return [
        t
        for t in db.metadata.sorted_tables
        if t.name not in known
        and any(fk.column.table.name == name for c in t.c for fk in c.foreign_keys)
    ]
