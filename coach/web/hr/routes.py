"""HR: campaigns of feedback rounds (aggregates only, never an individual's answers)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Role
from coach.services.feedback import campaigns
from coach.services.feedback.rounds import RoundError, default_deadline
from coach.services.people import directory
from coach.web.access import roles_required
from coach.web.hr.forms import CampaignForm

bp = Blueprint("hr", __name__)
HR_OR_ADMIN = (Role.HR, Role.ADMIN)
CAMPAIGN_UNIT_DEPTH = 2  # the company, its divisions and their departments


def _people(count: int) -> str:
    return f"{count} person" if count == 1 else f"{count} people"


@bp.route("/campaigns", methods=["GET", "POST"])
@roles_required(*HR_OR_ADMIN)
def campaign_list() -> str | Response:
    """Campaigns so far, and a form to start one for a unit."""
    # Units down to departments, plus a deeper one asked for by the directory's link: a
    # select of every unit would be megabytes in a large organisation.
    asked_id = request.values.get("unit", "")[:64]
    asked = directory.unit_by_public_id(db.session, asked_id) if asked_id else None
    form = CampaignForm(deadline=default_deadline().date(), unit=asked.public_id if asked else None)
    tree = directory.upper_units(db.session, CAMPAIGN_UNIT_DEPTH, also=asked)
    form.unit.choices = [
        SelectChoice(n.unit.public_id, "\u2003" * n.depth + f"{n.unit.name} ({_people(n.total)})")
        for n in tree
    ]
    if form.validate_on_submit():
        unit = directory.unit_by_public_id(db.session, form.unit.data or "") or abort(400)
        settings = current_app.config["COACH"]
        try:
            result = campaigns.create_campaign(
                db.session,
                current_user,
                form.name.data or "",
                unit,
                form.deadline_at(),
                default_instrument(),
                settings.base_url,
            )
        except RoundError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash(campaigns.creation_note(result), "success")
            return redirect(url_for(".campaign", public_id=result.campaign.public_id))
    return render_template(
        "hr/campaigns.html", form=form, campaigns=campaigns.campaigns(db.session)
    )


@bp.get("/campaigns/<public_id>")
@roles_required(*HR_OR_ADMIN)
def campaign(public_id: str) -> str:
    """Who the campaign is for, and its progress in aggregate (each count on 5 rounds or more)."""
    campaign = campaigns.campaign_by_public_id(db.session, public_id) or abort(404)
    return render_template(
        "hr/campaign.html",
        campaign=campaign,
        people=campaigns.people_of(db.session, campaign),
        progress=campaigns.progress(db.session, campaign),
    )


@bp.post("/campaigns/<public_id>/open")
@roles_required(*HR_OR_ADMIN)
def open_all(public_id: str) -> Response:
    """Open every draft round that has raters."""
    campaign = campaigns.campaign_by_public_id(db.session, public_id) or abort(404)
    settings = current_app.config["COACH"]
    campaigns.open_drafts(db.session, campaign, settings.base_url, settings.min_group_n)
    # No count: "1 round opened" would tell which state one manager's round was in.
    flash("Every round that had raters is open and its raters are invited.", "success")
    return redirect(url_for(".campaign", public_id=public_id))


@bp.post("/campaigns/<public_id>/close")
@roles_required(*HR_OR_ADMIN)
def close_all(public_id: str) -> Response:
    """Close every open round; each subject can then read their report."""
    campaign = campaigns.campaign_by_public_id(db.session, public_id) or abort(404)
    campaigns.close_open(db.session, campaign, current_user._get_current_object())
    flash("Every open round is closed; each manager can now read their report.", "success")
    return redirect(url_for(".campaign", public_id=public_id))
