"""HR's archetype cards: the current model, its quality stated honestly, and what to develop.

Each card shows the archetype's name and plain description (generated from the centroid),
how many people are nearest to it now (a count under 5, or one that would let such a group
be worked out from the total, is left out), the centroid against the organisation's mean
for a radar chart, and development actions from the action library for the centroid's two
lowest scales (relative to the organisation). Numpy only: safe for a web request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.coaching.actions import ActionLibrary
from coach.instrument import Instrument
from coach.models import ArchetypeAssignment
from coach.scoring.hr_anonymity import HR_MIN_N
from coach.scoring.hr_disclosure import partition_shown
from coach.services.archetypes import assignment as archetype_assignment

METHODS = {"kmeans": "k-means", "gmm": "Gaussian mixture", "prototypes": "theory prototypes"}
LOWEST_SCALES = 2
ACTIONS_PER_SCALE = 2


def _sizes(session: Session, instrument_id: str, run_id: int) -> dict[str, int]:
    rows = session.execute(
        select(ArchetypeAssignment.archetype, func.count())
        .where(
            ArchetypeAssignment.instrument_id == instrument_id,
            ArchetypeAssignment.run_id == run_id,
        )
        .group_by(ArchetypeAssignment.archetype)
    )
    return {key: n for key, n in rows}


def _actions(library: ActionLibrary, scale_ids: list[str]) -> list[dict[str, str]]:
    out = []
    for scale_id in scale_ids:
        for action in library.for_scale(scale_id)[:ACTIONS_PER_SCALE]:
            out.append({"title": action.title, "why": action.why, "horizon": action.horizon})
    return out


def _quality(run: Any, model: Any) -> dict[str, Any]:
    quality = model.quality
    return {
        "version": model.version,
        "created_at": run.created_at,
        "kind": model.kind,
        "method": METHODS.get(model.kind, model.kind),
        "k": model.k,
        "structure": model.structure,
        "structure_text": archetype_assignment.STRUCTURE_TEXT.get(model.structure, ""),
        "weak": model.structure in ("weak", "not_fitted"),
        "profiles": model.n_profiles,
        "excluded": model.n_excluded,
        "silhouette": None if quality is None else quality.silhouette,
        "stability": None if quality is None else quality.stability,
        "min_share": None if quality is None else quality.min_share,
        "min_share_percent": None if quality is None else round(quality.min_share * 100, 1),
        "criteria_met": None if quality is None else quality.criteria_met,
        "candidates": []
        if quality is None
        else [
            {"kind": c.kind, "k": c.k, "bic": c.bic, "silhouette": c.silhouette}
            | {"min_share": c.min_share, "stability": c.stability, "eligible": c.eligible}
            for c in quality.candidates
        ],
    }


def archetype_cards(
    session: Session, instrument: Instrument, library: ActionLibrary
) -> dict[str, Any]:
    """The current model's cards and quality, or ``available: False`` before any recluster.

    ``library`` is the instrument's action library (the app loaded it at start-up)."""
    run = archetype_assignment.current_run(session, instrument.id)
    base = {
        "instrument": instrument.id,
        "scale_min": instrument.scale_min,
        "scale_max": instrument.scale_max,
        "note": archetype_assignment.NOTE,
    }
    if run is None:
        return {**base, "available": False, "cards": []}
    model = archetype_assignment.model_of(run)
    sizes = _sizes(session, instrument.id, run.id)
    total = sum(sizes.values())
    shown = partition_shown(total, sizes)
    names = {s.id: s.name for s in instrument.scales}
    cards = []
    for i, key in enumerate(model.keys):
        z = model.centroids_z[i]
        raw = model.centroids_raw[i]
        lowest = sorted(range(len(z)), key=lambda j: (z[j], raw[j]))[:LOWEST_SCALES]
        lowest_ids = [model.scale_ids[j] for j in lowest]
        card: dict[str, Any] = {
            "key": key,
            "name": model.names[i],
            "description": model.descriptions[i],
            "centroid": [
                {
                    "scale": sid,
                    "name": names.get(sid, sid),
                    "value": round(model.centroids_raw[i][j], 2),
                    "organisation": round(model.feature_means[j], 2),
                }
                for j, sid in enumerate(model.scale_ids)
            ],
            "lowest": [names.get(s, s) for s in lowest_ids],
            "actions": _actions(library, lowest_ids),
        }
        if key in shown:
            card["size"] = sizes[key]
            card["share"] = round(sizes[key] / total, 3)
            card["share_percent"] = round(100 * sizes[key] / total)
        cards.append(card)
    people = {"people": total} if total >= HR_MIN_N else {}
    return {**base, **people, "available": True, "quality": _quality(run, model), "cards": cards}
