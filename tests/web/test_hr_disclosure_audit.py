"""An auditor that does not trust the HR protection: everything HR can reach, checked by rank.

For generated organisations (random unit trees, people per unit, two half-years, blank
scales) the test signs in as HR, requests every view the API offers (every unit, every
half-year), and writes down each figure with the set of people behind it, worked out from
what the test itself generated, not from the product. Every figure is a sum over its set
(a mean with its n, or a count), so a group of 1..4 people is disclosed when its indicator
is a linear combination of the shown sets' indicators. The check is exact on the atoms of
the shown sets (the people no shown set tells apart): every union of atoms with 1..4 people
is tested with a rank test.

Others' ratings are generated too: some people have a closed 360 round with a manager and
three peers, some also three direct reports. Each rater group is its own variable (the
group's mean for a person), so the sets of people with a figure from that group are audited
per group, through the API's rater-group filter.

Variables are audited separately: each scale's scores (the sets of people with a score on
it), each index, and the counts of people together with one classification's counts
(quadrants, or the bands of one index), as docs/disclosure.md states.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.extensions import db, limiter
from coach.instruments_registry import default_instrument
from coach.services.people import directory

from conftest import Auth
from disclosure_audit import disclosed_groups
from hr_builders import closed_round, person, submit

CYCLES = {20261: datetime(2026, 3, 2, tzinfo=UTC), 20262: datetime(2026, 9, 2, tzinfo=UTC)}
FLOOR = 5
Record = tuple[int, int]  # (person, half-year)


def disclosed(sets: list[frozenset[Record]]) -> list[frozenset[Record]]:
    """Groups of 1..4 records that the shown sets of one variable determine."""
    universe: set[Record] = set().union(*sets) if sets else set()
    return disclosed_groups(sets, universe, FLOOR)


@dataclass
class World:
    """What the test generated: units, people, their records and what they left blank."""

    units: dict[int, int | None] = field(default_factory=dict)  # unit index -> parent index
    people: dict[int, int] = field(default_factory=dict)  # person -> unit index
    records: dict[Record, str | None] = field(default_factory=dict)  # -> blank scale
    rated: dict[int, tuple[str, ...]] = field(default_factory=dict)  # person -> groups shown

    def below(self, unit: int | None) -> set[int]:
        """Unit indexes at and under ``unit`` (None: every unit)."""
        if unit is None:
            return set(self.units)
        out, frontier = {unit}, [unit]
        while frontier:
            here = frontier.pop()
            kids = [u for u, p in self.units.items() if p == here]
            out.update(kids)
            frontier.extend(kids)
        return out

    def in_slice(self, unit: int | None, cycle: int) -> set[Record]:
        """The records of a unit (with everything below it) in a half-year."""
        units = self.below(unit)
        return {(p, c) for (p, c) in self.records if c == cycle and self.people[p] in units}

    def rated_in(self, unit: int | None, group: str) -> frozenset[Record]:
        """People of a unit with others' figures of a rater group ("*": any) this half-year."""
        units = self.below(unit)
        return frozenset(
            (p, ROUND_CYCLE)
            for p, groups in self.rated.items()
            if self.people[p] in units and (group == "*" or group in groups)
        )


ROUND_CYCLE = 20262  # rounds close now (December 2026)
ROUNDS = {
    0: (),
    1: (("manager", 4), ("peer", 3), ("peer", 4), ("peer", 2)),
    2: (("manager", 3), ("peer", 3), ("peer", 5), ("peer", 2), *[("direct_report", 4)] * 3),
}
worlds = st.builds(
    lambda parents, sizes, cycles, blanks, rounds: (parents, sizes, cycles, blanks, rounds),
    st.lists(st.integers(0, 10), min_size=1, max_size=4),
    st.lists(st.integers(0, 7), min_size=5, max_size=5),
    st.lists(st.sampled_from([(20261,), (20262,), (20261, 20262)]), min_size=40, max_size=40),
    st.lists(st.booleans(), min_size=40, max_size=40),
    st.lists(st.sampled_from([0, 0, 1, 2]), min_size=40, max_size=40),
)


def _build(app: Any, drawn: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch) -> World:
    parents, sizes, cycles, blanks, rounds = drawn
    world = World(units={0: None})
    for i, choice in enumerate(parents, start=1):
        world.units[i] = choice % i
    paths = {0: "Acme"}
    for i in sorted(world.units)[1:]:
        paths[i] = f"{paths[world.units[i]]}/U{i}"
    blank_scale = default_instrument().scales[0].id
    n = 0
    for unit, size in zip(sorted(world.units), sizes, strict=False):
        for _ in range(size):
            user = person(f"p{n}@example.org", paths[unit])
            world.people[n] = unit
            for k, cycle in enumerate(cycles[n]):
                moment = CYCLES[cycle]
                monkeypatch.setattr(
                    "coach.services.assessments.self_assessment.utcnow", lambda m=moment: m
                )
                blank = blank_scale if blanks[n] and k == 0 else None
                submit(user, level=1 + (n * 7 + k) % 5, blank=blank)
                world.records[(n, cycle)] = blank
            if ROUNDS[rounds[n]]:
                closed_round(user, list(ROUNDS[rounds[n]]))
                world.rated[n] = tuple({g for g, _ in ROUNDS[rounds[n]]})
            n += 1
    world.units = {u: p for u, p in world.units.items()}
    world.paths = paths  # type: ignore[attr-defined]
    return world


