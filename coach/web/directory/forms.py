"""Directory forms: a person, and an org-chart upload."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    Form,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coach.models import Role
from coach.services.accounts.names import email_shell_problem, name_problem
from coach.web.validators import EmailAddress, UnitPath

ROLE_CHOICES = [
    SelectChoice(Role.MANAGER.value, "Manager"),
    SelectChoice(Role.HR.value, "HR"),
    SelectChoice(Role.ADMIN.value, "Administrator"),
]


def plain_name(form: Form, field: Field) -> None:
    """Refuse a name with a line break: it would end up in e-mail headers."""
    if field.data and (problem := name_problem(field.data)):
        raise ValidationError(problem)


def shell_safe(form: Form, field: Field) -> None:
    """Refuse an address a shell would read as code."""
    if field.data and (problem := email_shell_problem(field.data)):
        raise ValidationError(problem)


class PersonForm(FlaskForm):
    """Name, e-mail, role and place in the organisation."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200), plain_name])
    email = EmailField(
        "E-mail",
        description="When you change it, the old address is told and asked to confirm; no "
        "password link goes to the new one before that.",
        validators=[DataRequired(), EmailAddress(), Length(max=254), shell_safe],
    )
    role = SelectField("Role", choices=ROLE_CHOICES)
    unit = StringField(
        "Unit",
        description="The unit's path from the top, for example Brightwater/Operations/Logistics. "
        "Missing units are created.",
        validators=[Optional(), UnitPath()],
    )
    manager_email = EmailField(
        "Their manager's e-mail",
        validators=[Optional(), EmailAddress(), Length(max=254)],
    )
    send_activation = BooleanField("Send an activation e-mail so they can choose a password")
    submit = SubmitField("Save")


class ConfirmEmailForm(FlaskForm):
    """One button: the change of address is right."""

    submit = SubmitField("Yes, this is my new address")


class ImportForm(FlaskForm):
    """A CSV export of the org chart."""

    file = FileField(
        "Org-chart CSV file",
        description="Columns: email, name, unit, manager_email, role. UTF-8, one row per person.",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv", "txt"], "Use a .csv file."),
        ],
    )
    deactivate_missing = BooleanField(
        "This is the full organisation: deactivate people who are not in the file"
    )
    submit = SubmitField("Import")
