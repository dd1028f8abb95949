"""Development plans: focus areas, goals with a key indicator, milestones and check-ins.

A plan is private to its owner. The owner may share it, read-only, with their own manager;
HR sees only aggregate figures computed from these tables, never goal text.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coach.extensions import db
from coach.models._common import new_public_id, utcnow
from coach.models.assessment import Assessment
from coach.models.user import User


class DevelopmentPlan(db.Model):
    """One person's plan for a cycle, started from one of their assessments."""

    __tablename__ = "development_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_round.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    shared_with_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    # The manager it was shared with: sharing ends when the owner's manager changes. No
    # foreign key (SQLite would have to rebuild the table to add one); erasure clears it.
    shared_with_id: Mapped[int | None] = mapped_column()
    reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[User] = relationship()
    assessment: Mapped[Assessment | None] = relationship()
    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="FocusArea.position"
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Goal.id"
    )


class FocusArea(db.Model):
    """A scale the person chose to work on (at most three per plan), and why."""

    __tablename__ = "focus_area"

    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plan.id"), primary_key=True)
    scale_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    reason: Mapped[str] = mapped_column(String(500), default="")

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="focus_areas")


class Goal(db.Model):
    """A measurable goal: a key indicator moving from baseline to target by a due date."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plan.id"), index=True)
    scale_id: Mapped[str] = mapped_column(String(100))
    action_id: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    indicator: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(60))
    direction: Mapped[str] = mapped_column(String(10), default="increase")
    baseline: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="goals")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Milestone.due_date"
    )
    checkins: Mapped[list[CheckIn]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="CheckIn.recorded_on"
    )


class Milestone(db.Model):
    """An optional intermediate step of a goal."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)

    goal: Mapped[Goal] = relationship(back_populates="milestones")


class CheckIn(db.Model):
    """The indicator's value on a date, with a note."""

    __tablename__ = "checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="checkins")
