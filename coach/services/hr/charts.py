"""Chart data for the HR pages, built from the finished figures (the JavaScript only draws).

Every value here is copied from a figure that passed the anonymity check; a hidden figure is
``None``, which Chart.js leaves as a gap.
"""

from __future__ import annotations

from typing import Any

from coach.services.hr.filters import SOURCES


def _series(payload: dict[str, Any], kind: str) -> dict[str, Any]:
    scales = [s for s in payload["scales"] if s["kind"] == kind]
    out: dict[str, Any] = {"labels": [s["name"] for s in scales]}
    for source in SOURCES:
        block = payload[source]
        means = {s["id"]: s["mean"] for s in block.get("scales", [])}
        out[source] = [means.get(s["id"]) for s in scales]
    # No figure at all: the page says so instead of drawing empty axes.
    out["shown"] = any(v is not None for source in SOURCES for v in out[source])
    return out


def _poles(payload: dict[str, Any]) -> dict[str, Any]:
    """Each dimension's leader pole beside its manager pole, per source.

    A source with no pole figure shown is None, so the page says so in words instead of
    drawing empty axes. Scales are paired by their dimension, in instrument order.
    """
    pairs: dict[str, dict[str, str]] = {}
    for scale in payload["scales"]:
        if scale["kind"] == "pole" and scale.get("dimension") and scale.get("pole"):
            pairs.setdefault(scale["dimension"], {})[scale["pole"]] = scale["id"]
    complete = [p for p in pairs.values() if "leader" in p and "manager" in p]
    names = {s["id"]: s["name"] for s in payload["scales"]}
    out: dict[str, Any] = {
        "leader_names": [names[p["leader"]] for p in complete],
        "manager_names": [names[p["manager"]] for p in complete],
    }
    for source in SOURCES:
        means = {s["id"]: s["mean"] for s in payload[source].get("scales", [])}
        values = {pole: [means.get(p[pole]) for p in complete] for pole in ("leader", "manager")}
        shown = any(v is not None for pole in values.values() for v in pole)
        out[source] = values if shown else None
    return out


HISTOGRAM_WIDTH = 320
HISTOGRAM_HEIGHT = 120


def band_histograms(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Each index's bands as histogram bars: true band widths, height = people per point."""
    out = []
    for index in ("leader", "manager"):
        for source in SOURCES:
            figures = payload[source].get("indexes", {}).get(index)
            if not figures or not figures.get("bands"):
                continue
            bands = figures["bands"]
            low, high = bands[0]["low"], bands[-1]["high"]
            span = (high - low) or 1.0
            density = [b["n"] / max(b["high"] - b["low"], 0.01) for b in bands]
            tallest = max(density) or 1.0
            bars = []
            for band, per_point in zip(bands, density, strict=True):
                height = round(HISTOGRAM_HEIGHT * per_point / tallest, 1)
                bars.append(
                    {
                        **band,
                        "x": round(HISTOGRAM_WIDTH * (band["low"] - low) / span, 1),
                        "width": round(HISTOGRAM_WIDTH * (band["high"] - band["low"]) / span, 1),
                        "y": round(HISTOGRAM_HEIGHT - height, 1),
                        "height": height,
                    }
                )
            out.append({"index": index, "source": source, "low": low, "high": high, "bars": bars})
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
        "poles": _poles(payload),
        "skills": _series(payload, "skill"),
        "trend": _trend(payload),
    }


def archetype_charts(cards: dict[str, Any]) -> dict[str, Any]:
    """One bar chart per archetype card: centroid beside the organisation's mean."""
    return {
        "min": cards["scale_min"],
        "max": cards["scale_max"],
        "cards": [
            {
                "id": f"archetype-{card['key']}",
                "labels": [c["name"] for c in card["centroid"]],
                "archetype": [c["value"] for c in card["centroid"]],
                "organisation": [c["organisation"] for c in card["centroid"]],
            }
            for card in cards["cards"]
        ],
    }
