"""The organisation directory: the unit tree and the people in it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from coach.models import OrgUnit, User
from coach.services.accounts.accounts import AccountError
from coach.services.hr.version import summary_changed

PATH_SEPARATOR = "/"
MAX_UNIT_NAME = 200  # the org_unit.name column
# A real organisation is a handful of levels deep. The limits keep one request from creating
# thousands of nested units (each with a longer tree path than the last: quadratic in time
# and disk), and keep every unit's tree path well inside its 1000-character column.
MAX_UNIT_DEPTH = 10
MAX_UNIT_PATH = 1000


@dataclass
class UnitNode:
    """A unit with its people counts: ``own`` in the unit, ``total`` including below it."""

    unit: OrgUnit
    own: int
    total: int = 0
    children: list[UnitNode] = field(default_factory=list)
    depth: int = 0


def split_path(path: str) -> list[str]:
    """``"Acme / Ops/Logistics"`` -> ``["Acme", "Ops", "Logistics"]``."""
    return [part.strip() for part in path.split(PATH_SEPARATOR) if part.strip()]


def unit_path_problem(path: str) -> str | None:
    """Why a unit path cannot be stored, or None."""
    if len(path) > MAX_UNIT_PATH:
        return f"a unit path can have at most {MAX_UNIT_PATH} characters"
    names = split_path(path)
    if not names:
        return "the unit path is empty"
    if len(names) > MAX_UNIT_DEPTH:
        return f"a unit path can have at most {MAX_UNIT_DEPTH} levels, this one has {len(names)}"
    if any(len(name) > MAX_UNIT_NAME for name in names):
        return f"a unit name can have at most {MAX_UNIT_NAME} characters"
    return None


def ensure_unit(session: Session, path: str, known: dict[str, OrgUnit] | None = None) -> OrgUnit:
    """The unit at ``path``, creating it and any missing parents (no commit)."""
    if problem := unit_path_problem(path):
        raise AccountError(problem[0].upper() + problem[1:] + ".")
    known = known if known is not None else units_by_path(session)
    parent: OrgUnit | None = None
    walked: list[str] = []
    for name in split_path(path):
        walked.append(name)
        key = PATH_SEPARATOR.join(walked)
        unit = known.get(key.lower())
        if unit is None:
            unit = OrgUnit(name=name, parent=parent)
            session.add(unit)
            session.flush()
            unit.tree_path = f"{parent.tree_path if parent else '/'}{unit.id}/"
            known[key.lower()] = unit
            summary_changed(session)  # the unit tree HR figures are decided on has changed
        parent = unit
    if parent is None:
        raise AccountError("A unit path needs at least one name.")
    return parent


def units_by_path(session: Session) -> dict[str, OrgUnit]:
    """Every unit keyed by its lower-cased full path."""
    units = list(session.scalars(select(OrgUnit)))
    return {path.lower(): u for u, path in zip(units, _full_paths(units), strict=True)}


def _full_paths(units: list[OrgUnit]) -> list[str]:
    """Each unit's path from the top, each parent's path worked out once (no recursion)."""
    by_id = {u.id: u for u in units}
    known: dict[int, str] = {}
    for unit in units:
        pending: list[OrgUnit] = []
        current: OrgUnit | None = unit
        while current is not None and current.id not in known:
            pending.append(current)
            known[current.id] = ""  # claimed: a loop in the parents stops here
            parent_id = current.parent_id
            current = by_id.get(parent_id) if parent_id is not None else None
        for item in reversed(pending):
            above = known.get(item.parent_id) if item.parent_id is not None else None
            known[item.id] = f"{above}{PATH_SEPARATOR}{item.name}" if above else item.name
    return [known[u.id] for u in units]


def unit_tree(session: Session) -> list[UnitNode]:
    """The whole tree, depth-first, with active people counted per unit and per subtree."""
    units = list(session.scalars(select(OrgUnit).order_by(OrgUnit.name)))
    counts = Counter(
        dict(
            session.execute(
                select(User.unit_id, func.count(User.id))
                .where(User.active.is_(True))
                .group_by(User.unit_id)
            ).all()
        )
    )
    nodes = {u.id: UnitNode(u, counts.get(u.id, 0)) for u in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(nodes[unit.id])
    ordered = _depth_first(roots)
    for node in reversed(ordered):  # children come after their parent: totals bubble up
        node.total += node.own
        if node.unit.parent_id in nodes and node.depth > 0:
            nodes[node.unit.parent_id].total += node.total
    return ordered


def _depth_first(roots: list[UnitNode]) -> list[UnitNode]:
    """The nodes in depth-first order with their depth, walked with a stack (any depth)."""
    ordered: list[UnitNode] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        ordered.append(node)
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return ordered


def unit_outline(session: Session, unit: OrgUnit | None) -> list[UnitNode]:
    """The part of the tree a page shows: the chosen unit's ancestors, the unit and its
    children (the top-level units when none is chosen), depth-first, with active people
    counted per unit and per subtree.

    Two queries whatever the size of the organisation: the whole tree of a company of
    100,000 people is some 19,000 units, megabytes of HTML for a list nobody reads.
    """
    above = _path_ids(unit)
    below = OrgUnit.parent_id == unit.id if unit else OrgUnit.parent_id.is_(None)
    nodes = _counted(session, select(OrgUnit).where(or_(OrgUnit.id.in_(above), below)))
    chain = [nodes[i] for i in above if i in nodes]
    for depth, node in enumerate(chain):
        node.depth = depth
    rest = sorted(
        (n for i, n in nodes.items() if i not in above), key=lambda n: n.unit.name.lower()
    )
    for node in rest:
        node.depth = len(chain)
    return chain + rest


def upper_units(session: Session, depth: int, also: OrgUnit | None = None) -> list[UnitNode]:
    """The units down to ``depth`` levels below the top (and ``also`` with its ancestors),
    depth-first by name with people counts: a short list to choose a unit from."""
    slashes = func.length(OrgUnit.tree_path) - func.length(func.replace(OrgUnit.tree_path, "/", ""))
    nodes = _counted(
        session,
        select(OrgUnit).where(or_(slashes <= depth + 2, OrgUnit.id.in_(_path_ids(also)))),
    )
    children: dict[int | None, list[UnitNode]] = {}
    for node in sorted(nodes.values(), key=lambda n: n.unit.name.lower()):
        children.setdefault(node.unit.parent_id, []).append(node)
    ordered: list[UnitNode] = []
    stack = [(node, 0) for node in reversed(children.get(None, []))]
    while stack:
        node, level = stack.pop()
        node.depth = level
        ordered.append(node)
        stack.extend((child, level + 1) for child in reversed(children.get(node.unit.id, [])))
    return ordered


def _path_ids(unit: OrgUnit | None) -> list[int]:
    """The unit's ancestors and the unit, top first, from its tree path."""
    return [int(p) for p in unit.tree_path.strip("/").split("/") if p.isdigit()] if unit else []


