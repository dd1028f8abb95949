"""Unit paths have a depth and a length limit, checked before anything is written; walking
the unit tree works at any depth."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from coach.extensions import db
from coach.models import OrgUnit, User
from coach.services.people import directory, org_import

BASE = "http://coach.test"
HEADER = "email,name,unit,manager_email,role\n"


def _import(text: str) -> org_import.ImportSummary:
    return org_import.import_people(db.session, text.encode(), base_url=BASE)


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def _hostile(size: int = 16 * 1024) -> str:
    """An org chart of about ``size`` bytes whose second row nests thousands of units."""
    deep = "/".join(["u"] * (size // 2))
    return HEADER + "ok@acme.test,Fine Row,Acme,,manager\n" + f"deep@acme.test,Deep,{deep},,\n"


def _normal(size: int = 16 * 1024) -> str:
    """An ordinary org chart of about ``size`` bytes: a company, departments and teams."""
    lines = [HEADER, "boss@acme.test,Big Boss,Acme,,manager\n"]
    n = 0
    while sum(map(len, lines)) < size:
        lines.append(f"p{n}@acme.test,Person {n},Acme/Dept {n % 5}/Team {n % 20},boss@acme.test,\n")
        n += 1
    return "".join(lines)


def test_a_hostile_16_kb_org_chart_is_refused_quickly_with_its_row_and_writes_nothing(ctx):
    started = time.perf_counter()
    assert _import(_normal()).ok
    baseline = time.perf_counter() - started
    db.session.remove()
    with db.engine.begin() as conn:  # back to an empty directory
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())

    started = time.perf_counter()
    summary = _import(_hostile())
    refused_in = time.perf_counter() - started
    assert not summary.ok
    assert [(p.row, p.column) for p in summary.problems] == [(3, "unit")]
    assert "at most 1000 characters" in summary.problems[0].reason
    assert _count(OrgUnit) == 0 and _count(User) == 0
    # Refusing reads the file once; importing an ordinary file of the same size writes it.
    assert refused_in < max(1.0, baseline), (refused_in, baseline)


def test_a_unit_path_deeper_than_ten_levels_is_a_row_problem(ctx):
    ten = "/".join(f"L{i}" for i in range(1, 11))
    summary = _import(HEADER + f"a@acme.test,A,{ten},,\nb@acme.test,B,{ten}/L11,,\n")
    assert not summary.ok
    assert [(p.row, p.column) for p in summary.problems] == [(3, "unit")]
    assert "at most 10 levels, this one has 11" in summary.problems[0].reason
    assert _count(OrgUnit) == 0


def test_ten_levels_import_and_the_tree_lists_them_with_their_counts(ctx):
    ten = "/".join(f"L{i}" for i in range(1, 11))
    assert _import(HEADER + f"a@acme.test,A,{ten},,\nb@acme.test,B,L1/L2,,\n").ok
    tree = directory.unit_tree(db.session)
    assert [n.depth for n in tree] == list(range(10))
    assert [n.total for n in tree] == [2, 2, *[1] * 8]
    assert [n.own for n in tree] == [0, 1, *[0] * 7, 1]


def test_the_import_command_refuses_a_hostile_file_with_its_row(app, tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(_hostile())
    result = app.test_cli_runner().invoke(args=["import-people", str(path)])
    assert result.exit_code == 1
    assert "row 3" in result.output and "unit" in result.output
    with app.app_context():
        assert _count(OrgUnit) == 0


def _chain(depth: int) -> bool:
    """A chain of units deeper than any limit, as a database from before the limits holds.

    PostgreSQL enforces the 1000 characters of a tree path, so only SQLite can hold one
    that deep: there the chain gets its tree paths (True), elsewhere they stay empty.
    """
    with_paths = db.session.get_bind().dialect.name == "sqlite"
    parent = None
    for level in range(depth):
        unit = OrgUnit(name=f"L{level}", parent=parent)
        db.session.add(unit)
        db.session.flush()
        if with_paths:
            unit.tree_path = f"{parent.tree_path if parent else '/'}{unit.id}/"
        parent = unit
    db.session.add(User(email="deep@acme.test", name="Deep", role="manager", unit=parent))
    db.session.commit()
    return with_paths


def test_the_tree_walks_a_unit_chain_deeper_than_pythons_recursion_limit(ctx):
    with_paths = _chain(1500)
    tree = directory.unit_tree(db.session)
    assert len(tree) == 1500 and tree[-1].depth == 1499
    assert all(node.total == 1 for node in tree)
    deepest = directory.units_by_path(db.session)
    assert "/".join(f"l{i}" for i in range(1500)) in deepest
    if with_paths:
        assert len(directory.upper_units(db.session, 2, also=tree[-1].unit)) == 1500
