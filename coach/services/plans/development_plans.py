"""Development plans: where a plan starts from, starting one, sharing it, and who sees it.

A plan is private to its owner. The owner may share it read-only with their own manager
(``User.manager``); everyone else, HR included, gets None here and a 404 from the pages.
Sharing names the manager it was given to and ends when the owner's manager changes, so
whoever is made the owner's manager later does not inherit it; each of their reads is audited.
Only an active plan changes; an archived plan stays readable. Goals: ``plan_goals``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coach.coaching import (
    ActionLibrary,
    OthersView,
    Suggestion,
    suggest_development,
)
from coach.instrument import Instrument
from coach.models import (
    Assessment,
    DevelopmentPlan,
    FeedbackRound,
    FocusArea,
    Goal,
    RoundState,
    User,
)
from coach.scoring.anonymity import FigureKey
from coach.scoring.multirater import RoundResult
from coach.scoring.uncertainty import SelfOtherCategory
from coach.services.assessments.self_report import stored_profile
from coach.services.feedback.report import round_result
from coach.services.feedback.rounds import latest_submitted_assessment, rounds_of
from coach.services.records import audit

MAX_FOCUS_AREAS = 3
"""A plan with more than three areas stops being a focus (issue 4)."""


class PlanError(ValueError):
    """A change the plan cannot take; the message is for people."""


@dataclass(frozen=True)
class PlanStart:
    """What a new plan starts from: the latest self-assessment, the latest 360, suggestions."""

    assessment: Assessment
    instrument: Instrument
    round: FeedbackRound | None
    suggestions: list[Suggestion]


def others_views(result: RoundResult) -> dict[str, OthersView]:
    """Per scale the widest shown figure (all others, else most raters) and the blind-spot flag."""
    views: dict[str, OthersView] = {}
    for scale_id, scale in result.scales.items():
        shown = scale.figure(FigureKey.ALL_OTHERS) or max(
            scale.figures, key=lambda f: f.n, default=None
        )
        if shown is None:
            continue  # nothing may be shown on this scale: the ranking uses self only
        blind = scale.gap is not None and scale.gap.category is SelfOtherCategory.OVER_ESTIMATOR
        views[scale_id] = OthersView(shown.mean, shown.n, blind)
    return views


def latest_closed_round(session: Session, owner: User, instrument_id: str) -> FeedbackRound | None:
    """The owner's most recent closed 360 round on this instrument."""
    closed = [
        r
        for r in rounds_of(session, owner)
        if r.state == RoundState.CLOSED.value and r.instrument_id == instrument_id
    ]
    return max(closed, key=lambda r: (r.closed_at or r.created_at, r.id), default=None)


def plan_start(
    session: Session,
    owner: User,
    instruments: Mapping[str, Instrument],
    libraries: Mapping[str, ActionLibrary],
) -> PlanStart | None:
    """Suggestions from the latest submitted self-assessment and 360; None before one exists.

    ``libraries`` holds each instrument's action library by instrument id.
    """
    assessment = latest_submitted_assessment(session, owner)
    instrument = instruments.get(assessment.instrument_id) if assessment else None
    if assessment is None or instrument is None:
        return None
    profile = stored_profile(assessment, instrument)
    feedback_round = latest_closed_round(session, owner, instrument.id)
    others = (
        others_views(round_result(session, feedback_round, instrument)) if feedback_round else None
    )
    suggestions = suggest_development(
        instrument,
        {s: score.score for s, score in profile.scales.items()},
        others,
        libraries[instrument.id],
    )
    return PlanStart(assessment, instrument, feedback_round, suggestions)


def active_plan(session: Session, owner: User) -> DevelopmentPlan | None:
    """The owner's active plan, if any."""
    return session.scalar(
        select(DevelopmentPlan)
        .where(DevelopmentPlan.owner_id == owner.id, DevelopmentPlan.active.is_(True))
        .order_by(DevelopmentPlan.created_at.desc(), DevelopmentPlan.id.desc())
        .limit(1)
    )


def plans_of(session: Session, owner: User) -> list[DevelopmentPlan]:
    """Every plan of the owner, newest first (archived ones included)."""
    return list(
        session.scalars(
            select(DevelopmentPlan)
            .where(DevelopmentPlan.owner_id == owner.id)
            .order_by(DevelopmentPlan.created_at.desc(), DevelopmentPlan.id.desc())
        )
    )


def shared_with(session: Session, manager: User) -> list[DevelopmentPlan]:
    """Active plans that the manager's own direct reports share with them."""
    return list(
        session.scalars(
            select(DevelopmentPlan)
            .join(User, User.id == DevelopmentPlan.owner_id)
            .where(
                User.manager_id == manager.id,
                DevelopmentPlan.shared_with_id == manager.id,
                DevelopmentPlan.shared_with_manager.is_(True),
                DevelopmentPlan.active.is_(True),
            )
            .order_by(User.name)
        )
    )


