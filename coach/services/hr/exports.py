"""CSV exports of HR figures, written from the same finished dicts the pages show.

A figure that was suppressed is absent from those dicts, so it is absent from every file:
no row, no zero. Each export is audited in the transaction that records it
(``audit.Event.EXPORT``); ``export_org`` writes the whole anonymised aggregate set to a
folder (``flask --app coach export-org OUTDIR``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.coaching import ActionLibrary
from coach.instrument import Instrument
from coach.models import OrgUnit, User
from coach.services.archetypes import cards as archetype_cards
from coach.services.hr import dashboard as hr_dashboard
from coach.services.hr import instrument_quality
from coach.services.hr.filters import SOURCES
from coach.services.records import audit

COLUMNS = (
    "figure",
    "unit",
    "cycle",
    "rater_group",
    "archetype",
    "source",
    "item",
    "n",
    "mean",
    "sd",
    "value",
)
FIGURES = (
    "scales",
    "heatmap",
    "distributions",
    "quadrants",
    "archetypes",
    "participation",
    "trends",
    "plans",
)
Row = dict[str, Any]


def _row(payload: dict[str, Any], figure: str, source: str = "", **values: Any) -> Row:
    filters = payload["filters"]
    unit = values.pop("unit", None) or "/".join(p["name"] for p in payload["unit"]["path"])
    return {
        "figure": figure,
        "unit": unit,
        "cycle": values.pop("cycle", filters["cycle"]),
        "rater_group": filters["rater_group"] if source == "others" else "",
        "archetype": "",
        "source": source,
        **values,
    }


def _block_rows(payload: dict[str, Any], source: str) -> Iterator[tuple[str, Row]]:
    block = payload[source]
    if not block.get("shown"):
        return
    for s in block["scales"]:
        yield (
            "scales",
            _row(payload, "scales", source, item=s["id"], n=s["n"], mean=s["mean"], sd=s["sd"]),
        )
    path = "/".join(p["name"] for p in payload["unit"]["path"])
    for child in block["heatmap"]:
        for scale, cell in child.get("cells", {}).items():
            unit = f"{path}/{child['name']}"
            yield (
                "heatmap",
                _row(
                    payload,
                    "heatmap",
                    source,
                    unit=unit,
                    item=scale,
                    n=cell["n"],
                    mean=cell["mean"],
                ),
            )
    for index, figures in block["indexes"].items():
        yield (
            "distributions",
            _row(
                payload,
                "distributions",
                source,
                item=f"{index}_index",
                n=figures["n"],
                mean=figures["mean"],
                sd=figures["sd"],
            ),
        )
        for band in figures.get("bands", []):
            item = f"{index}_index {band['low']}-{band['high']}"
            yield "distributions", _row(payload, "distributions", source, item=item, n=band["n"])
    for figure in ("quadrants", "archetypes"):
        for cell in block.get(figure, []):
            yield figure, _row(payload, figure, source, item=cell["key"], n=cell["n"])
    if "participation" in block:
        for key in ("invited", "responded", "rate"):
            yield (
                "participation",
                _row(payload, "participation", source, item=key, value=block["participation"][key]),
            )


def dashboard_rows(payload: dict[str, Any], figure: str = "all") -> list[Row]:
    """The CSV rows of one figure family of a dashboard view (or all of them)."""
    if not payload.get("available"):
        return []
    rows: list[tuple[str, Row]] = []
    for source in SOURCES:
        rows += list(_block_rows(payload, source))
        for point in payload["trends"][source]:
            for scale, mean in point.get("scales", {}).items():
                rows.append(
                    (
                        "trends",
                        _row(
                            payload,
                            "trends",
                            source,
                            cycle=point["cycle"],
                            item=scale,
                            n=point["n"],
                            mean=mean,
                        ),
                    )
                )
    plans = payload.get("plans") or {}
    if plans.get("shown"):
        rows.append(
            ("plans", _row(payload, "plans", item="people_with_active_plan", n=plans["people"]))
        )
        for state, count in plans["goals_by_status"].items():
            rows.append(("plans", _row(payload, "plans", item=f"goals_{state}", value=count)))
        rows.append(
            ("plans", _row(payload, "plans", item="share_on_track", value=plans["share_on_track"]))
        )
    return [row for name, row in rows if figure in ("all", name)]


def archetype_rows(cards: dict[str, Any]) -> list[Row]:
    """The archetype cards as CSV rows (sizes only where shown)."""
    rows = []
    for card in cards.get("cards", []):
        base = {"figure": "archetypes", "archetype": card["key"], "unit": "Whole organisation"}
        rows.append({**base, "item": "name", "value": card["name"], "n": card.get("size")})
        rows += [
            {
                **base,
                "item": f"centroid {c['scale']}",
                "mean": c["value"],
                "value": c["organisation"],
            }
            for c in card["centroid"]
        ]
    return rows


def quality_rows(figures: dict[str, Any]) -> list[Row]:
    """The psychometrics page as CSV rows (groups under 5 respondents are absent)."""
    rows = []
    for scale in figures["scales"]:
        for group in figures["groups"]:
            shown = scale.get(group) or {}
            if not shown.get("shown"):
                continue
            base = {
                "figure": "psychometrics",
                "unit": "Whole organisation",
                "source": group,
                "item": scale["id"],
            }
            rows.append(
                {
                    **base,
                    "n": shown["n"],
                    "mean": shown["mean"],
                    "sd": shown["sd"],
                    "value": shown["alpha"],
                }
            )
    return rows


def to_csv(rows: Iterable[Row]) -> str:
    """CSV text with the fixed columns (missing values empty)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in COLUMNS})
    return out.getvalue()


def audited_csv(
    session: Session, actor: User | None, target: str, detail: str, rows: list[Row]
) -> str:
    """The CSV of ``rows``, with its export recorded and committed."""
    audit.record(session, audit.Event.EXPORT, actor, target, detail)
    session.commit()
    return to_csv(rows)


def export_org(
    session: Session,
    instrument: Instrument,
    library: ActionLibrary,
    folder: Path,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Every unit's default view, the archetypes (with ``library``'s actions) and the
    psychometrics, as CSV files; audited."""
    say = progress or (lambda _message: None)
    folder.mkdir(parents=True, exist_ok=True)
    units: list[OrgUnit | None] = [
        None,
        *session.scalars(select(OrgUnit).order_by(OrgUnit.tree_path)),
    ]
    rows: list[Row] = []
    for count, unit in enumerate(units, start=1):
        payload = hr_dashboard.summary(session, instrument, hr_dashboard.Filters(unit=unit))
        rows += [r for r in dashboard_rows(payload) if r["figure"] != "heatmap"]
        if count % 500 == 0:
            say(f"{count} of {len(units)} units")
    written = {"summary.csv": len(rows)}
    (folder / "summary.csv").write_text(to_csv(rows), encoding="utf-8")
    cards = archetype_rows(archetype_cards.archetype_cards(session, instrument, library))
    (folder / "archetypes.csv").write_text(to_csv(cards), encoding="utf-8")
    written["archetypes.csv"] = len(cards)
    cached = instrument_quality.cached_quality(session, instrument.id)
    psychometrics = quality_rows(cached[0]) if cached else []
    (folder / "psychometrics.csv").write_text(to_csv(psychometrics), encoding="utf-8")
    written["psychometrics.csv"] = len(psychometrics)
    detail = ", ".join(f"{name}: {n} rows" for name, n in written.items())
    audit.record(session, audit.Event.EXPORT, None, f"export-org:{instrument.id}", detail)
    session.commit()
    return written
