"""Chart data for the HR pages, built from the finished figures (the JavaScript only draws).

Every value here is copied from a figure that passed the anonymity check; a hidden figure is
``None``, which Chart.js leaves as a gap.
"""

from __future__ import annotations

from typing import Any

from coach.services.hr_filters import SOURCES


def _series(payload: dict[str, Any], kind: str) -> dict[str, Any]:
    scales = [s for s in payload["scales"] if s["kind"] == kind]
    out: dict[str, Any] = {"labels": [s["name"] for s in scales]}
    for source in SOURCES:
        block = payload[source]
        means = {s["id"]: s["mean"] for s in block.get("scales", [])}
        out[source] = [means.get(s["id"]) for s in scales]
    return out


def _bands(payload: dict[str, Any], index: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for source in SOURCES:
        figures = payload[source].get("indexes", {}).get(index)
        if figures and "bands" in figures:
            out[source] = {
                "labels": [f"{b['low']:.1f}–{b['high']:.1f}" for b in figures["bands"]],
                "counts": [b["n"] for b in figures["bands"]],
            }
    return out


def _trend(payload: dict[str, Any]) -> dict[str, Any]:
    cycles = sorted(
        {(p["cycle"], p["label"]) for source in SOURCES for p in payload["trends"][source]}
    )
    out: dict[str, Any] = {"labels": [label for _, label in cycles]}
    for source in SOURCES:
        points = {p["cycle"]: p for p in payload["trends"][source]}
        for index in ("leader", "manager"):
            out[f"{source}_{index}"] = [points.get(c, {}).get(index) for c, _ in cycles]
    return out


def dashboard_charts(payload: dict[str, Any]) -> dict[str, Any]:
    """Everything the dashboard's charts draw."""
    return {
        "min": payload["instrument"]["scale_min"],
        "max": payload["instrument"]["scale_max"],
        "poles": _series(payload, "pole"),
        "skills": _series(payload, "skill"),
        "leader_index": _bands(payload, "leader"),
        "manager_index": _bands(payload, "manager"),
        "trend": _trend(payload),
    }


def archetype_charts(cards: dict[str, Any]) -> dict[str, Any]:
    """One radar per archetype card: centroid against the organisation's mean."""
    return {
        "min": cards["scale_min"],
        "max": cards["scale_max"],
        "cards": [
            {
                "id": f"radar-{card['key']}",
                "labels": [c["name"] for c in card["centroid"]],
                "archetype": [c["value"] for c in card["centroid"]],
                "organisation": [c["organisation"] for c in card["centroid"]],
            }
            for card in cards["cards"]
        ],
    }
