"""360 feedback: rounds, invitations, drafts, and responses kept apart from who gave them.

A submitted response is stored against the round and the rater group only. Nothing links it
back to the invitation or the rater's e-mail: the invitation records only that it was used,
responses carry no timestamp, and their ids are random, so their order says nothing either.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coach.extensions import db
from coach.models._common import new_public_id, utcnow
from coach.models.assessment import Assessment
from coach.models.user import User


class RoundState(enum.StrEnum):
    """Draft while raters are chosen, open while they answer, closed when results show."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class InvitationState(enum.StrEnum):
    """Nominated (no link yet), invited (link sent), used (answered) or revoked."""

    NOMINATED = "nominated"
    INVITED = "invited"
    USED = "used"
    REVOKED = "revoked"


class Approval(enum.StrEnum):
    """Someone outside the directory is invited only once the subject's manager or HR agrees."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Campaign(db.Model):
    """Rounds that HR opened for every manager of a unit, with one deadline."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedbackRound(db.Model):
    """One request for feedback about one person."""

    __tablename__ = "feedback_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    subject_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(100))
    instrument_version: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default=RoundState.DRAFT.value, index=True)
    # Copied from the settings when the round opens, and never changed afterwards.
    min_group_n: Mapped[int | None] = mapped_column(SmallInteger)
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(20))

    subject: Mapped[User] = relationship()
    assessment: Mapped[Assessment | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Invitation.id"
    )


class Invitation(db.Model):
    """A nominated rater and their private link (only the token's SHA-256 is stored)."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    relationship_: Mapped[str] = mapped_column("relationship", String(20))
    state: Mapped[str] = mapped_column(String(20), default=InvitationState.NOMINATED.value)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0)
    # None for people in the directory; an Approval value for an address outside it.
    approval: Mapped[str | None] = mapped_column(String(20), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    round: Mapped[FeedbackRound] = relationship(back_populates="invitations")
    draft: Mapped[RaterDraft | None] = relationship(
        back_populates="invitation", cascade="all, delete-orphan", uselist=False
    )


class RaterDraft(db.Model):
    """Answers saved before submission, so a rater can come back; deleted on submission."""

    __tablename__ = "rater_draft"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), primary_key=True)
    answers_json: Mapped[str] = mapped_column(Text, default="{}")
    comments_json: Mapped[str] = mapped_column(Text, default="{}")
    current_page: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    invitation: Mapped[Invitation] = relationship(back_populates="draft")


class FeedbackResponse(db.Model):
    """One rater's submitted answers: round and rater group only, no time, random id."""

    __tablename__ = "feedback_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_public_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    rater_group: Mapped[str] = mapped_column(String(20))

    answers: Mapped[list[ResponseAnswer]] = relationship(cascade="all, delete-orphan")
    scale_scores: Mapped[list[ResponseScaleScore]] = relationship(cascade="all, delete-orphan")


class ResponseAnswer(db.Model):
    """One item's answer in a response; ``value`` None is "not able to observe"."""

    __tablename__ = "response_answer"

    response_id: Mapped[str] = mapped_column(ForeignKey("feedback_response.id"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int | None] = mapped_column(SmallInteger)


class ResponseScaleScore(db.Model):
    """A scale's score for one response, computed once at submission."""

    __tablename__ = "response_scale_score"

    response_id: Mapped[str] = mapped_column(ForeignKey("feedback_response.id"), primary_key=True)
    scale_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    answered: Mapped[int] = mapped_column(SmallInteger)


class FeedbackComment(db.Model):
    """A free-text comment on one page, linked to the round and rater group, not the response."""

    __tablename__ = "feedback_comment"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_public_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    rater_group: Mapped[str] = mapped_column(String(20))
    page_id: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class PooledVariance(db.Model):
    """Within-ratee sums of squares of closed rounds, pooled per instrument, group and scale.

    The 360 report's uncertainty needs the mean square within ratees over every closed
    round; keeping the sums here (updated when a round closes) makes that one small read
    instead of a scan of every response. ``rater_group`` is a group's value or "others"
    (every group pooled). Aggregates only: no round, person or response is named.
    """

    __tablename__ = "pooled_variance"

    instrument_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    rater_group: Mapped[str] = mapped_column(String(20), primary_key=True)
    scale_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    sum_squares: Mapped[float] = mapped_column(Float, default=0.0)
    df: Mapped[int] = mapped_column(Integer, default=0)
