"""Where a person stands, for their home page: one next step and what is waiting for them.

Read-only: it gathers the person's own assessments, their latest feedback round (counts
only, as the round page shows them), their active plan's check-ins, the requests to give
feedback addressed to their own e-mail, and, for approvers, how many outside raters wait.
Nothing here says anything about another rater.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.models import (
    Assessment,
    DevelopmentPlan,
    FeedbackRound,
    Invitation,
    InvitationState,
    RoundState,
    User,
)
from coach.models._common import as_utc, utcnow
from coach.services.assessments import self_assessment
from coach.services.feedback import rater_approvals, rounds
from coach.services.feedback.rater_path import address_proven
from coach.services.plans import development_plans as plans
from coach.services.plans.goals import CHECKIN_INTERVAL


class Step(enum.StrEnum):
    """The one thing the home page offers first."""

    START_ASSESSMENT = "start_assessment"
    CONTINUE_ASSESSMENT = "continue_assessment"
    CHOOSE_RATERS = "choose_raters"
    CHECK_IN = "check_in"
    FOLLOW_ROUND = "follow_round"
    READ_REPORT = "read_report"
    ASK_FOR_FEEDBACK = "ask_for_feedback"
    FOLLOW_PLAN = "follow_plan"


@dataclass(frozen=True)
class RoundProgress:
    """The latest round, with the answer count its own page shows (never who)."""

    round: FeedbackRound
    answered: int
    invited: int


@dataclass(frozen=True)
class FeedbackRequest:
    """A request to give feedback, addressed to this person's own e-mail."""

    invitation_id: str
    subject_name: str
    deadline: datetime
    started: bool


@dataclass(frozen=True)
class HomeState:
    """Everything the home page shows, with the next step already chosen."""

    step: Step
    draft: Assessment | None
    draft_answered: int
    latest: Assessment | None
    round: RoundProgress | None
    plan: DevelopmentPlan | None
    due_goals: list[str] = field(default_factory=list)
    next_checkin: date | None = None
    requests: list[FeedbackRequest] = field(default_factory=list)
    approvals_waiting: int = 0


def _checkins(plan: DevelopmentPlan | None, today: date) -> tuple[list[str], date | None]:
    """Goals whose check-in is due today, and the date of the next check-in otherwise."""
    if plan is None:
        return [], None
    due: list[str] = []
    upcoming: list[date] = []
    for goal in plan.goals:
        if goal.done or goal.due_date < today:
            continue
        last = max((c.recorded_on for c in goal.checkins), default=goal.start_date)
        when = max(last + CHECKIN_INTERVAL, goal.start_date)
        if when <= today:
            due.append(goal.title)
        else:
            upcoming.append(when)
    return due, min(upcoming, default=None)


def feedback_requests(session: Session, person: User) -> list[FeedbackRequest]:
    """Unused invitations to this person's own address in open rounds, soonest deadline first.

    None when the account's address was set by someone else (``rating.address_proven``).
    """
    if not address_proven(session, person):
        return []
    waiting = session.scalars(
        select(Invitation)
        .join(FeedbackRound, Invitation.round_id == FeedbackRound.id)
        .where(
            func.lower(Invitation.email) == person.email.lower(),
            Invitation.state == InvitationState.INVITED.value,
            FeedbackRound.state == RoundState.OPEN.value,
            FeedbackRound.subject_id != person.id,
        )
        .order_by(FeedbackRound.deadline, Invitation.id)
    )
    now = utcnow()
    return [
        FeedbackRequest(i.public_id, i.round.subject.name, i.round.deadline, i.draft is not None)
        for i in waiting
        if i.expires_at is not None and as_utc(i.expires_at) > now
    ]


def _round_progress(session: Session, person: User) -> RoundProgress | None:
    mine = rounds.rounds_of(session, person)
    if not mine:
        return None
    latest = mine[0]
    return RoundProgress(
        latest,
        sum(rounds.response_counts(session, latest).values()),
        sum(rounds.counts_by_relationship(latest).values()),
    )


def _step(state: HomeState, today: date) -> Step:
    """The first step that applies, from the most to the least pressing."""
    progress = state.round
    round_state = progress.round.state if progress else None
    plan_after_round = (
        state.plan is not None
        and progress is not None
        and progress.round.closed_at is not None
        and as_utc(state.plan.created_at) >= as_utc(progress.round.closed_at)
    )
    if state.latest is None and state.draft is None:
        return Step.START_ASSESSMENT
    if state.draft is not None:
        return Step.CONTINUE_ASSESSMENT
    if round_state == RoundState.DRAFT.value:
        return Step.CHOOSE_RATERS
    if state.due_goals:
        return Step.CHECK_IN
    if round_state == RoundState.OPEN.value:
        return Step.FOLLOW_ROUND
    if round_state == RoundState.CLOSED.value and not plan_after_round:
        return Step.READ_REPORT
    if state.plan is not None:
        return Step.FOLLOW_PLAN
    return Step.ASK_FOR_FEEDBACK


def home_state(session: Session, person: User, today: date, with_plans: bool = True) -> HomeState:
    """The person's state and the next step it leads to."""
    mine = self_assessment.assessments_of(session, person)
    draft = next((a for a in mine if not a.is_submitted), None)
    latest = next((a for a in mine if a.is_submitted), None)
    plan = plans.active_plan(session, person) if with_plans else None
    due, upcoming = _checkins(plan, today)
    approver = rater_approvals.is_approver(session, person)
    state = HomeState(
        step=Step.START_ASSESSMENT,
        draft=draft,
        draft_answered=len(self_assessment.answers_of(draft)) if draft else 0,
        latest=latest,
        round=_round_progress(session, person),
        plan=plan,
        due_goals=due,
        next_checkin=upcoming,
        requests=feedback_requests(session, person),
        approvals_waiting=len(rater_approvals.requests_for(session, person)) if approver else 0,
    )
    return replace(state, step=_step(state, today))
