"""Forms for the subject's side of a feedback round."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from coach.web.validators import EmailAddress

RELATIONSHIP_CHOICES = [
    SelectChoice("peer", "Peer"),
    SelectChoice("direct_report", "Direct report"),
    SelectChoice("manager", "My manager"),
    SelectChoice("other", "Other (client, partner, ...)"),
]
RELATIONSHIP_LABELS = {c.value: c.label for c in RELATIONSHIP_CHOICES}


class RaterForm(FlaskForm):
    """One rater added by hand."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired(), EmailAddress(), Length(max=254)])
    relationship = SelectField("Works with me as", choices=RELATIONSHIP_CHOICES)
    submit = SubmitField("Add rater")


class DeadlineForm(FlaskForm):
    """The day raters can answer until (end of that day, UTC)."""

    deadline = DateField("Deadline", validators=[DataRequired()])
    submit = SubmitField("Save deadline")

    def deadline_at(self) -> datetime:
        """The end of the chosen day."""
        assert self.deadline.data is not None
        return datetime.combine(self.deadline.data, time(23, 59), tzinfo=UTC)
