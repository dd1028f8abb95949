"""Directory forms: a person, and an org-chart upload."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from coach.models import Role
from coach.web.validators import EmailAddress, UnitPath

ROLE_CHOICES = [
    SelectChoice(Role.MANAGER.value, "Manager"),
    SelectChoice(Role.HR.value, "HR"),
    SelectChoice(Role.ADMIN.value, "Administrator"),
]


class PersonForm(FlaskForm):
    """Name, e-mail, role and place in the organisation."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired(), EmailAddress(), Length(max=254)])
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
