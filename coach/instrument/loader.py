"""Load questionnaire files (YAML) into validated Instrument objects.

Pure module: standard library and PyYAML only.

A questionnaire folder holds one instrument per ``*.yaml`` / ``*.yml`` file. Files whose
name starts with ``actions`` (for example ``actions.yaml`` or ``actions-en.yml``) are
skipped: they are reserved for the development-action library, which lives in the same
folder but is not an instrument. Hidden files (name starting with ``.``) are skipped too.

Every problem found is reported, not just the first, and every message starts with the
file name, then names the item, scale, page, dimension or field, then the reason, e.g.
``leader-manager.yaml: item vis-2: key must be +1 or -1, got 0``.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from coach.instrument.fields import FileProblemsError
from coach.instrument.schema import Instrument
from coach.instrument.validation import build_instrument

__all__ = [
    "InstrumentError",
    "instrument_files",
    "load_instrument",
    "load_instruments",
    "validate_directory",
]

INSTRUMENT_SUFFIXES = (".yaml", ".yml")
RESERVED_PREFIX = "actions"
"""Files named ``actions*.yaml`` / ``actions*.yml`` belong to the action library."""


class InstrumentError(FileProblemsError):
    """One or more instrument files are invalid; ``problems`` lists every message."""


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that records duplicate mapping keys instead of hiding them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # "<<" merges are allowed
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key; PyYAML itself reports it below
                continue
            if duplicate:
                line = key_node.start_mark.line + 1
                self.duplicate_keys.append(f"line {line}: key {key!r} appears twice")
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, name: str) -> tuple[object, list[str]]:
    """Parse YAML text; return the data and any syntax problems."""
    loader = _StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [f"{name}: YAML syntax error{where}: {reason}"]
    except yaml.YAMLError as exc:
        return None, [f"{name}: YAML error: {exc}"]
    finally:
        loader.dispose()
    return data, [f"{name}: {message}" for message in loader.duplicate_keys]


def _load(path: Path) -> tuple[Instrument | None, list[str]]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [f"{name}: file is not valid UTF-8 text ({exc.reason} at byte {exc.start})"]
    except OSError as exc:
        return None, [f"{name}: cannot read file: {exc.strerror or exc}"]
    data, problems = parse_yaml(text, name)
    if problems and data is None:
        return None, problems
    instrument, more = build_instrument(data, name)
    problems.extend(more)
    return (None, problems) if problems else (instrument, [])


def load_instrument(path: Path) -> Instrument:
    """Parse and validate one instrument file; raise InstrumentError listing every problem."""
    instrument, problems = _load(Path(path))
    if problems or instrument is None:
        raise InstrumentError(problems)
    return instrument


def instrument_files(directory: Path) -> list[Path]:
    """The instrument files of a folder, sorted by name (action-library files excluded)."""
    return sorted(
        path
        for path in Path(directory).iterdir()
        if path.suffix.lower() in INSTRUMENT_SUFFIXES
        and not path.name.startswith((".", RESERVED_PREFIX))
        and path.is_file()
    )


def load_instruments(directory: Path) -> dict[str, Instrument]:
    """Load every instrument file of a folder, keyed by instrument id.

    Skips ``actions*.yaml`` / ``actions*.yml`` (the action library) and hidden files.
    Raises InstrumentError with the problems of every bad file, duplicate instrument
    ids across files, a missing folder, or a folder without any instrument file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InstrumentError([f"{directory}: questionnaire folder not found"])
    files = instrument_files(directory)
    if not files:
        raise InstrumentError([f"{directory}: no instrument files (*.yaml, *.yml) found"])
    instruments: dict[str, Instrument] = {}
    origin: dict[str, str] = {}
    problems: list[str] = []
    for path in files:
        instrument, found = _load(path)
        problems.extend(found)
        if instrument is None:
            continue
        if instrument.id in instruments:
            problems.append(
                f"{path.name}: instrument id '{instrument.id}' is already used by "
                f"{origin[instrument.id]}"
            )
            continue
        instruments[instrument.id] = instrument
        origin[instrument.id] = path.name
    if problems:
        raise InstrumentError(problems)
    return instruments


def validate_directory(directory: Path) -> list[str]:
    """Every problem in a questionnaire folder, one message each; empty when all is well."""
    try:
        load_instruments(directory)
    except InstrumentError as exc:
        return list(exc.problems)
    return []
