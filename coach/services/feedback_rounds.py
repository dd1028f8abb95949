"""360 rounds from the subject's side: nominate, open, remind, close."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
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
from coach.scoring.anonymity import RaterGroup, anonymity_floor
from coach.services import audit, variance_pool
from coach.services.accounts import is_valid_email, normalise_email
from coach.services.invitations import invite

RELATIONSHIPS = {
    "manager": RaterGroup.MANAGER,
    "peer": RaterGroup.PEER,
    "direct_report": RaterGroup.DIRECT_REPORT,
    "other": RaterGroup.OTHER,
}
DEFAULT_DURATION = timedelta(days=14)
MAX_RATERS = 60


class RoundError(ValueError):
    """A change the round cannot take; the message is for people."""


@dataclass(frozen=True)
class Proposal:
    """Someone the org chart suggests as a rater."""

    name: str
    email: str
    relationship: str


def subject_round(session: Session, subject: User, public_id: str) -> FeedbackRound | None:
    """The subject's own round; None for anyone else's (callers answer 404)."""
    found = session.scalar(
        select(FeedbackRound).where(
            FeedbackRound.public_id == public_id, FeedbackRound.subject_id == subject.id
        )
    )
    if found is not None:
        close_if_due(session, found)
    return found


def rounds_of(session: Session, subject: User) -> list[FeedbackRound]:
    """The subject's rounds, newest first, with any past deadline applied."""
    rounds = list(
        session.scalars(
            select(FeedbackRound)
            .where(FeedbackRound.subject_id == subject.id)
            .order_by(FeedbackRound.created_at.desc(), FeedbackRound.id.desc())
        )
    )
    for found in rounds:
        close_if_due(session, found)
    return rounds


def close_if_due(session: Session, found: FeedbackRound) -> None:
    """An open round whose deadline has passed closes (by deadline) the first time it is read."""
    if found.state == RoundState.OPEN.value and as_utc(found.deadline) <= utcnow():
        stage_close(session, found, "deadline")
        session.commit()


def stage_round(
    session: Session,
    subject: User,
    instrument: Instrument,
    deadline: datetime,
    assessment: Assessment | None = None,
) -> FeedbackRound:
    """A draft round (no commit), refusing a second round while one is unfinished."""
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
    found = FeedbackRound(
        subject=subject,
        assessment=assessment,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        deadline=deadline,
    )
    session.add(found)
    session.flush()
    return found


def start_round(
    session: Session,
    subject: User,
    instrument: Instrument,
    deadline: datetime,
    assessment: Assessment | None = None,
) -> FeedbackRound:
    """Create a draft round and commit."""
    found = stage_round(session, subject, instrument, deadline, assessment)
    session.commit()
    return found


def proposed_raters(session: Session, subject: User, found: FeedbackRound) -> list[Proposal]:
    """Their manager, their direct reports and the rest of their unit, not yet nominated."""
    taken = {i.email for i in found.invitations} | {subject.email}
    proposals: list[Proposal] = []
    if subject.manager is not None and subject.manager.active:
        proposals.append(Proposal(subject.manager.name, subject.manager.email, "manager"))
    reports = session.scalars(
        select(User).where(User.manager_id == subject.id, User.active.is_(True)).order_by(User.name)
    )
    proposals += [Proposal(p.name, p.email, "direct_report") for p in reports]
    if subject.unit_id is not None:
        unit_mates = session.scalars(
            select(User)
            .where(User.unit_id == subject.unit_id, User.active.is_(True))
            .order_by(User.name)
            .limit(MAX_RATERS)
        )
        listed = {p.email for p in proposals}
        proposals += [
            Proposal(p.name, p.email, "peer") for p in unit_mates if p.email not in listed
        ]
    return [p for p in proposals if p.email not in taken]


def _check_nomination(found: FeedbackRound, name: str, email: str, relationship: str) -> str:
    if found.state == RoundState.CLOSED.value:
        raise RoundError("This round is closed.")
    if relationship not in RELATIONSHIPS:
        raise RoundError("Choose how this person works with you.")
    if not name.strip():
        raise RoundError("Enter the rater's name.")
    address = normalise_email(email)
    if not is_valid_email(address):
        raise RoundError(f"{email.strip() or 'That'} is not a valid e-mail address.")
    if address == found.subject.email:
        raise RoundError("Your own view is your self-assessment; nominate other people.")
    if any(i.email == address for i in found.invitations if i.state != InvitationState.REVOKED):
        raise RoundError(f"{address} is already nominated.")
    if len(found.invitations) >= MAX_RATERS:
        raise RoundError(f"A round takes at most {MAX_RATERS} raters.")
    return address


