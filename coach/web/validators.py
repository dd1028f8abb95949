"""Form validators shared by the blueprints, wrapping the services' own rules."""

from __future__ import annotations

from wtforms import Field, Form
from wtforms.validators import ValidationError

from coach.services.accounts import is_valid_email


class EmailAddress:
    """The product's one e-mail rule (see services.accounts.is_valid_email)."""

    def __call__(self, form: Form, field: Field) -> None:
        """Reject an address the product would not store."""
        if field.data and not is_valid_email(field.data):
            raise ValidationError("Enter a valid e-mail address, like name@example.org.")
