"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class SignInForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    submit = SubmitField("Sign in")


class ChangePasswordForm(FlaskForm):
    """Current password and a new one, typed twice."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=256)])
    new = PasswordField("New password", validators=[DataRequired(), Length(min=10, max=256)])
    confirm = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("new", "The passwords differ.")]
    )
    submit = SubmitField("Change password")


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send me a reset link")


class SetPasswordForm(FlaskForm):
    """A new password, typed twice, through an activation or reset link."""

    new = PasswordField(
        "New password",
        description="At least 10 characters. A few unrelated words make a strong one.",
        validators=[DataRequired(), Length(min=10, max=256)],
    )
    confirm = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("new", "The passwords differ.")]
    )
    submit = SubmitField("Save my password")
