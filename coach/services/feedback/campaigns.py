"""HR campaigns: a feedback round for every manager of a unit, with one deadline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from coach import mail
from coach.instrument import Instrument
from coach.models import (
    Campaign,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    OrgUnit,
    RoundState,
    User,
)
from coach.scoring.hr_progress import StateCounts, answers_shown, state_counts
from coach.services.feedback import rounds


@dataclass(frozen=True)
class CampaignResult:
    """What creating a campaign did."""

    campaign: Campaign
    created: int
    skipped: list[str]


def creation_note(result: CampaignResult) -> str:
    """What to tell HR after creating a campaign, with counts only from 5 managers up."""
    counts = state_counts(
        {"created": result.created, "skipped": len(result.skipped)}, ("created", "skipped")
    )
    if counts is None or "created" not in counts.shown:
        return "The campaign is created and each manager with a new round is notified."
    note = f"{result.created} rounds created, each manager notified."
    skipped = counts.shown.get("skipped")
    if skipped:
        note += f" {skipped} already had a round in progress."
    elif skipped is None:
        note += " Managers who already had a round in progress were left out."
    return note


@dataclass(frozen=True)
class CampaignProgress:
    """Aggregate progress only, each count standing on at least 5 rounds (``hr_progress``).

    ``states`` is None for a campaign of fewer than 5 rounds; ``invited`` and ``responded``
    are None unless at least 5 rounds invited raters.
    """

    states: StateCounts | None
    invited: int | None
    responded: int | None

    @property
    def rounds(self) -> int | None:
        """Rounds in the campaign, when it has enough of them to show anything."""
        if self.states is None:
            return None
        return sum(self.states.shown.values()) + self.states.merged_count


def _managers(unit: OrgUnit, *columns: Any) -> Select[Any]:
    """Active people in the unit or below who manage at least one active person."""
    report = aliased(User)
    has_reports = exists().where(report.manager_id == User.id, report.active.is_(True))
    return (
        select(*columns)
        .join(OrgUnit, User.unit_id == OrgUnit.id)
        .where(
            User.active.is_(True),
            has_reports,
            OrgUnit.tree_path.startswith(unit.tree_path, autoescape=True),
        )
        .order_by(User.name, User.id)
    )


def managers_in(session: Session, unit: OrgUnit) -> list[User]:
    """Active people in the unit or below who manage at least one active person."""
    return list(session.scalars(_managers(unit, User)))


PEOPLE_LISTED = 200
"""The campaign page names this many people at most; the directory lists the rest."""


@dataclass(frozen=True)
class CampaignPeople:
    """Who a campaign is for: names and units only, nothing about anyone's round."""

    unit: OrgUnit | None
    people: list[tuple[str, str]]
    total: int


def people_of(session: Session, campaign: Campaign, limit: int = PEOPLE_LISTED) -> CampaignPeople:
    """Everyone who manages people in the campaign's unit or below, as the directory has them.

    Taken from the directory, not from the campaign's rounds: a manager who already had a
    round in progress got no new one, and a list of the rounds would single them out.
    """
    unit = session.get(OrgUnit, campaign.unit_id) if campaign.unit_id else None
    if unit is None:
        return CampaignPeople(None, [], 0)
    listed = session.execute(_managers(unit, User.name, OrgUnit.name).limit(limit))
    total = session.scalar(select(func.count()).select_from(_managers(unit, User.id).subquery()))
    return CampaignPeople(unit, [(name, where) for name, where in listed], int(total or 0))


