"""Forms of the development plan: a goal with its indicator and milestones, and a check-in.

The forms only turn text into numbers and dates with plain messages; what a goal may hold
is decided by ``coach.services.plans.goals.goal_problems``. CSRF is checked for every POST
by the app-wide CSRFProtect, so these forms carry the token as a plain hidden field.
"""

from __future__ import annotations

import math
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from coach.services.plans.goals import MAX_MILESTONES, GoalDraft

DIRECTION_CHOICES = [
    SelectChoice("increase", "Up (more is better)"),
    SelectChoice("decrease", "Down (less is better)"),
]


def parse_number(raw: str | None) -> float | None:
    """A number as people type it ("4", "2.5", "2,5", "80 %"); None when it is not one."""
    text = (raw or "").strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class Number:
    """The field must hold a number."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, form: Form, field: Field) -> None:
        """Reject text that is not a number, saying what is expected."""
        if parse_number(field.data) is None:
            raise ValidationError(f"Enter the {self.name} as a number, for example 4 or 2.5.")


DATE_NEEDED = "Enter the date as YYYY-MM-DD, for example 2026-03-31."


class Day(DateField):
    """A date field whose message says how to write a date."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse YYYY-MM-DD (what a date input sends)."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DATE_NEEDED) from None


class GoalForm(FlaskForm):
    """A measurable goal: what, which scale, the key indicator, and optional milestones."""

    class Meta:
        csrf = False  # the app-wide CSRFProtect checks the plain csrf_token field

    title = StringField("Goal", validators=[Length(max=300)])
    scale = SelectField("Scale it develops", choices=[])
    action_id = HiddenField()
    indicator = StringField(
        "Key indicator", description="What you will count.", validators=[Length(max=300)]
    )
    unit = StringField(
        "Unit", description="For example meetings, % of team, days.", validators=[Length(max=60)]
    )
    direction = SelectField(
        "Better when it goes", choices=DIRECTION_CHOICES, description="Which way is progress."
    )
    baseline = StringField("Baseline (where it stands today)", validators=[Number("baseline")])
    target = StringField("Target", validators=[Number("target")])
    start_date = Day("Start date", validators=[InputRequired(DATE_NEEDED)])
    due_date = Day("Due date", validators=[InputRequired(DATE_NEEDED)])
    milestone_1_title = StringField("Milestone 1", validators=[Length(max=300)])
    milestone_1_due = Day("Milestone 1 due", validators=[Optional()])
    milestone_2_title = StringField("Milestone 2", validators=[Length(max=300)])
    milestone_2_due = Day("Milestone 2 due", validators=[Optional()])
    milestone_3_title = StringField("Milestone 3", validators=[Length(max=300)])
    milestone_3_due = Day("Milestone 3 due", validators=[Optional()])

    def milestone_rows(self) -> list[tuple[Field, Field]]:
        """The (title, due) field pairs in order."""
        return [
            (self[f"milestone_{n}_title"], self[f"milestone_{n}_due"])
            for n in range(1, MAX_MILESTONES + 1)
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, and a date for every milestone that has a title."""
        valid = bool(super().validate(extra_validators))
        for title, due in self.milestone_rows():
            if due.data is None and not due.errors and (title.data or "").strip():
                due.errors = [*due.errors, "Give this milestone a date, or clear its title."]
                valid = False
        return valid

    def filled_rows(self) -> list[int]:
        """The numbers of the milestone rows that have a date."""
        return [n for n, (_, due) in enumerate(self.milestone_rows(), start=1) if due.data]

    def draft(self) -> GoalDraft:
        """The goal as entered (call after validate())."""
        assert self.start_date.data is not None and self.due_date.data is not None
        return GoalDraft(
            title=self.title.data or "",
            scale_id=self.scale.data or "",
            indicator=self.indicator.data or "",
            unit=self.unit.data or "",
            direction=self.direction.data or "",
            baseline=parse_number(self.baseline.data) or 0.0,
            target=parse_number(self.target.data) or 0.0,
            start_date=self.start_date.data,
            due_date=self.due_date.data,
            action_id=self.action_id.data or None,
            milestones=[
                (title.data or "", due.data) for title, due in self.milestone_rows() if due.data
            ],
        )

    def show_problems(self, problems: dict[str, str], rows: list[int]) -> None:
        """Put the service's messages beside their fields (milestone_i is the i-th filled row)."""
        for key, message in problems.items():
            name = key
            if key.startswith("milestone_"):
                _, position, part = key.split("_")
                name = f"milestone_{rows[int(position) - 1]}_{part}"
            self[name].errors = [*self[name].errors, message]


class CheckInForm(FlaskForm):
    """The indicator's value on a date, with a note; prefixed per goal on the plan page."""

    class Meta:
        csrf = False

    value = StringField("Value now", validators=[Number("value")])
    recorded_on = Day("Date", validators=[InputRequired(DATE_NEEDED)])
    note = TextAreaField("Note (optional)", validators=[Length(max=1000)])
