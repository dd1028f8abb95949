"""Turning domain objects into the API's JSON shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coach.instrument import Instrument
from coach.models import Assessment


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def instrument_summary(instrument: Instrument) -> dict[str, Any]:
    """Id, version and title."""
    return {"id": instrument.id, "version": instrument.version, "title": instrument.title}


def instrument_detail(instrument: Instrument) -> dict[str, Any]:
    """Everything a client needs to show or score the instrument."""
    return {
        **instrument_summary(instrument),
        "description": instrument.description,
        "response_options": [{"value": o.value, "label": o.label} for o in instrument.options],
        "dimensions": [
            {
                "id": d.id,
                "name": d.name,
                "leader_scale": d.leader_scale,
                "manager_scale": d.manager_scale,
            }
            for d in instrument.dimensions
        ],
        "scales": [
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind.value,
                "dimension": s.dimension,
                "pole": s.pole.value if s.pole else None,
                "family": s.family,
                "description": s.description,
            }
            for s in instrument.scales
        ],
        "items": [
            {
                "id": i.id,
                "scale": i.scale,
                "key": i.key,
                "self_text": i.self_text,
                "observer_text": i.observer_text,
            }
            for i in instrument.items
        ],
    }


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    """Id, instrument, status and dates."""
    return {
        "id": assessment.public_id,
        "instrument": {"id": assessment.instrument_id, "version": assessment.instrument_version},
        "status": assessment.status,
        "started_at": _iso(assessment.started_at),
        "updated_at": _iso(assessment.updated_at),
        "submitted_at": _iso(assessment.submitted_at),
    }