def stage_nomination(
    session: Session,
    found: FeedbackRound,
    name: str,
    email: str,
    relationship: str,
    base_url: str,
) -> Invitation:
    """Add a rater (no commit); in an open round they are invited at once."""
    address = _check_nomination(found, name, email, relationship)
    invitation = Invitation(name=name.strip(), email=address, relationship_=relationship)
    found.invitations.append(invitation)
    session.flush()
    if found.state == RoundState.OPEN.value:
        invite(session, found, invitation, base_url, reminder=False)
    return invitation


def nominate(
    session: Session, found: FeedbackRound, raters: list[tuple[str, str, str]], base_url: str
) -> list[Invitation]:
    """Add several raters at once, all or none."""
    try:
        added = [stage_nomination(session, found, *rater, base_url) for rater in raters]
    except RoundError:
        session.rollback()
        raise
    session.commit()
    return added


def withdraw(session: Session, found: FeedbackRound, invitation_public_id: str) -> None:
    """Remove a rater from a draft, or revoke an unused invitation of an open round."""
    invitation = next((i for i in found.invitations if i.public_id == invitation_public_id), None)
    if invitation is None:
        raise RoundError("That rater is not in this round.")
    if found.state == RoundState.DRAFT.value:
        found.invitations.remove(invitation)
    elif invitation.state == InvitationState.INVITED.value:
        invitation.state = InvitationState.REVOKED.value
        invitation.draft = None
    else:
        raise RoundError("Only a rater who has not answered yet can be withdrawn.")
    session.commit()


def counts_by_relationship(found: FeedbackRound) -> dict[RaterGroup, int]:
    """Nominated (not revoked) raters per group, for the anonymity warnings."""
    counted = Counter(
        RELATIONSHIPS[i.relationship_]
        for i in found.invitations
        if i.state != InvitationState.REVOKED.value
    )
    return {group: counted.get(group, 0) for group in RELATIONSHIPS.values()}


def open_round(session: Session, found: FeedbackRound, base_url: str, floor: int) -> None:
    """Fix the anonymity floor, send every invitation, and open, in one transaction."""
    stage_open(session, found, base_url, floor)
    session.commit()


def stage_open(session: Session, found: FeedbackRound, base_url: str, floor: int) -> None:
    """Open without committing (the caller's transaction decides)."""
    if found.state != RoundState.DRAFT.value:
        raise RoundError("This round is already open or closed.")
    if not found.invitations:
        raise RoundError("Nominate at least one rater first.")
    if as_utc(found.deadline) <= utcnow():
        raise RoundError("The deadline has passed: choose a later one.")
    found.state = RoundState.OPEN.value
    found.min_group_n = anonymity_floor(floor)
    found.opened_at = utcnow()
    for invitation in found.invitations:
        invite(session, found, invitation, base_url, reminder=False)


def change_deadline(session: Session, found: FeedbackRound, deadline: datetime) -> None:
    """Move the deadline of a draft or open round; links follow it."""
    if found.state == RoundState.CLOSED.value:
        raise RoundError("This round is closed.")
    if as_utc(deadline) <= utcnow():
        raise RoundError("Choose a deadline in the future.")
    found.deadline = deadline
    for invitation in found.invitations:
        if invitation.state == InvitationState.INVITED.value:
            invitation.expires_at = deadline
    session.commit()


def send_reminders(session: Session, found: FeedbackRound, base_url: str) -> int:
    """Remind everyone who has not answered (the subject never learns who); returns how many."""
    if found.state != RoundState.OPEN.value:
        raise RoundError("Reminders go out only while the round is open.")
    waiting = [i for i in found.invitations if i.state == InvitationState.INVITED.value]
    for invitation in waiting:
        # Only the hash of the first token was kept, so a reminder carries a new link.
        invite(session, found, invitation, base_url, reminder=True)
        invitation.reminders_sent += 1
    session.commit()
    return len(waiting)


def close_round(session: Session, found: FeedbackRound, by: str, actor: User | None = None) -> None:
    """Close an open round now: results appear, links stop working."""
    if found.state != RoundState.OPEN.value:
        raise RoundError("Only an open round can be closed.")
    stage_close(session, found, by, actor)
    session.commit()


def stage_close(session: Session, found: FeedbackRound, by: str, actor: User | None = None) -> None:
    """Close without committing (the caller's transaction decides)."""
    audit.record(session, audit.Event.ROUND_CLOSED, actor, found.public_id, f"closed by {by}")
    found.state = RoundState.CLOSED.value
    found.closed_at = utcnow()
    found.closed_by = by
    session.execute(  # unsent drafts die with the round: nobody can submit any more
        update(Invitation)
        .where(Invitation.round_id == found.id, Invitation.state == InvitationState.INVITED.value)
        .values(expires_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    variance_pool.add_rounds(session, [found.id])


def response_counts(session: Session, found: FeedbackRound) -> dict[RaterGroup, int]:
    """Submitted responses per rater group (counts only: never who)."""
    rows = session.execute(
        select(FeedbackResponse.rater_group, func.count())
        .where(FeedbackResponse.round_id == found.id)
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