def create_campaign(
    session: Session,
    creator: User,
    name: str,
    unit: OrgUnit,
    deadline: datetime,
    instrument: Instrument,
    base_url: str,
) -> CampaignResult:
    """One draft round per manager, raters proposed from the org chart, and a note to each."""
    if not name.strip():
        raise rounds.RoundError("Give the campaign a name.")
    campaign = Campaign(
        name=name.strip(), unit_id=unit.id, deadline=deadline, created_by_id=creator.id
    )
    session.add(campaign)
    created, skipped = 0, []
    for manager in managers_in(session, unit):
        try:
            feedback_round = rounds.stage_round(
                session,
                manager,
                instrument,
                deadline,
                rounds.latest_submitted_assessment(session, manager),
            )
        except rounds.RoundError:
            skipped.append(manager.name)  # already has a round that is not closed
            continue
        feedback_round.campaign = campaign
        for proposal in rounds.proposed_raters(session, manager, feedback_round):
            rounds.stage_nomination(
                session,
                feedback_round,
                proposal.name,
                proposal.email,
                proposal.relationship,
                base_url,
            )
        _tell_subject(session, manager, feedback_round, base_url)
        created += 1
    session.commit()
    return CampaignResult(campaign, created, skipped)


def _tell_subject(
    session: Session, manager: User, feedback_round: FeedbackRound, base_url: str
) -> None:
    link = f"{base_url}/feedback/{feedback_round.public_id}"
    due = feedback_round.deadline.strftime("%-d %B %Y")
    mail.enqueue(
        session,
        kind="campaign",
        to=manager.email,
        subject="Your 360 feedback round is ready",
        body=(
            f"Hello {manager.name.split(' ')[0]},\n\nHR has started a 360 feedback round for "
            f"you, open for answers until {due}. Raters were suggested from the org chart: "
            f"check them, add or remove people, then open the round:\n\n{link}\n"
        ),
        link=link,
    )


def campaigns(session: Session) -> list[Campaign]:
    """Every campaign, newest first."""
    return list(session.scalars(select(Campaign).order_by(Campaign.created_at.desc())))


def campaign_by_public_id(session: Session, public_id: str) -> Campaign | None:
    """One campaign."""
    return session.scalar(select(Campaign).where(Campaign.public_id == public_id))


def _rounds(session: Session, campaign: Campaign) -> list[FeedbackRound]:
    campaign_rounds = list(
        session.scalars(select(FeedbackRound).where(FeedbackRound.campaign_id == campaign.id))
    )
    for r in campaign_rounds:
        rounds.close_if_due(session, r)
    return campaign_rounds


def progress(session: Session, campaign: Campaign) -> CampaignProgress:
    """Counts only, and only those standing on 5 rounds or more (``hr_progress``)."""
    campaign_rounds = _rounds(session, campaign)
    ids = [r.id for r in campaign_rounds]
    invited: dict[int, int] = {}
    responded: dict[int, int] = {}
    if ids:
        invited = {
            round_id: int(n)
            for round_id, n in session.execute(
                select(Invitation.round_id, func.count())
                .where(Invitation.round_id.in_(ids), Invitation.state.in_(("invited", "used")))
                .group_by(Invitation.round_id)
            )
        }
        responded = {
            round_id: int(n)
            for round_id, n in session.execute(
                select(FeedbackResponse.round_id, func.count())
                .where(FeedbackResponse.round_id.in_(ids))
                .group_by(FeedbackResponse.round_id)
            )
        }
    by_state = Counter(r.state for r in campaign_rounds)
    states = state_counts(by_state, [s.value for s in RoundState])
    if not answers_shown(len(campaign_rounds), len(set(invited) | set(responded))):
        return CampaignProgress(states, None, None)
    return CampaignProgress(states, sum(invited.values()), sum(responded.values()))


def open_drafts(session: Session, campaign: Campaign, base_url: str, floor: int) -> int:
    """Open every draft round with a rater who can be invited now; returns how many opened."""
    opened = 0
    for feedback_round in _rounds(session, campaign):
        ready = any(rounds.is_invitable(i) for i in feedback_round.invitations)
        if feedback_round.state == RoundState.DRAFT.value and ready:
            rounds.stage_open(session, feedback_round, base_url, floor)
            opened += 1
    session.commit()
    return opened


def close_open(session: Session, campaign: Campaign, actor: User | None = None) -> int:
    """Close every open round of the campaign (results then appear to each subject)."""
    closed = 0
    for feedback_round in _rounds(session, campaign):
        if feedback_round.state == RoundState.OPEN.value:
            rounds.stage_close(session, feedback_round, "hr", actor)
            closed += 1
    session.commit()
    return closed
