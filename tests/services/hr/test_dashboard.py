"""The HR dashboard's figures: what is shown, and that nothing about fewer than 5 people is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import OrgUnit
from coach.services.hr import archetype_refit
from coach.services.hr import dashboard as hr_dashboard
from coach.services.hr.dashboard import Filters
from coach.services.people import directory

from hr_builders import closed_round, person, submit, synthetic_org


def view(unit: OrgUnit | None = None, **filters: Any) -> dict[str, Any]:
    """The dashboard of a unit under filters, as the page and the API get it."""
    return hr_dashboard.summary(db.session, default_instrument(), Filters(unit=unit, **filters))


def unit(path: str) -> OrgUnit:
    return directory.ensure_unit(db.session, path)


def counts(node: Any) -> Iterator[int]:
    """Every people count in a payload: each ``n`` key, anywhere."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "n" and isinstance(value, int):
                yield value
            yield from counts(value)
    elif isinstance(node, list):
        for value in node:
            yield from counts(value)


def heat_row(payload: dict[str, Any], name: str, source: str = "self") -> dict[str, Any]:
    return next(r for r in payload[source]["heatmap"] if r["name"] == name)


def _team(path: str, size: int, prefix: str, **answers: Any) -> None:
    for i in range(size):
        submit(person(f"{prefix}{i}@example.org", path), **answers)


def test_figures_of_a_unit_are_means_over_everyone_in_it_and_below(ctx):
    _team("Acme/Ops", 6, "o", level=4)
    _team("Acme/Sales", 5, "s", level=2)
    whole = view()
    assert whole["self"]["n"] == 11
    acme = view(unit("Acme"))
    ops, sales = heat_row(acme, "Ops"), heat_row(acme, "Sales")
    assert ops["n"] == 6 and sales["n"] == 5
    vision = next(s for s in acme["self"]["scales"] if s["id"] == "vision")
    expected = (6 * ops["cells"]["vision"]["mean"] + 5 * sales["cells"]["vision"]["mean"]) / 11
    assert vision["mean"] == pytest.approx(expected, abs=0.01)
    assert ops["cells"]["vision"]["band"] in ("hi1", "hi2")
    assert sales["cells"]["vision"]["band"] in ("lo1", "lo2")


def test_a_small_unit_and_a_unit_that_would_reveal_it_are_absent_in_every_view(ctx):
    _team("Acme/Ops", 6, "o")
    _team("Acme/Small", 3, "m")
    _team("Acme/Mid", 5, "d")
    acme = view(unit("Acme"))
    assert acme["self"]["n"] == 14
    assert heat_row(acme, "Ops")["shown"] and heat_row(acme, "Ops")["n"] == 6
    for hidden in ("Small", "Mid"):  # Mid goes too: Acme - Ops - Mid would be Small's 3
        row = heat_row(acme, hidden)
        assert row == {"id": row["id"], "name": hidden, "shown": False}
        own = view(unit(f"Acme/{hidden}"))
        assert own["self"] == {"shown": False} and own["trends"]["self"] == []
    assert min(counts(acme)) >= 5


def test_each_half_year_stands_alone_so_no_view_is_the_difference_of_two(ctx, monkeypatch):
    for i in range(9):
        moment = datetime(2026, 3 if i < 6 else 9, 1, tzinfo=UTC)
        monkeypatch.setattr(
            "coach.services.assessments.self_assessment.utcnow", lambda moment=moment: moment
        )
        submit(person(f"c{i}@example.org", "Acme"))
    newest = view()  # the default is the newest half-year, not "everyone's latest"
    assert newest["filters"]["cycle"] == 20262 and newest["self"] == {"shown": False}
    first_half = view(cycle=20261)
    assert first_half["self"]["n"] == 6
    assert [p["cycle"] for p in newest["trends"]["self"]] == [20261]
    assert [c["code"] for c in newest["options"]["cycles"]] == [20261, 20262]


def test_a_scale_some_left_blank_is_checked_with_its_own_count(ctx):
    _team("Acme/Ops", 4, "o")
    submit(person("b@example.org", "Acme/Ops"), blank="vision")
    _team("Acme/Ops", 1, "p")
    ops = view(unit("Acme/Ops"))
    scales = {s["id"]: s for s in ops["self"]["scales"]}
    assert ops["self"]["n"] == 6 and scales["vision"]["n"] == 5
    # the leader index stands on the five people who have one, checked with that count
    assert ops["self"]["indexes"]["leader"]["n"] == 5


def test_others_figures_come_from_closed_rounds_with_participation(ctx):
    subjects = [person(f"r{i}@example.org", "Acme/Ops") for i in range(5)]
    for someone in subjects:
        closed_round(someone, [("manager", 4), ("peer", 3), ("peer", 4), ("peer", 3)])
    others = view()["others"]
    assert others["shown"] and others["n"] == 5
    assert others["participation"] == {
        "invited": 20,
        "responded": 20,
        "rate": 1.0,
        "rate_percent": 100,
    }
    peers = view(rater_group="peer")["others"]
    assert peers["n"] == 5
    assert view(rater_group="direct_report")["others"] == {"shown": False}


@pytest.fixture
def synthetic(ctx):  # type: ignore[no-untyped-def]
    synthetic_org(320, seed=4)
    archetype_refit.recluster(db.session, default_instrument(), min_population=100)


def _views(units: list[OrgUnit | None]) -> Iterator[dict[str, Any]]:
    found = hr_dashboard.options(db.session, default_instrument().id)
    for where in units:
        for group in ("*", "peer", "direct_report"):
            for cycle in found.cycles:
                yield view(where, rater_group=group, cycle=cycle)


def test_no_view_shows_a_figure_about_fewer_than_five_people(synthetic):
    top = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).all()
    second = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id.in_([u.id for u in top])).limit(3)
    ).all()
    seen = 0
    for payload in _views([None, *top, *second]):
        assert all(n >= 5 for n in counts(payload)), payload["filters"]
        seen += payload["self"].get("shown", False)
    assert seen  # the check ran on views that show figures


def test_a_unit_is_shown_in_its_parents_view_exactly_when_in_its_own(synthetic):
    parent = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).first()
    for filters in ({}, {"rater_group": "peer"}):
        above = view(parent, **filters)
        for source in ("self", "others"):
            for row in above[source].get("heatmap", []):
                child = directory.unit_by_public_id(db.session, row["id"])
                own = view(child, **filters)[source]
                assert own["shown"] == row["shown"], (row["name"], source, filters)
                if row["shown"]:
                    assert own["n"] == row["n"]
