"""360 rounds from the subject's side: nominate, open, remind, close.

Nominating and withdrawing raters live in ``nominations``; they are re-exported here so
callers reach every step of a round through this module.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import (
    Assessment,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    InvitationState,
    RoundState,
    User,
)
from coach.models._common import as_utc, utcnow
from coach.models.feedback import Approval
from coach.scoring.anonymity import RaterGroup, anonymity_floor
from coach.services.feedback import variance_pool
from coach.services.feedback.invitations import invite
from coach.services.feedback.nominations import MAX_RATERS as MAX_RATERS
from coach.services.feedback.nominations import RELATIONSHIPS as RELATIONSHIPS
from coach.services.feedback.nominations import Proposal as Proposal
from coach.services.feedback.nominations import RoundError as RoundError
from coach.services.feedback.nominations import is_invitable as is_invitable
from coach.services.feedback.nominations import nominate as nominate
from coach.services.feedback.nominations import proposed_raters as proposed_raters
from coach.services.feedback.nominations import rater_list as rater_list
from coach.services.feedback.nominations import stage_nomination as stage_nomination
from coach.services.feedback.nominations import withdraw as withdraw
from coach.services.records import audit
from coach.services.transactions import committing

DEFAULT_DURATION = timedelta(days=14)


def subject_round(session: Session, subject: User, public_id: str) -> FeedbackRound | None:
    """The subject's own round; None for anyone else's (callers answer 404)."""
    feedback_round = session.scalar(
        select(FeedbackRound).where(
            FeedbackRound.public_id == public_id, FeedbackRound.subject_id == subject.id
        )
    )
    if feedback_round is not None:
        close_if_due(session, feedback_round)
    return feedback_round


def rounds_of(session: Session, subject: User) -> list[FeedbackRound]:
    """The subject's rounds, newest first, with any past deadline applied."""
    rounds = list(
        session.scalars(
            select(FeedbackRound)
            .where(FeedbackRound.subject_id == subject.id)
            .order_by(FeedbackRound.created_at.desc(), FeedbackRound.id.desc())
        )
    )
    for feedback_round in rounds:
        close_if_due(session, feedback_round)
    return rounds


def close_if_due(session: Session, feedback_round: FeedbackRound) -> None:
    """An open round whose deadline has passed closes (by deadline) the first time it is read."""
    if (
        feedback_round.state == RoundState.OPEN.value
        and as_utc(feedback_round.deadline) <= utcnow()
    ):
        stage_close(session, feedback_round, "deadline")
        session.commit()


def stage_round(
    session: Session,
    subject: User,
    instrument: Instrument,
    deadline: datetime,
    assessment: Assessment | None = None,
) -> FeedbackRound:
    """A draft round, refusing a second round while one is unfinished (no commit)."""
    unfinished = session.scalar(
        select(FeedbackRound.id).where(
            FeedbackRound.subject_id == subject.id,
            FeedbackRound.state != RoundState.CLOSED.value,
        )
    )
    if unfinished is not None:
        raise RoundError(f"{subject.name} already has a feedback round that is not closed.")
    if as_utc(deadline) <= utcnow() + timedelta(days=1):
        raise RoundError("Give raters at least a day: choose a later deadline.")
    feedback_round = FeedbackRound(
        subject=subject,
        assessment=assessment,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        deadline=deadline,
    )
    session.add(feedback_round)
    session.flush()
    return feedback_round


start_round = committing(stage_round, "Create a draft round and commit.")


def counts_by_relationship(feedback_round: FeedbackRound) -> dict[RaterGroup, int]:
    """Raters per group who are or will be invited (not withdrawn, not waiting for approval)."""
    counted = Counter(
        RELATIONSHIPS[i.relationship_]
        for i in feedback_round.invitations
        if i.state != InvitationState.REVOKED.value and i.approval != Approval.PENDING.value
    )
    return {group: counted.get(group, 0) for group in RELATIONSHIPS.values()}


