"""Small helpers for validating fields of a parsed instrument file and wording problems.

Pure module: standard library only. Used by ``coach.instrument.validation`` and by the
action library (``coach.coaching.actions``), which follows the same rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
"""Every id (instrument, dimension, scale, page, item) must match: ids become form field names."""

_BOOL_HINT = " (put it in quotes: YAML reads yes, no, on and off as true or false)"


class FileProblemsError(Exception):
    """A file is invalid; ``problems`` lists every message, and the error reads as all of them."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


class Problems:
    """Collects problem messages for one file, each prefixed with the file name."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def add(self, where: str, reason: str) -> None:
        """Record one problem; ``where`` names the item, scale or field (may be empty)."""
        prefix = f"{self.source}: {where}: " if where else f"{self.source}: "
        self.messages.append(prefix + reason)


def top_level(
    data: object, known: Sequence[str], required: Sequence[str], problems: Problems
) -> dict[Any, Any] | None:
    """The file's top-level mapping, with every unknown, missing or empty field reported.

    None, with a problem saying why, when the file is empty or its top level is not a mapping.
    """
    if not isinstance(data, dict):
        what = "the file is empty" if data is None else f"got {show(data)}"
        problems.add("", f"top level must be a mapping of fields (id, version, ...); {what}")
        return None
    for key in data:
        if key not in known:
            problems.add("", f"unknown top-level field {show(key)}{suggest(key, known)}")
    for name in required:
        if name not in data:
            problems.add("", f"missing required field '{name}'")
        elif is_empty(data[name]):
            problems.add(f"field '{name}'", "required field is empty")
    return data


def version_field(data: dict[Any, Any], problems: Problems) -> str | None:
    """The ``version`` field when it is text; any other value that is not empty is reported."""
    version = data.get("version")
    if isinstance(version, str):
        return version
    if not is_empty(version):
        problems.add(
            "field 'version'", f'must be a quoted string such as "1.0", got {show(version)}'
        )
    return None


def show(value: object) -> str:
    """A short, YAML-flavoured rendering of a value for a problem message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def is_empty(value: object) -> bool:
    """True for null, blank text, an empty list or an empty mapping."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def suggest(name: object, choices: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" hint for a misspelt name, or an empty string."""
    if not isinstance(name, str):
        return ""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def entries(
    raw: object,
    field: str,
    noun: str,
    allowed: Iterable[str],
    problems: Problems,
    *,
    use_ids: bool = True,
) -> Iterator[tuple[str, dict[Any, Any]]]:
    """Yield the mappings of a list field, each labelled like "item vis-2" or "option #3".

    A missing field yields nothing and adds no problem (required fields are checked
    once, at the top level); unknown fields inside each entry are reported as it is
    yielded, so that one entry's problems stay together.
    """
    if raw is None:
        return
    if not isinstance(raw, list):
        problems.add(f"field '{field}'", f"must be a list, got {show(raw)}")
        return
    allowed = tuple(allowed)
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.add(f"{noun} #{position}", f"must be a mapping of fields, got {show(entry)}")
            continue
        eid = entry.get("id")
        named = use_ids and isinstance(eid, str) and bool(eid.strip())
        where = f"{noun} {str(eid).strip()}" if named else f"{noun} #{position}"
        for key in entry:
            if key not in allowed:
                problems.add(where, f"unknown field {show(key)}{suggest(key, allowed)}")
        yield where, entry


def ident(
    entry: dict[Any, Any], where: str, problems: Problems, *, report_missing: bool = True
) -> str | None:
    """The entry's ``id`` if present and well formed, else None (with a problem)."""
    value = entry.get("id")
    if is_empty(value):
        if report_missing:
            problems.add(where, "missing field 'id'" if value is None else "id is empty")
        return None
    if not isinstance(value, str):
        problems.add(where, f"id must be text, got {show(value)}")
        return None
    if not ID_PATTERN.match(value):
        problems.add(
            where,
            f"id {show(value)} is not valid: use lowercase letters, digits, '-' or '_', "
            "starting with a letter",
        )
        return None
    return value


def unique_ident(
    entry: dict[Any, Any], where: str, seen: set[str], what: str, problems: Problems
) -> str | None:
    """The entry's id, added to ``seen``; None, reported, when an earlier ``what`` has it."""
    found = ident(entry, where, problems)
    if found is not None and found in seen:
        problems.add(where, f"duplicate {what} id")
        return None
    if found is not None:
        seen.add(found)
    return found


def text(
    entry: dict[Any, Any],
    name: str,
    what: str,
    problems: Problems,
    where: str = "",
    *,
    required: bool = True,
    report_missing: bool = True,
) -> str | None:
    """A text field, stripped; None (with a problem if required) when missing or blank."""
    value = entry.get(name)
    if value is None:
        if required and report_missing:
            problems.add(where, f"missing {what}")
        return None
    if not isinstance(value, str):
        hint = _BOOL_HINT if isinstance(value, bool) else ""
        problems.add(where, f"{what} must be text, got {show(value)}{hint}")
        return None
    if not value.strip():
        if required and report_missing:
            problems.add(where, f"{what} is empty")
        return None
    return value.strip()
