"""Turn the parsed contents of an instrument file into an Instrument, collecting problems.

Pure module: standard library only. ``build_instrument`` never stops at the first problem;
it checks everything it can and returns every message, each prefixed with the file name
and naming the item, scale, page, dimension or field it is about.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from coach.instrument.fields import (
    ID_PATTERN,
    Problems,
    entries,
    ident,
    show,
    suggest,
    text,
    top_level,
    unique_ident,
    version_field,
)
from coach.instrument.options import parse_options
from coach.instrument.schema import (
    Dimension,
    Instrument,
    Item,
    Page,
    Pole,
    Scale,
    ScaleKind,
)

__all__ = ["ID_PATTERN", "MIN_ITEMS_PER_SCALE", "build_instrument"]

MIN_ITEMS_PER_SCALE = 3
"""A scale needs at least this many items to be scored at all."""

TOP_LEVEL_FIELDS = (
    "id", "version", "title", "description", "options", "dimensions", "scales", "pages", "items",
)  # fmt: skip
REQUIRED_FIELDS = ("id", "version", "title", "options", "scales", "items", "pages")
DIMENSION_FIELDS = ("id", "name", "leader", "manager")
SCALE_FIELDS = ("id", "name", "kind", "description", "dimension", "pole", "family")
PAGE_FIELDS = ("id", "title", "intro", "scales")
ITEM_FIELDS = ("id", "scale", "key", "self", "observer")
_KEYS: dict[object, int] = {"+1": 1, "1": 1, "-1": -1}


def build_instrument(data: object, source: str) -> tuple[Instrument | None, list[str]]:
    """Validate parsed file contents; return the instrument (None if invalid) and problems."""
    problems = Problems(source)
    data = top_level(data, TOP_LEVEL_FIELDS, REQUIRED_FIELDS, problems)
    if data is None:
        return None, problems.messages
    head = _head(data, problems)
    options = parse_options(data.get("options"), problems)
    dimensions = _dimensions(data.get("dimensions"), problems)
    scales, declared = _scales(data.get("scales"), problems)
    _link_dimensions(dimensions, scales, declared, problems)
    pages = _pages(data.get("pages"), declared, problems)
    items = _items(data.get("items"), declared, problems)
    if problems.messages or head is None:
        return None, problems.messages
    instrument = Instrument(
        id=head[0], version=head[1], title=head[2], description=head[3], options=options,
        dimensions=tuple(dimensions.values()), scales=tuple(scales.values()),
        items=items, pages=pages,
    )  # fmt: skip
    return instrument, []


def _head(data: dict[Any, Any], problems: Problems) -> tuple[str, str, str, str] | None:
    """The instrument's id, version, title and description."""
    iid = ident(data, "", problems, report_missing=False)
    version = version_field(data, problems)
    title = text(data, "title", "field 'title'", problems, report_missing=False)
    description = text(data, "description", "field 'description'", problems, required=False)
    if iid is None or not version or not version.strip() or title is None:
        return None
    return iid, version.strip(), title, description or ""


def _dimensions(raw: object, problems: Problems) -> dict[str, Dimension]:
    dimensions: dict[str, Dimension] = {}
    for where, entry in entries(raw, "dimensions", "dimension", DIMENSION_FIELDS, problems):
        did = ident(entry, where, problems)
        name = text(entry, "name", "name", problems, where=where)
        leader = text(entry, "leader", "leader scale (field 'leader')", problems, where=where)
        manager = text(entry, "manager", "manager scale (field 'manager')", problems, where=where)
        if did is None:
            continue
        if did in dimensions:
            problems.add(where, "duplicate dimension id")
        elif name is not None and leader is not None and manager is not None:
            dimensions[did] = Dimension(did, name, leader, manager)
    return dimensions


def _scales(raw: object, problems: Problems) -> tuple[dict[str, Scale], set[str]]:
    """The valid scales by id, and every declared scale id (valid or not)."""
    scales: dict[str, Scale] = {}
    declared: set[str] = set()
    for where, entry in entries(raw, "scales", "scale", SCALE_FIELDS, problems):
        sid = ident(entry, where, problems)
        if sid is not None and sid in declared:
            problems.add(where, "duplicate scale id")
            continue
        if sid is not None:
            declared.add(sid)
        name = text(entry, "name", "name", problems, where=where)
        description = text(entry, "description", "description", problems, where, required=False)
        kind = entry.get("kind")
        if kind not in ("pole", "skill"):
            reason = "missing field 'kind'" if kind is None else f"got {show(kind)}"
            problems.add(where, f"kind must be 'pole' or 'skill': {reason}")
            continue
        scale = _pole(entry, where, problems) if kind == "pole" else _skill(entry, where, problems)
        if sid is not None and name is not None and scale is not None:
            scales[sid] = Scale(sid, name, description=description or "", **scale)
    return scales, declared


def _pole(entry: dict[Any, Any], where: str, problems: Problems) -> dict[str, Any] | None:
    if "family" in entry:
        problems.add(where, "a pole scale has a dimension and pole, not a family")
    dimension = text(entry, "dimension", "dimension", problems, where, required=False)
    if dimension is None:
        problems.add(where, "pole scale needs a dimension (field 'dimension')")
    pole = entry.get("pole")
    if pole is None:
        problems.add(where, "pole scale needs a pole (field 'pole': leader or manager)")
    elif pole not in ("leader", "manager"):
        problems.add(where, f"pole must be 'leader' or 'manager', got {show(pole)}")
    if dimension is None or pole not in ("leader", "manager"):
        return None
    return {"kind": ScaleKind.POLE, "dimension": dimension, "pole": Pole(pole)}


