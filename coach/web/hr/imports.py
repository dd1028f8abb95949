"""HR upload of historical or externally collected responses."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField

from coach.extensions import db
from coach.instruments_registry import instruments
from coach.models import Role
from coach.services.feedback import response_import
from coach.web.access import roles_required
from coach.web.hr.routes import bp


class ResponsesForm(FlaskForm):
    """An instrument and a CSV of responses to it."""

    instrument = SelectField("Instrument")
    file = FileField(
        "Responses CSV file",
        description="Columns: email, rater_group (self, manager, peer, direct_report, other), "
        "an optional date (YYYY-MM-DD), then one column per item id. Empty = unanswered, "
        "NA = not able to observe.",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv", "txt"], "Use a .csv file."),
        ],
    )


@bp.route("/import-responses", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def import_responses() -> str:
    """Upload responses: every row is checked before anything is written."""
    form = ResponsesForm()
    loaded = instruments()
    form.instrument.choices = [SelectChoice(i.id, f"{i.title} ({i.id})") for i in loaded.values()]
    summary = None
    if form.validate_on_submit():
        summary = response_import.import_responses(
            db.session,
            loaded[form.instrument.data],
            form.file.data.read(),
            current_user._get_current_object(),
            min_group_n=current_app.config["COACH"].min_group_n,
        )
    chosen = loaded.get(form.instrument.data or "") or next(iter(loaded.values()))
    return render_template(
        "hr/import_responses.html",
        form=form,
        summary=summary,
        example_items=[i.id for i in chosen.items[:3]],
    )
