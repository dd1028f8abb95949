"""The organisation directory for HR and administrators."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from coach.extensions import db
from coach.models import Role, User
from coach.services.accounts import email_change
from coach.services.accounts.accounts import AccountError, NewAccount, find_by_email
from coach.services.people import directory, org_import, person_edits
from coach.web.access import roles_required
from coach.web.directory.forms import ConfirmEmailForm, ImportForm, PersonForm
from coach.web.link_guessing import secret_link_limit

bp = Blueprint("directory", __name__)
HR_OR_ADMIN = (Role.HR, Role.ADMIN)


def _manageable(public_id: str) -> User:
    """The person, when the signed-in user may change them: HR never reaches an administrator."""
    person = directory.person_by_public_id(db.session, public_id) or abort(404)
    if not person_edits.may_manage(current_user, person):
        abort(403)
    return person


def _limit_roles(form: PersonForm) -> None:
    """Only administrators hand out, or change, the administrator role."""
    if current_user.has_role(Role.ADMIN):
        return
    form.role.choices = [c for c in form.role.choices if c.value != Role.ADMIN.value]


def _base_url() -> str:
    return current_app.config["COACH"].base_url  # type: ignore[no-any-return]


@bp.get("/")
@roles_required(*HR_OR_ADMIN)
def index() -> str:
    """The chosen unit in its tree (ancestors and children), and its people and below."""
    unit = None
    if unit_id := request.args.get("unit"):
        unit = directory.unit_by_public_id(db.session, unit_id)
        if unit is None:
            abort(404)
    tree = directory.unit_outline(db.session, unit)
    search = request.args.get("q", "")[:200]
    listing = directory.people_page(
        db.session, unit, request.args.get("page", 1, type=int) or 1, search=search
    )
    return render_template(
        "directory/index.html", tree=tree, unit=unit, listing=listing, search=search
    )


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(*HR_OR_ADMIN)
def new_person() -> str | Response:
    """Add one person."""
    form = PersonForm(send_activation=True)
    _limit_roles(form)
    if form.validate_on_submit():
        try:
            manager = _manager(form)
            unit = directory.ensure_unit(db.session, form.unit.data) if form.unit.data else None
            person = person_edits.add_person(
                db.session,
                NewAccount(
                    form.email.data or "",
                    form.name.data or "",
                    Role(form.role.data),
                    unit=unit,
                    manager=manager,
                ),
                base_url=_base_url(),
                send_activation=form.send_activation.data,
                actor=current_user,
            )
        except AccountError as exc:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            flash(f"{person.name} was added.", "success")
            return redirect(url_for(".index", unit=person.unit.public_id if person.unit else None))
    return render_template("directory/person.html", form=form, person=None)


def _manager(form: PersonForm) -> User | None:
    if not form.manager_email.data:
        return None
    manager = find_by_email(db.session, form.manager_email.data)
    if manager is None:
        raise AccountError(f"No one has the e-mail {form.manager_email.data}.")
    return manager


@bp.route("/people/<public_id>", methods=["GET", "POST"])
@roles_required(*HR_OR_ADMIN)
def person(public_id: str) -> str | Response:
    """Edit or move a person."""
    person = _manageable(public_id)
    form = PersonForm(data=_stored(person))
    _limit_roles(form)
    if form.validate_on_submit():
        change = person_edits.PersonChange(
            form.name.data or "",
            form.email.data or "",
            Role(form.role.data),
            form.unit.data or "",
            form.manager_email.data or "",
        )
        try:
            person_edits.update_person(
                db.session, person, change, current_user, base_url=_base_url()
            )
        except AccountError as exc:
            db.session.rollback()
            field = form[getattr(exc, "field", "role")]
            field.errors = [*field.errors, str(exc)]
        else:
            flash(f"{person.name} was saved.", "success")
            return redirect(url_for(".person", public_id=public_id))
    return render_template(
        "directory/person.html",
        form=form,
        person=person,
        link_refusal=email_change.link_refusal(person),
    )


def _stored(person: User) -> dict[str, str]:
    """The person as form values: a field missing from a submission keeps its stored value.

    Not ``obj=person``: its ``unit`` is an OrgUnit, which a form field cannot hold as text.
    """
    return {
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "unit": person.unit.path() if person.unit else "",
        "manager_email": person.manager.email if person.manager else "",
    }


@bp.post("/people/<public_id>/active")
@roles_required(*HR_OR_ADMIN)
def set_active(public_id: str) -> Response:
    """Deactivate or reactivate; history and aggregates are kept either way."""
    person = _manageable(public_id)
    if person.id == current_user.id:
        flash("You cannot deactivate yourself.", "error")
    else:
        active = request.form.get("active") == "1"
        person_edits.set_active(db.session, person, active, current_user)
        flash(f"{person.name} is {'active again' if active else 'deactivated'}.", "success")
    return redirect(url_for(".person", public_id=public_id))


@bp.post("/people/<public_id>/activation")
@roles_required(*HR_OR_ADMIN)
def resend_activation(public_id: str) -> Response:
    """Send a fresh activation link; an older unused one stops working."""
    person = _manageable(public_id)
    try:
        person_edits.send_password_link(db.session, person, current_user, _base_url())
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(f"An e-mail with a link to {person.email} is queued.", "success")
    return redirect(url_for(".person", public_id=public_id))


@bp.post("/people/<public_id>/email-approval")
@roles_required(Role.ADMIN)
def approve_email(public_id: str) -> Response:
    """An administrator vouches for a changed address, so links may go to it."""
    person = directory.person_by_public_id(db.session, public_id) or abort(404)
    email_change.approve(db.session, person, current_user)
    flash(f"{person.email} is approved: links may go to it.", "success")
    return redirect(url_for(".person", public_id=public_id))


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
@secret_link_limit
def confirm_email(token: str) -> str | Response | tuple[str, int]:
    """The person confirms, from their old address, that their new address is right."""
    form = ConfirmEmailForm()
    try:
        person = email_change.pending_confirmation(db.session, token)
        if form.validate_on_submit():
            email_change.confirm(db.session, token)
            flash(f"Thank you: {person.email} is confirmed as your address.", "success")
            return redirect(url_for("main.home"))
    except AccountError as exc:
        db.session.rollback()
        return render_template("directory/confirm_email.html", problem=str(exc)), 400
    return render_template("directory/confirm_email.html", form=form, person=person)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*HR_OR_ADMIN)
def import_people() -> str:
    """Upload the org chart: all rows are checked before anything is written."""
    form = ImportForm()
    summary = None
    if form.validate_on_submit():
        summary = org_import.import_people(
            db.session,
            form.file.data.read(),
            base_url=_base_url(),
            deactivate_missing=form.deactivate_missing.data,
            may_grant_admin=current_user.has_role(Role.ADMIN),
            actor=current_user._get_current_object(),
        )
    return render_template("directory/import.html", form=form, summary=summary)