def _counted(session: Session, query: Any) -> dict[int, UnitNode]:
    """The units the query selects, with active people in each and in each one's subtree.

    The counts come from one grouped query over the units that have people; each adds its
    count to every selected unit on its tree path.
    """
    nodes = {u.id: UnitNode(u, 0) for u in session.scalars(query)}
    shown = {str(i): i for i in nodes}
    people = session.execute(
        select(OrgUnit.id, OrgUnit.tree_path, func.count(User.id))
        .join(User, User.unit_id == OrgUnit.id)
        .where(User.active.is_(True))
        .group_by(OrgUnit.id, OrgUnit.tree_path)
    )
    for unit_id, path, count in people:
        if unit_id in nodes:
            nodes[unit_id].own = count
        for part in path.strip("/").split("/"):
            if part in shown:
                nodes[shown[part]].total += count
    return nodes


def unit_by_public_id(session: Session, public_id: str) -> OrgUnit | None:
    """One unit by its public id."""
    return session.scalar(select(OrgUnit).where(OrgUnit.public_id == public_id))


@dataclass(frozen=True)
class PeoplePage:
    """One page of a directory listing."""

    people: list[User]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the listing has (at least one)."""
        return max(1, -(-self.total // self.per_page))


def people_page(
    session: Session, unit: OrgUnit | None, page: int = 1, per_page: int = 50, search: str = ""
) -> PeoplePage:
    """A page of the people in a unit and below, optionally matching a name or e-mail."""
    query = select(User)
    if unit is not None:
        query = query.join(OrgUnit, User.unit_id == OrgUnit.id).where(
            OrgUnit.tree_path.startswith(unit.tree_path, autoescape=True)
        )
    if search.strip():
        needle = f"%{search.strip().lower()}%"
        query = query.where(func.lower(User.name).like(needle) | User.email.like(needle))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = session.scalars(
        query.options(joinedload(User.unit), joinedload(User.manager))
        .order_by(User.name, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return PeoplePage(list(rows), total, page, per_page)


def person_by_public_id(session: Session, public_id: str) -> User | None:
    """One person by their public id."""
    return session.scalar(select(User).where(User.public_id == public_id))
