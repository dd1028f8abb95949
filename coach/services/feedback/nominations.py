"""Who may rate a subject: directory people at once, anyone else only once approved.

The subject chooses raters but must not control them: an address the subject owns (their
own in any spelling, or a mailbox outside the organisation) could answer alongside one real
colleague, and the difference would show that colleague's answers. So raters come from the
directory, and an outside address waits until the subject's manager or HR approves it.
Withdrawing a rater behaves the same whether or not they have answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.models import FeedbackRound, Invitation, InvitationState, RoundState, User
from coach.models.feedback import Approval
from coach.scoring.anonymity import RaterGroup
from coach.services.accounts.accounts import is_valid_email, normalise_email
from coach.services.feedback import rater_approvals
from coach.services.feedback.invitations import invite

RELATIONSHIPS = {
    "manager": RaterGroup.MANAGER,
    "peer": RaterGroup.PEER,
    "direct_report": RaterGroup.DIRECT_REPORT,
    "other": RaterGroup.OTHER,
}
MAX_RATERS = 60


class RoundError(ValueError):
    """A change the round cannot take; the message is for people, ``field`` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Proposal:
    """Someone the org chart suggests as a rater."""

    name: str
    email: str
    relationship: str


@dataclass(frozen=True)
class ListedRater:
    """A rater as the subject sees them: no state, so no one learns who has answered."""

    public_id: str
    name: str
    email: str
    relationship: str


@dataclass(frozen=True)
class RaterList:
    """The subject's raters, those waiting for approval, and outside raters declined."""

    raters: list[ListedRater]
    waiting: list[ListedRater]
    declined: list[ListedRater]


def directory_person(session: Session, email: str) -> User | None:
    """The active person in the directory with this address, if any."""
    return session.scalar(
        select(User).where(User.email == normalise_email(email), User.active.is_(True))
    )


def is_own_address(address: str, subject_email: str) -> bool:
    """True for the subject's address in any spelling: case, spaces or a ``+tag`` sub-address."""

    def mailbox(email: str) -> tuple[str, str]:
        local, _, domain = normalise_email(email).rpartition("@")
        return local.split("+", 1)[0], domain

    return mailbox(address) == mailbox(subject_email)


def proposed_raters(
    session: Session, subject: User, feedback_round: FeedbackRound
) -> list[Proposal]:
    """Their manager, their direct reports and the rest of their unit, not yet nominated."""
    taken = {i.email for i in feedback_round.invitations} | {subject.email}
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


def _check_manager(subject: User, person: User | None) -> None:
    manager = subject.manager if subject.manager is not None and subject.manager.active else None
    if manager is None:
        raise RoundError(
            "The directory lists no manager for you: nominate this person as a peer or other.",
            "relationship",
        )
    if person is None or person.id != manager.id:
        raise RoundError(
            f"Only {manager.name}, your manager in the directory, can rate you as your manager.",
            "relationship",
        )


def _check_nomination(
    session: Session,
    feedback_round: FeedbackRound,
    name: str,
    email: str,
    relationship: str,
    trusted: bool,
) -> tuple[str, User | None]:
    if feedback_round.state == RoundState.CLOSED.value:
        raise RoundError("This round is closed.")
    if relationship not in RELATIONSHIPS:
        raise RoundError("Choose how this person works with you.", "relationship")
    if not name.strip():
        raise RoundError("Enter the rater's name.", "name")
    address = normalise_email(email)
    if not is_valid_email(address):
        raise RoundError(f"{email.strip() or 'That'} is not a valid e-mail address.", "email")
    if is_own_address(address, feedback_round.subject.email):
        raise RoundError(
            "That is your own address (a +tag or another spelling is still yours). Your own "
            "view is your self-assessment: nominate other people.",
            "email",
        )
    earlier = [i for i in feedback_round.invitations if i.email == address]
    if any(i.state != InvitationState.REVOKED.value for i in earlier):
        raise RoundError(f"{address} is already nominated.", "email")
    if any(i.approval == Approval.DECLINED.value for i in earlier):
        raise RoundError(f"{address} was not approved for this round.", "email")
    if earlier:
        raise RoundError(f"{address} was taken off this round and cannot be added again.", "email")
    if len(feedback_round.invitations) >= MAX_RATERS:
        raise RoundError(f"A round takes at most {MAX_RATERS} raters.")
    person = directory_person(session, address)
    if relationship == "manager" and not trusted:
        _check_manager(feedback_round.subject, person)
    return address, person