def stage_open(session: Session, feedback_round: FeedbackRound, base_url: str, floor: int) -> None:
    """Check the round can open, fix its floor and send the invitations (no commit)."""
    if feedback_round.state != RoundState.DRAFT.value:
        raise RoundError("This round is already open or closed.")
    ready = [i for i in feedback_round.invitations if is_invitable(i)]
    if not ready:
        raise RoundError(
            "Nominate at least one rater who can be invited now: raters waiting for approval "
            "are invited once approved."
        )
    if as_utc(feedback_round.deadline) <= utcnow():
        raise RoundError("The deadline has passed: choose a later one.")
    feedback_round.state = RoundState.OPEN.value
    feedback_round.min_group_n = anonymity_floor(floor)
    feedback_round.opened_at = utcnow()
    for invitation in ready:
        invite(session, feedback_round, invitation, base_url, reminder=False)


open_round = committing(
    stage_open, "Fix the anonymity floor, send every invitation, and open, in one transaction."
)


def change_deadline(session: Session, feedback_round: FeedbackRound, deadline: datetime) -> None:
    """Move the deadline of a draft or open round; links follow it."""
    if feedback_round.state == RoundState.CLOSED.value:
        raise RoundError("This round is closed.")
    if as_utc(deadline) <= utcnow():
        raise RoundError("Choose a deadline in the future.")
    feedback_round.deadline = deadline
    for invitation in feedback_round.invitations:
        if invitation.state == InvitationState.INVITED.value:
            invitation.expires_at = deadline
    session.commit()


def send_reminders(session: Session, feedback_round: FeedbackRound, base_url: str) -> int:
    """Remind everyone invited who has not answered; the subject is never told who or how many."""
    if feedback_round.state != RoundState.OPEN.value:
        raise RoundError("Reminders go out only while the round is open.")
    waiting = [i for i in feedback_round.invitations if i.state == InvitationState.INVITED.value]
    for invitation in waiting:
        # Only the hash of the first token was kept, so a reminder carries a new link.
        invite(session, feedback_round, invitation, base_url, reminder=True)
        invitation.reminders_sent += 1
    session.commit()
    return len(waiting)


def close_round(
    session: Session, feedback_round: FeedbackRound, by: str, actor: User | None = None
) -> None:
    """Close an open round now: results appear, links stop working."""
    if feedback_round.state != RoundState.OPEN.value:
        raise RoundError("Only an open round can be closed.")
    stage_close(session, feedback_round, by, actor)
    session.commit()


def stage_close(
    session: Session, feedback_round: FeedbackRound, by: str, actor: User | None = None
) -> None:
    """Close the round, audit it and stop its links (no commit)."""
    audit.record(
        session, audit.Event.ROUND_CLOSED, actor, feedback_round.public_id, f"closed by {by}"
    )
    feedback_round.state = RoundState.CLOSED.value
    feedback_round.closed_at = utcnow()
    feedback_round.closed_by = by
    session.execute(  # unsent drafts die with the round: nobody can submit any more
        update(Invitation)
        .where(
            Invitation.round_id == feedback_round.id,
            Invitation.state == InvitationState.INVITED.value,
        )
        .values(expires_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    variance_pool.add_rounds(session, [feedback_round.id])


def response_counts(session: Session, feedback_round: FeedbackRound) -> dict[RaterGroup, int]:
    """Submitted responses per rater group (counts only: never who)."""
    rows = session.execute(
        select(FeedbackResponse.rater_group, func.count())
        .where(FeedbackResponse.round_id == feedback_round.id)
        .group_by(FeedbackResponse.rater_group)
    ).all()
    counted = {RaterGroup(group): n for group, n in rows}
    return {group: counted.get(group, 0) for group in RELATIONSHIPS.values()}


def default_deadline() -> datetime:
    """Two weeks from now, the usual time raters need."""
    return utcnow() + DEFAULT_DURATION


def latest_submitted_assessment(session: Session, subject: User) -> Assessment | None:
    """The subject's most recent submitted self-assessment, if any."""
    return session.scalar(
        select(Assessment)
        .where(Assessment.owner_id == subject.id, Assessment.submitted_at.is_not(None))
        .order_by(Assessment.submitted_at.desc())
        .limit(1)
    )
