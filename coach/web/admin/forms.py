"""Forms for managing accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from coach.models import Role
from coach.web.validators import EmailAddress


class NewPersonForm(FlaskForm):
    """A new account with a role and, optionally, a first password."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired(), EmailAddress(), Length(max=254)])
    role = SelectField(
        "Role",
        choices=[
            SelectChoice(Role.MANAGER.value, "Manager"),
            SelectChoice(Role.HR.value, "HR"),
            SelectChoice(Role.ADMIN.value, "Administrator"),
        ],
    )
    password = PasswordField(
        "First password",
        description="At least 10 characters. Share it with the person privately.",
        validators=[Optional(), Length(min=10, max=256)],
    )
    submit = SubmitField("Create account")
