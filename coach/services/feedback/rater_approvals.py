"""Approving raters from outside the directory: the subject's manager or HR decides.

A subject could otherwise invite addresses they own, answer as those raters, and take their
known answers out of a group's mean to reveal the one real colleague's. So an address that
is not an active person in the directory gets no invitation until someone who is not the
subject (their manager, or HR) approves it. Every decision is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from coach import mail
from coach.models import FeedbackRound, Invitation, InvitationState, Role, RoundState, User
from coach.models._common import utcnow
from coach.models.feedback import Approval
from coach.services.feedback.invitations import invite
from coach.services.records import audit


@dataclass(frozen=True)
class ApprovalRequest:
    """An outside rater waiting for a decision, as the approver sees it."""

    invitation_id: str
    rater_name: str
    rater_email: str
    relationship: str
    subject_name: str
    round_open: bool


def _decides_for_everyone(person: User) -> bool:
    return person.has_role(Role.HR, Role.ADMIN)


def may_decide(approver: User, subject: User) -> bool:
    """HR, administrators and the subject's own manager; never the subject."""
    if approver.id == subject.id or not approver.active:
        return False
    return _decides_for_everyone(approver) or subject.manager_id == approver.id


def is_approver(session: Session, person: User) -> bool:
    """True for HR, administrators and anyone who manages an active person."""
    if _decides_for_everyone(person):
        return True
    report = aliased(User)
    return bool(
        session.scalar(
            select(exists().where(report.manager_id == person.id, report.active.is_(True)))
        )
    )


def ask_manager(session: Session, invitation: Invitation, base_url: str) -> None:
    """Tell the subject's manager (if the directory names an active one) a decision waits."""
    subject = invitation.round.subject
    manager = subject.manager
    if manager is None or not manager.active:
        return  # HR and administrators find the request on their Approvals page
    link = f"{base_url}/feedback/approvals"
    mail.enqueue(
        session,
        kind="approval_request",
        to=manager.email,
        subject=f"{subject.name} asks to invite a rater from outside the directory",
        body=(
            f"Hello {manager.name.split(' ')[0]},\n\n{subject.name} would like feedback from "
            f"{invitation.name} <{invitation.email}>, who is not in the directory. No "
            "invitation is sent until you or HR approve. Approve only someone you recognise "
            f"as a real rater:\n\n{link}\n"
        ),
        link=link,
        about=subject,
    )


def _pending(session: Session, *where: ColumnElement[bool]) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .join(FeedbackRound, Invitation.round_id == FeedbackRound.id)
            .join(User, FeedbackRound.subject_id == User.id)
            .where(
                Invitation.approval == Approval.PENDING.value,
                Invitation.state != InvitationState.REVOKED.value,
                FeedbackRound.state != RoundState.CLOSED.value,
                *where,
            )
            .order_by(Invitation.id)
        )
    )


def requests_for(session: Session, approver: User) -> list[ApprovalRequest]:
    """The outside raters this person may approve or decline, oldest first."""
    return [
        ApprovalRequest(
            i.public_id,
            i.name,
            i.email,
            i.relationship_,
            i.round.subject.name,
            i.round.state == RoundState.OPEN.value,
        )
        for i in _pending(
            session, *(() if _decides_for_everyone(approver) else (User.manager_id == approver.id,))
        )
        if may_decide(approver, i.round.subject)
    ]


def decide(
    session: Session, approver: User, invitation_public_id: str, approve: bool, base_url: str
) -> Invitation | None:
    """Approve (invited now if the round is open, else when it opens) or decline (dropped).

    None when there is no such pending request this person may decide (callers answer 404).
    """
    invitation = next(iter(_pending(session, Invitation.public_id == invitation_public_id)), None)
    if invitation is None or not may_decide(approver, invitation.round.subject):
        return None
    feedback_round = invitation.round
    invitation.decided_at = utcnow()
    if approve:
        invitation.approval = Approval.APPROVED.value
        if feedback_round.state == RoundState.OPEN.value:
            invite(session, feedback_round, invitation, base_url, reminder=False)
    else:
        invitation.approval = Approval.DECLINED.value
        invitation.state = InvitationState.REVOKED.value
    audit.record(
        session,
        audit.Event.RATER_APPROVED if approve else audit.Event.RATER_DECLINED,
        approver,
        invitation.public_id,
        f"outside rater for round {feedback_round.public_id}",
    )
    session.commit()
    return invitation
