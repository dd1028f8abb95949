"""Exports: CSV of every figure with suppression applied, the whole set by command, audited."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import AuditEvent
from coach.services.hr import dashboard as hr_dashboard
from coach.services.hr import exports
from coach.services.people import directory

from hr_builders import closed_round, person, submit


def _org() -> None:
    for name, size in (("Ops", 6), ("Sales", 6), ("Tiny", 3), ("Mini", 3)):
        for i in range(size):
            submit(person(f"{name}{i}@example.org", f"Acme/{name}"), level=2 + i % 3)
    for i in range(5):
        closed_round(
            person(f"rated{i}@example.org", "Acme/Ops"),
            [("manager", 4), ("peer", 3), ("peer", 4), ("peer", 2)],
        )


def test_dashboard_rows_hold_only_shown_figures(ctx):
    _org()
    acme = directory.ensure_unit(db.session, "Acme")
    payload = hr_dashboard.summary(
        db.session, default_instrument(), hr_dashboard.Filters(unit=acme)
    )
    rows = exports.dashboard_rows(payload)
    figures = {r["figure"] for r in rows}
    assert {"scales", "heatmap", "distributions", "trends"} <= figures
    # counts of bands, quadrants and participation are for the whole organisation only
    assert not {"quadrants", "participation"} & figures
    assert all(" " not in r["item"] for r in rows if r["figure"] == "distributions")
    whole = hr_dashboard.summary(db.session, default_instrument(), hr_dashboard.Filters())
    assert {"distributions", "participation"} <= {
        r["figure"] for r in exports.dashboard_rows(whole)
    }
    assert all(r.get("n") is None or r["n"] >= 5 for r in rows)
    heat_units = {r["unit"].rsplit("/", 1)[1] for r in rows if r["figure"] == "heatmap"}
    assert heat_units <= {"Ops", "Sales"} and "Tiny" not in heat_units
    text = exports.to_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert list(parsed[0]) == list(exports.COLUMNS) and len(parsed) == len(rows)
    only = exports.dashboard_rows(whole, "participation")
    assert {r["figure"] for r in only} == {"participation"}


def test_export_org_writes_every_unit_and_records_it(app, tmp_path):
    with app.app_context():
        _org()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["export-org", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    summary = list(csv.DictReader((tmp_path / "out" / "summary.csv").open()))
    units = {r["unit"] for r in summary}
    assert "Whole organisation" in units and "Whole organisation/Acme/Ops" in units
    assert not any("Tiny" in u or "Mini" in u for u in units)
    assert all(int(r["n"]) >= 5 for r in summary if r["n"])
    assert (tmp_path / "out" / "archetypes.csv").exists()
    assert (tmp_path / "out" / "psychometrics.csv").exists()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "export"))
        assert event.target == "export-org:leader-manager" and "summary.csv" in event.detail


def test_the_commands_recluster_and_compute_quality_with_progress(app):
    with app.app_context():
        for i in range(6):
            submit(person(f"c{i}@example.org", "Acme"), level=2 + i % 3)
        db.session.remove()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["recluster"])
    assert result.exit_code == 0, result.output
    assert "theory prototypes" in result.output and "6 people assigned" in result.output
    result = runner.invoke(args=["quality"])
    assert result.exit_code == 0 and "from 6 self" in result.output
    result = runner.invoke(args=["rebuild-hr-summaries"])
    assert result.exit_code == 0 and "rebuilt" in result.output
    assert runner.invoke(args=["recluster", "--instrument", "nope"]).exit_code != 0