def _skill(entry: dict[Any, Any], where: str, problems: Problems) -> dict[str, Any] | None:
    if "dimension" in entry or "pole" in entry:
        problems.add(where, "a skill scale has a family, not a dimension or pole")
    family = text(entry, "family", "family", problems, where, required=False)
    if family is None:
        problems.add(where, "skill scale needs a family (field 'family', e.g. leadership)")
        return None
    return {"kind": ScaleKind.SKILL, "family": family}


def _link_dimensions(
    dimensions: dict[str, Dimension],
    scales: dict[str, Scale],
    declared: set[str],
    problems: Problems,
) -> None:
    """Check that each dimension's leader and manager scales are its pole scales."""
    for dim in dimensions.values():
        for role, sid in (("leader", dim.leader_scale), ("manager", dim.manager_scale)):
            scale = scales.get(sid)
            if sid not in declared:
                hint = suggest(sid, sorted(declared))
                problems.add(f"dimension {dim.id}", f"{role} scale '{sid}' is not defined{hint}")
            elif scale is not None and scale.kind is ScaleKind.SKILL:
                problems.add(f"dimension {dim.id}", f"{role} scale '{sid}' is not a pole scale")
            elif scale is not None and (scale.dimension, scale.pole) != (dim.id, Pole(role)):
                problems.add(
                    f"dimension {dim.id}",
                    f"{role} scale '{sid}' declares dimension '{scale.dimension}' "
                    f"with pole '{scale.pole.value if scale.pole else None}'",
                )
    _check_pole_scales(dimensions, scales, problems)


def _check_pole_scales(
    dimensions: dict[str, Dimension], scales: dict[str, Scale], problems: Problems
) -> None:
    """Check that every pole scale's dimension exists and lists it at its pole."""
    for scale in scales.values():
        if scale.kind is not ScaleKind.POLE or scale.dimension is None or scale.pole is None:
            continue
        dim = dimensions.get(scale.dimension)
        if dim is None:
            hint = suggest(scale.dimension, sorted(dimensions))
            problems.add(f"scale {scale.id}", f"dimension '{scale.dimension}' is not defined{hint}")
            continue
        listed = dim.leader_scale if scale.pole is Pole.LEADER else dim.manager_scale
        if listed != scale.id:
            problems.add(
                f"scale {scale.id}",
                f"dimension {dim.id} does not list it as its {scale.pole.value} scale "
                f"(it lists '{listed}')",
            )


def _pages(raw: object, declared: set[str], problems: Problems) -> tuple[Page, ...]:
    pages: list[Page] = []
    placed: dict[str, list[str]] = {}
    seen: set[str] = set()
    for where, entry in entries(raw, "pages", "page", PAGE_FIELDS, problems):
        pid = ident(entry, where, problems)
        if pid is not None and pid in seen:
            problems.add(where, "duplicate page id")
        seen.add(pid or where)
        title = text(entry, "title", "title", problems, where=where)
        intro = text(entry, "intro", "intro", problems, where=where, required=False)
        refs = entry.get("scales")
        if not isinstance(refs, list) or not refs:
            problems.add(where, f"field 'scales' must be a non-empty list, got {show(refs)}")
            continue
        for ref in refs:
            if not isinstance(ref, str) or ref not in declared:
                hint = suggest(ref, sorted(declared))
                problems.add(where, f"scale {show(ref)} is not a defined scale{hint}")
            else:
                placed.setdefault(ref, []).append(pid or where)
        if pid is not None and title is not None:
            pages.append(Page(pid, title, tuple(str(r) for r in refs), intro or ""))
    for sid in sorted(declared):
        on = placed.get(sid, [])
        if not on and isinstance(raw, list) and raw:
            problems.add(f"scale {sid}", "is on no page; add it to one page's scales")
        elif len(on) > 1 and len(set(on)) == 1:
            problems.add(f"scale {sid}", f"is listed more than once on page {on[0]}")
        elif len(on) > 1:
            problems.add(f"scale {sid}", f"must be on exactly one page, found on {', '.join(on)}")
    return tuple(pages)


def _items(raw: object, declared: set[str], problems: Problems) -> tuple[Item, ...]:
    items: list[Item] = []
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    for where, entry in entries(raw, "items", "item", ITEM_FIELDS, problems):
        iid = unique_ident(entry, where, seen, "item", problems)
        scale = text(entry, "scale", "scale", problems, where=where)
        if scale is not None and scale not in declared:
            hint = suggest(scale, sorted(declared))
            problems.add(where, f"scale '{scale}' is not a defined scale{hint}")
            scale = None
        elif scale is not None:
            counts[scale] += 1
        key = _key(entry, where, problems)
        own = text(entry, "self", "self wording (field 'self')", problems, where=where)
        other = text(entry, "observer", "observer wording (field 'observer')", problems, where)
        if iid and scale and key and own and other:
            items.append(Item(iid, scale, key, own, other))
    if isinstance(raw, list) and raw:
        for sid in sorted(declared):
            if counts[sid] < MIN_ITEMS_PER_SCALE:
                problems.add(
                    f"scale {sid}",
                    f"has {counts[sid]} items, needs at least {MIN_ITEMS_PER_SCALE}",
                )
    return tuple(items)


def _key(entry: dict[Any, Any], where: str, problems: Problems) -> int | None:
    if "key" not in entry:
        problems.add(where, "missing field 'key' (+1, or -1 for a reversed item)")
        return None
    raw = entry["key"]
    if isinstance(raw, int) and not isinstance(raw, bool) and raw in (1, -1):
        return raw
    if isinstance(raw, str) and raw.strip() in _KEYS:
        return _KEYS[raw.strip()]
    problems.add(where, f"key must be +1 or -1, got {show(raw)}")
    return None
