"""HR analytics in the JSON API: the summary, the archetype model and instrument quality.

The same service dicts as the HR pages: a figure that may not be shown is absent.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_login import current_user

from coach.extensions import db
from coach.hr_cache import protection_cache
from coach.instrument import Instrument
from coach.instruments_registry import action_library, default_instrument, instruments
from coach.models import Role
from coach.services.archetypes import cards as archetype_cards
from coach.services.hr import dashboard as hr_dashboard
from coach.services.hr import instrument_quality
from coach.services.people import directory
from coach.web.api.routes import api_login_required, bp


def _require_hr() -> None:
    if not current_user.has_role(Role.HR, Role.ADMIN):
        abort(403)


def _instrument() -> Instrument:
    wanted = request.args.get("instrument")
    if not wanted:
        return default_instrument()
    return instruments().get(wanted) or abort(404, "No such instrument.")


@bp.get("/hr/summary")
@api_login_required
def hr_summary() -> dict[str, Any]:
    """Every HR figure of one view (unit, half-year, rater group), each with its n."""
    _require_hr()
    instrument = _instrument()
    unit = None
    if unit_id := request.args.get("unit"):
        unit = directory.unit_by_public_id(db.session, unit_id) or abort(404, "No such unit.")
    choices = hr_dashboard.options(db.session, instrument.id)
    filters = hr_dashboard.parse_filters(request.args, unit, choices)
    return hr_dashboard.summary(db.session, instrument, filters, choices, protection_cache())


@bp.get("/hr/archetypes")
@api_login_required
def hr_archetypes_model() -> dict[str, Any]:
    """The current archetype model: quality figures, centroids, sizes (where shown)."""
    _require_hr()
    instrument = _instrument()
    cards = archetype_cards.archetype_cards(db.session, instrument, action_library(instrument.id))
    if cards.get("quality"):
        cards["quality"] = {
            **cards["quality"],
            "created_at": cards["quality"]["created_at"].isoformat(),
        }
    return cards


@bp.get("/hr/psychometrics")
@api_login_required
def hr_psychometrics() -> dict[str, Any]:
    """Instrument quality per scale and respondent group, as last computed (404 before)."""
    _require_hr()
    instrument = _instrument()
    cached = instrument_quality.cached_quality(db.session, instrument.id)
    if cached is None:
        abort(404, "Not computed yet: run `flask --app coach quality`.")
    figures, computed_at = cached
    return {**figures, "computed_at": computed_at.isoformat()}
