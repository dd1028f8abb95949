"""HR forms."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class CampaignForm(FlaskForm):
    """A campaign: a name, a unit (and everything below it) and one deadline."""

    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=200)],
        description="For example “Autumn 2026 leadership feedback”.",
    )
    unit = SelectField("Unit", description="Every manager in this unit and the units below it.")
    deadline = DateField("Deadline", validators=[DataRequired()])
    submit = SubmitField("Create the rounds")

    def deadline_at(self) -> datetime:
        """The end of the chosen day, UTC."""
        assert self.deadline.data is not None
        return datetime.combine(self.deadline.data, time(23, 59), tzinfo=UTC)