def stage_nomination(
    session: Session,
    feedback_round: FeedbackRound,
    name: str,
    email: str,
    relationship: str,
    base_url: str,
    *,
    trusted: bool = False,
) -> Invitation:
    """Add a rater (no commit): directory people are invited at once in an open round; an
    address outside the directory waits for approval unless the caller is ``trusted`` (the
    demo, benchmarks and tests build rounds with made-up raters; people never are trusted)."""
    address, person = _check_nomination(session, feedback_round, name, email, relationship, trusted)
    outside = person is None and not trusted
    invitation = Invitation(
        name=person.name if person is not None else name.strip(),
        email=address,
        relationship_=relationship,
        approval=Approval.PENDING.value if outside else None,
    )
    feedback_round.invitations.append(invitation)
    session.flush()
    if outside:
        rater_approvals.ask_manager(session, invitation, base_url)
    elif feedback_round.state == RoundState.OPEN.value:
        invite(session, feedback_round, invitation, base_url, reminder=False)
    return invitation


def nominate(
    session: Session,
    feedback_round: FeedbackRound,
    raters: list[tuple[str, str, str]],
    base_url: str,
    *,
    trusted: bool = False,
) -> list[Invitation]:
    """Add several raters at once, all or none."""
    try:
        added = [
            stage_nomination(session, feedback_round, *rater, base_url, trusted=trusted)
            for rater in raters
        ]
    except RoundError:
        session.rollback()
        raise
    session.commit()
    return added


def withdraw(
    session: Session, feedback_round: FeedbackRound, invitation_public_id: str
) -> Invitation:
    """Take a rater off a draft, or withdraw their invitation in an open round.

    In an open round every rater is treated alike: the link stops working, and an answer
    already given stays, since nothing links a response to the person who gave it.
    """
    invitation = next(
        (
            i
            for i in feedback_round.invitations
            if i.public_id == invitation_public_id and i.state != InvitationState.REVOKED.value
        ),
        None,
    )
    if invitation is None:
        raise RoundError("That rater is not in this round.")
    if feedback_round.state == RoundState.CLOSED.value:
        raise RoundError("This round is closed.")
    if feedback_round.state == RoundState.DRAFT.value:
        feedback_round.invitations.remove(invitation)
    else:
        invitation.state = InvitationState.REVOKED.value
        invitation.draft = None
    session.commit()
    return invitation


def is_invitable(invitation: Invitation) -> bool:
    """Nominated, and either in the directory or approved: opening the round invites them."""
    return invitation.state == InvitationState.NOMINATED.value and invitation.approval in (
        None,
        Approval.APPROVED.value,
    )


def rater_list(feedback_round: FeedbackRound) -> RaterList:
    """What the round page lists: every rater alike, plus approvals waiting or declined."""

    def listed(i: Invitation) -> ListedRater:
        return ListedRater(i.public_id, i.name, i.email, i.relationship_)

    live = [i for i in feedback_round.invitations if i.state != InvitationState.REVOKED.value]
    return RaterList(
        raters=[listed(i) for i in live if i.approval != Approval.PENDING.value],
        waiting=[listed(i) for i in live if i.approval == Approval.PENDING.value],
        declined=[
            listed(i) for i in feedback_round.invitations if i.approval == Approval.DECLINED.value
        ],
    )
