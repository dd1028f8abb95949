"""HR analytics pages: the organisation dashboard, archetypes and instrument quality.

Each view is a line or two around a service call; every figure, and every decision about
what may be shown, comes from the services (``hr_dashboard``, ``hr_archetypes``,
``quality``). CSV downloads carry the same figures and are audited.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request
from flask_login import current_user

from coach.extensions import db
from coach.hr_cache import protection_cache
from coach.instrument import Instrument
from coach.instruments_registry import action_library, default_instrument, instruments
from coach.models._common import utcnow
from coach.services.archetypes import cards as archetype_cards
from coach.services.hr import dashboard as hr_dashboard
from coach.services.hr import exports
from coach.services.hr import instrument_quality as quality
from coach.services.hr import where_to_act as hr_actions
from coach.services.hr.charts import archetype_charts, band_histograms, dashboard_charts
from coach.services.people import directory
from coach.web.access import roles_required
from coach.web.hr.routes import HR_OR_ADMIN, bp


def chosen_instrument() -> Instrument:
    """The instrument named by ``?instrument=`` (404 if unknown), else the default one."""
    wanted = request.args.get("instrument")
    if not wanted:
        return default_instrument()
    return instruments().get(wanted) or abort(404)


def _archetype_cards() -> dict[str, Any]:
    instrument = chosen_instrument()
    return archetype_cards.archetype_cards(db.session, instrument, action_library(instrument.id))


VIEW_PARAMETERS = ("instrument", "unit", "cycle", "rater_group")
WHOLE_ORGANISATION = "all"  # ?unit=all: the organisation, even when it opens at a unit


def view_query() -> dict[str, str]:
    """The view's own query parameters, for links to its CSV files. Only these: any other
    (``figure``, ``endpoint``, ``_scheme``...) would clash with url_for's own arguments."""
    return {name: value for name in VIEW_PARAMETERS if (value := request.args.get(name))}


def dashboard_payload() -> dict[str, Any]:
    """The view the query asks for (404: unknown unit); no unit: the first level with several."""
    instrument = chosen_instrument()
    unit_id = request.args.get("unit")
    if unit_id == WHOLE_ORGANISATION:
        unit = None
    elif unit_id:
        unit = directory.unit_by_public_id(db.session, unit_id) or abort(404)
    else:
        unit = hr_dashboard.opening_unit(db.session)
    choices = hr_dashboard.options(db.session, instrument.id)
    filters = hr_dashboard.parse_filters(request.args, unit, choices)
    return hr_dashboard.summary(db.session, instrument, filters, choices, protection_cache())


def _csv(name: str, target: str, rows: list[dict[str, Any]]) -> Response:
    detail = "&".join(f"{k}={v}" for k, v in sorted(request.args.items()))
    text = exports.audited_csv(db.session, current_user._get_current_object(), target, detail, rows)
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.get("/dashboard")
@roles_required(*HR_OR_ADMIN)
def dashboard() -> str:
    """The organisation's profile for a unit and filters; suppressed figures are absent."""
    payload = dashboard_payload()
    charts = dashboard_charts(payload) if payload.get("available") else None
    as_of = utcnow()  # the figures are kept up to date as people submit: this is their time
    keep = {  # the filters that differ from their default, for links to other units
        name: value
        for name, value in payload["filters"].items()
        if name != "unit" and value not in (0, "*")
    }
    return render_template(
        "hr/dashboard.html",
        view=payload,
        charts=charts,
        figures=exports.FIGURES,
        keep=keep,
        query=view_query(),
        actions=hr_actions.where_to_act(payload),
        histograms=band_histograms(payload) if payload.get("available") else [],
        as_of=as_of,
        whole=WHOLE_ORGANISATION,
    )


@bp.get("/dashboard/export.csv")
@roles_required(*HR_OR_ADMIN)
def dashboard_export() -> Response:
    """One figure family of the current view (``?figure=``, default all) as CSV."""
    figure = request.args.get("figure", "all")
    if figure not in (*exports.FIGURES, "all"):
        abort(404)
    rows = exports.dashboard_rows(dashboard_payload(), figure)
    return _csv(f"hr-{figure}", f"hr-dashboard:{figure}", rows)


@bp.get("/archetypes")
@roles_required(*HR_OR_ADMIN)
def archetypes() -> str:
    """The current archetype model: cards, quality figures, and what archetypes are not."""
    cards = _archetype_cards()
    charts = archetype_charts(cards) if cards["available"] else None
    return render_template("hr/archetypes.html", cards=cards, charts=charts, query=view_query())


@bp.get("/archetypes/export.csv")
@roles_required(*HR_OR_ADMIN)
def archetypes_export() -> Response:
    """The archetype cards as CSV."""
    cards = _archetype_cards()
    return _csv("hr-archetypes", "hr-archetypes", exports.archetype_rows(cards))


@bp.get("/quality")
@roles_required(*HR_OR_ADMIN)
def instrument_quality() -> str:
    """Reliability and item statistics per scale and rater group, as last computed."""
    instrument = chosen_instrument()
    cached = quality.cached_quality(db.session, instrument.id)
    return render_template(
        "hr/quality.html",
        instrument=instrument,
        figures=cached[0] if cached else None,
        computed_at=cached[1] if cached else None,
        labels=quality.GROUP_LABELS,
        others=[i for i in instruments().values() if i.id != instrument.id],
        query=view_query(),
    )


@bp.get("/quality/export.csv")
@roles_required(*HR_OR_ADMIN)
def quality_export() -> Response:
    """The psychometrics figures as CSV (404 before they are computed)."""
    instrument = chosen_instrument()
    cached = quality.cached_quality(db.session, instrument.id) or abort(404)
    return _csv(
        "hr-psychometrics", f"hr-psychometrics:{instrument.id}", exports.quality_rows(cached[0])
    )
