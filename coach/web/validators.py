"""Form validators shared by the blueprints, wrapping the services' own rules."""

from __future__ import annotations

from wtforms import Field, Form
from wtforms.validators import ValidationError

from coach.services.accounts.accounts import is_valid_email
from coach.services.people.directory import unit_path_problem


class EmailAddress:
    """The product's one e-mail rule (see services.accounts.is_valid_email)."""

    def __call__(self, form: Form, field: Field) -> None:
        """Reject an address the product would not store."""
        if field.data and not is_valid_email(field.data):
            raise ValidationError("Enter a valid e-mail address, like name@example.org.")


class UnitPath:
    """The directory's unit-path rule (see services.directory.unit_path_problem)."""

    def __call__(self, form: Form, field: Field) -> None:
        """Reject a path the directory would not store (too deep, too long, empty names)."""
        if field.data and field.data.strip() and (problem := unit_path_problem(field.data)):
            raise ValidationError(problem[0].upper() + problem[1:] + ".")
