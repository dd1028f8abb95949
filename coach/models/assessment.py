"""Self-assessments: answers as given, and the scores computed once on submission."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coach.extensions import db
from coach.models._common import new_public_id, utcnow
from coach.models.user import User


class AssessmentStatus(enum.StrEnum):
    """A draft can still change; a submitted assessment is locked."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Assessment(db.Model):
    """One person's self-assessment on one version of an instrument."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(100))
    instrument_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=AssessmentStatus.DRAFT.value)
    current_page: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    leader_index: Mapped[float | None] = mapped_column(Float)
    manager_index: Mapped[float | None] = mapped_column(Float)
    quadrant: Mapped[str | None] = mapped_column(String(40))

    owner: Mapped[User] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    scale_scores: Mapped[list[ScaleScoreRecord]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        """True once the assessment is locked."""
        return self.status == AssessmentStatus.SUBMITTED.value


class Answer(db.Model):
    """One item's answer; ``value`` None records "not able to observe"."""

    __tablename__ = "answer"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int | None] = mapped_column(SmallInteger)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")


class ScaleScoreRecord(db.Model):
    """A scale's score as computed at submission (None when too few items were answered)."""

    __tablename__ = "scale_score"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), primary_key=True)
    scale_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    answered: Mapped[int] = mapped_column(SmallInteger)
    items: Mapped[int] = mapped_column(SmallInteger)

    assessment: Mapped[Assessment] = relationship(back_populates="scale_scores")
