"""Where to act: the dashboard's own figures turned into a short list of places to look.

Pure: it reads only the payload ``hr_dashboard.summary`` already returns, so it can never
show a figure the page itself leaves out. Each item names a unit (or the selected unit when
it has none below it) so the page can offer to start a feedback campaign there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

GAP_AT_LEAST = 0.3
"""A self-others difference smaller than this (in scale points) is not worth a note."""
LOW_PARTICIPATION = 0.7
"""Below this share of invited raters answering, participation is worth a note."""
MAX_ITEMS = 3


def where_to_act(view: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The largest self-others gaps, the lowest scale averages and low participation."""
    if not view.get("available"):
        return {"gaps": [], "lowest": [], "participation": []}
    return {
        "gaps": _gaps(view),
        "lowest": _lowest(view),
        "participation": _participation(view),
    }


def _scale_names(view: Mapping[str, Any]) -> dict[str, str]:
    return {s["id"]: s["name"] for s in view.get("scales", [])}


def _unit_means(block: Mapping[str, Any]) -> dict[str, tuple[str, dict[str, float]]]:
    """Per shown unit below: (name, mean per scale), by the unit's public id."""
    if not block.get("shown"):
        return {}
    return {
        row["id"]: (row["name"], {sid: cell["mean"] for sid, cell in row["cells"].items()})
        for row in block.get("heatmap", [])
        if row.get("shown")
    }


def _own_means(view: Mapping[str, Any], source: str) -> dict[str, tuple[str, dict[str, float]]]:
    """The selected unit's own means, keyed like ``_unit_means``."""
    block = view.get(source, {})
    if not block.get("shown"):
        return {}
    unit = view["unit"]
    return {unit["id"]: (unit["name"], {s["id"]: s["mean"] for s in block["scales"]})}


def _places(view: Mapping[str, Any], source: str) -> dict[str, tuple[str, dict[str, float]]]:
    """The units below when any is shown, else the selected unit itself."""
    return _unit_means(view.get(source, {})) or _own_means(view, source)


def _gaps(view: Mapping[str, Any]) -> list[dict[str, Any]]:
    names = _scale_names(view)
    own, others = _places(view, "self"), _places(view, "others")
    found: list[dict[str, Any]] = []
    for unit_id, (unit_name, self_means) in own.items():
        rated = others.get(unit_id, ("", {}))[1]
        for scale_id, self_mean in self_means.items():
            if scale_id not in rated:
                continue
            gap = round(self_mean - rated[scale_id], 2)
            if abs(gap) >= GAP_AT_LEAST:
                found.append(
                    {
                        "unit_id": unit_id,
                        "unit": unit_name,
                        "scale": names.get(scale_id, scale_id),
                        "self": self_mean,
                        "others": rated[scale_id],
                        "gap": gap,
                    }
                )
    found.sort(key=lambda item: (-abs(item["gap"]), item["unit"], item["scale"]))
    return found[:MAX_ITEMS]


def _lowest(view: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lowest unit-and-scale averages, from others' ratings when there are any."""
    names = _scale_names(view)
    source = "others" if _places(view, "others") else "self"
    cells = [
        {
            "unit_id": unit_id,
            "unit": unit_name,
            "scale": names.get(scale_id, scale_id),
            "mean": mean,
            "source": source,
        }
        for unit_id, (unit_name, means) in _places(view, source).items()
        for scale_id, mean in means.items()
    ]
    cells.sort(key=lambda item: (item["mean"], item["unit"], item["scale"]))
    return cells[:MAX_ITEMS]


def _participation(view: Mapping[str, Any]) -> list[dict[str, Any]]:
    figures = view.get("others", {}).get("participation")
    if not figures or figures.get("rate") is None or figures["rate"] >= LOW_PARTICIPATION:
        return []
    unit = view["unit"]
    return [
        {
            "unit_id": unit["id"],
            "unit": unit["name"],
            "invited": figures["invited"],
            "responded": figures["responded"],
            "rate_percent": figures["rate_percent"],
        }
    ]