def _collect(client: Any, world: World) -> dict[tuple[str, ...], list[frozenset[Record]]]:
    """Every shown figure's set of records, by the variable it sums."""
    instrument = default_instrument()
    leader = {d.leader_scale for d in instrument.dimensions}
    manager = {d.manager_scale for d in instrument.dimensions}
    ids = {
        u: directory.ensure_unit(db.session, world.paths[u]).public_id  # type: ignore[attr-defined]
        for u in world.units
    }
    by_id = {v: k for k, v in ids.items()}
    families: dict[tuple[str, ...], list[frozenset[Record]]] = defaultdict(list)

    def scale_set(unit: int | None, cycle: int, scale: str) -> frozenset[Record]:
        return frozenset(r for r in world.in_slice(unit, cycle) if world.records[r] != scale)

    def index_set(unit: int | None, cycle: int, poles: set[str]) -> frozenset[Record]:
        return frozenset(r for r in world.in_slice(unit, cycle) if world.records[r] not in poles)

    def figure(unit: int | None, cycle: int, payload: dict[str, Any]) -> None:
        families[("count",)].append(frozenset(world.in_slice(unit, cycle)))
        for scale in payload.get("scales", []):
            families[("scale", scale["id"])].append(scale_set(unit, cycle, scale["id"]))
        for name, poles in (("leader", leader), ("manager", manager)):
            if name in payload.get("indexes", {}) or name in payload:
                families[("index", name)].append(index_set(unit, cycle, poles))

    for unit in [None, *world.units]:
        for group in ("*", "peer", "direct_report"):
            query = f"?cycle={ROUND_CYCLE}&rater_group={group}"
            query += f"&unit={ids[unit]}" if unit is not None else ""
            body = client.get(f"/api/v1/hr/summary{query}").get_json()
            if body["available"]:
                _others(world, families, group, unit, body, by_id)
        for cycle in CYCLES:
            query = f"?cycle={cycle}" + (f"&unit={ids[unit]}" if unit is not None else "")
            response = client.get(f"/api/v1/hr/summary{query}")
            assert response.status_code == 200
            body = response.get_json()
            if not body["available"]:
                continue
            block = body["self"]
            if block["shown"]:
                figure(unit, cycle, block)
                for child in block["heatmap"]:
                    if child["shown"]:
                        cells = [{"id": s} for s in child["cells"]]
                        figure(by_id[child["id"]], cycle, {"scales": cells})
                for q in block.get("quadrants", []):
                    families[("quadrants",)].append(_quadrant_set(world, cycle, q["key"]))
            for point in body["trends"]["self"]:
                scales = [{"id": s} for s in point.get("scales", {})]
                figure(unit, point["cycle"], {**point, "scales": scales})
    return families


def _others(
    world: World,
    families: dict[tuple[str, ...], list[frozenset[Record]]],
    group: str,
    unit: int | None,
    body: dict[str, Any],
    by_id: dict[str, int],
) -> None:
    """Every others' figure of one rater group's view, by variable (each group its own)."""
    block = body["others"]

    def add(where: int | None, payload: dict[str, Any]) -> None:
        people = world.rated_in(where, group)
        families[("others", group, "count")].append(people)
        for scale in payload.get("scales", []):
            families[("others", group, scale if isinstance(scale, str) else scale["id"])].append(
                people
            )

    if block["shown"]:
        add(unit, block)
        for child in block["heatmap"]:
            if child["shown"]:
                add(by_id[child["id"]], {"scales": list(child["cells"])})
    for point in body["trends"]["others"]:
        add(unit, {"scales": list(point.get("scales", {}))})


def _quadrant_set(world: World, cycle: int, quadrant: str) -> frozenset[Record]:
    from sqlalchemy import select

    from coach.models import User, hr_fact

    f = hr_fact.c
    rows = db.session.execute(
        select(User.email, f.quadrant)
        .join(User, User.id == f.person_id)
        .where(f.source == "self", f.cycle == cycle, f.rater_group == "*")
    )
    return frozenset((int(email.split("@")[0][1:]), cycle) for email, q in rows if q == quadrant)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=worlds)
def test_no_combination_of_everything_hr_can_reach_isolates_fewer_than_five(
    app, make_user, drawn, monkeypatch
):
    with app.app_context():
        _empty(app)
        world = _build(app, drawn, monkeypatch)
        make_user("hr@example.org", "hr", "Hana Hr")
        client = app.test_client()
        Auth(client).sign_in("hr@example.org")
        families = _collect(client, world)
        counts = families.pop(("count",), [])
        quadrants = families.pop(("quadrants",), [])
        checks = {**families, ("count", "quadrants"): counts + quadrants}
        for variable, sets in checks.items():
            assert disclosed(sets) == [], variable
        db.session.remove()


def _empty(app: Any) -> None:
    db.session.remove()
    limiter.reset()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