def readable_plan(session: Session, viewer: User, public_id: str) -> DevelopmentPlan | None:
    """The plan for its owner, or for the owner's manager when shared; None for anyone else."""
    query = select(DevelopmentPlan).where(DevelopmentPlan.public_id == public_id)
    plan: DevelopmentPlan | None = session.scalar(query)
    if plan is None:
        return None
    if plan.owner_id == viewer.id:
        return plan
    return plan if is_shared_with(plan, viewer) else None


def is_shared_with(plan: DevelopmentPlan, viewer: User) -> bool:
    """True when the owner shared the plan with ``viewer`` and ``viewer`` still manages them."""
    return (
        bool(plan.shared_with_manager)
        and plan.shared_with_id == viewer.id
        and plan.owner.manager_id == viewer.id
    )


def record_manager_view(session: Session, plan: DevelopmentPlan, viewer: User) -> None:
    """Audit one read of a shared plan by the owner's manager (commits)."""
    detail = f"plan {plan.public_id} of {plan.owner.email}"
    audit.record(session, audit.Event.SHARED_PLAN_VIEWED, viewer, plan.owner.email, detail)
    session.commit()


def own_plan(session: Session, owner: User, public_id: str) -> DevelopmentPlan | None:
    """The owner's own plan (for changes); None for anyone else's."""
    return session.scalar(
        select(DevelopmentPlan).where(
            DevelopmentPlan.public_id == public_id, DevelopmentPlan.owner_id == owner.id
        )
    )


def goal_of(plan: DevelopmentPlan, goal_public_id: str) -> Goal | None:
    """The plan's goal with this id."""
    return next((g for g in plan.goals if g.public_id == goal_public_id), None)


def start_plan(
    session: Session, owner: User, start: PlanStart, scale_ids: Sequence[str]
) -> DevelopmentPlan:
    """A new active plan with up to three focus areas; an older active plan is archived."""
    chosen = list(dict.fromkeys(scale_ids))
    if not chosen:
        raise PlanError("Choose at least one focus area.")
    if len(chosen) > MAX_FOCUS_AREAS:
        raise PlanError(f"Choose at most {MAX_FOCUS_AREAS} focus areas: a plan is about focus.")
    known = {s.id: s for s in start.instrument.scales}
    if any(s not in known for s in chosen):
        raise PlanError("That focus area is not a scale of your assessment.")
    reasons = {s.scale_id: s.reason for s in start.suggestions}
    for old in session.scalars(
        select(DevelopmentPlan).where(
            DevelopmentPlan.owner_id == owner.id, DevelopmentPlan.active.is_(True)
        )
    ):
        old.active = False
    plan = DevelopmentPlan(
        owner=owner,
        assessment=start.assessment,
        round_id=start.round.id if start.round else None,
    )
    for position, scale_id in enumerate(chosen):
        reason = reasons.get(scale_id, f"{known[scale_id].name}: your own choice")
        plan.focus_areas.append(FocusArea(scale_id=scale_id, position=position, reason=reason))
    session.add(plan)
    session.commit()
    return plan


def set_sharing(session: Session, plan: DevelopmentPlan, shared: bool) -> None:
    """Share the plan read-only with the owner's manager, or stop sharing."""
    if shared and plan.owner.manager is None:
        raise PlanError("You have no manager on record to share with.")
    plan.shared_with_manager = shared
    plan.shared_with_id = plan.owner.manager_id if shared else None
    session.commit()


def end_sharing(session: Session, owner: User, actor: User | None = None) -> None:
    """The owner's manager changes: plans shared with the previous one stop being shared
    (no commit; audited when there was something to end)."""
    ended = session.execute(
        update(DevelopmentPlan)
        .where(DevelopmentPlan.owner_id == owner.id, DevelopmentPlan.shared_with_manager.is_(True))
        .values(shared_with_manager=False, shared_with_id=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount  # type: ignore[attr-defined]
    if ended:
        audit.record(
            session, audit.Event.PLAN_SHARING_ENDED, actor, owner.email, "their manager changed"
        )


def set_reminders(session: Session, plan: DevelopmentPlan, on: bool) -> None:
    """Opt in to (or out of) e-mail reminders when a check-in is due."""
    require_active(plan)
    plan.reminders = on
    session.commit()


def archive_plan(session: Session, plan: DevelopmentPlan) -> None:
    """Close the plan so a new one can follow a new cycle; it stays readable."""
    plan.active = False
    plan.reminders = False
    session.commit()


def require_active(plan: DevelopmentPlan) -> None:
    """Refuse changes to an archived plan."""
    if not plan.active:
        raise PlanError("This plan is archived: it can be read but no longer changed.")
