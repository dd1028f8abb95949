"""The development action library as data: schema, loader and validation.

Pure module: standard library and PyYAML only. The library lives beside the instruments
(``questionnaires/actions.yaml``; its format is documented at the top of that file) and
follows the instrument loader's rules: every problem is collected, not just the first,
and each message starts with the file name, then names the action (or field, or scale),
then the reason, e.g. ``actions.yaml: action pre-mortem: has 2 steps, needs 3 to 5``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from coach.instrument import fields
from coach.instrument.fields import Problems, entries, ident, show, suggest, text

# The instrument loader's strict parser: it also reports duplicate mapping keys, which a
# plain safe_load would silently resolve to the last value.
from coach.instrument.loader import parse_yaml
from coach.instrument.schema import Instrument

__all__ = [
    "HORIZONS",
    "LIBRARY_FILE",
    "MAX_STEPS",
    "MIN_ACTIONS_PER_SCALE",
    "MIN_STEPS",
    "Action",
    "ActionLibrary",
    "ActionLibraryError",
    "Direction",
    "Indicator",
    "build_action_library",
    "load_action_library",
    "validate_action_library",
]

LIBRARY_FILE = "actions.yaml"
"""The library's file name inside the questionnaire folder (the instrument loader skips it)."""

HORIZONS: dict[str, int] = {
    "2 weeks": 14,
    "4 weeks": 28,
    "8 weeks": 56,
    "1 quarter": 91,
    "6 months": 182,
}
"""The allowed horizons and their length in days (a goal's default due date is start + days).

A small fixed vocabulary keeps plans comparable across people and lets HR group them.
"""

MIN_STEPS, MAX_STEPS = 3, 5
"""Fewer than 3 steps is not a plan; more than 5 stops being something a person starts this week."""

MIN_ACTIONS_PER_SCALE = 3
"""Every scale needs a choice of actions, so a person can pick one that fits their situation."""

MAX_WHY_SENTENCES = 2

TOP_LEVEL_FIELDS = ("id", "version", "instrument", "actions")
ACTION_FIELDS = ("id", "scales", "title", "why", "steps", "horizon", "indicator")
INDICATOR_FIELDS = ("name", "unit", "direction", "suggested_target", "baseline_hint")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


class Direction(str, Enum):  # noqa: UP042 (same str() behaviour as the instrument's enums)
    """Which way an indicator should move for the action to count as working."""

    INCREASE = "increase"
    DECREASE = "decrease"


@dataclass(frozen=True)
class Indicator:
    """How to know an action works: what to count, in what unit, which way, a target."""

    name: str
    unit: str
    direction: Direction
    suggested_target: float
    baseline_hint: str


@dataclass(frozen=True)
class Action:
    """One development action; ``scales[0]`` is the scale it mainly develops."""

    id: str
    scales: tuple[str, ...]
    title: str
    why: str
    steps: tuple[str, ...]
    horizon: str
    indicator: Indicator

    @property
    def horizon_days(self) -> int:
        """The horizon in days, for a goal's default due date."""
        return HORIZONS[self.horizon]


@dataclass(frozen=True)
class ActionLibrary:
    """A validated action library for one instrument."""

    id: str
    version: str
    instrument_id: str
    actions: tuple[Action, ...]
    _index: dict[str, Action] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {a.id: a for a in self.actions})

    def action(self, action_id: str) -> Action:
        """The action with this id (KeyError if unknown)."""
        return self._index[action_id]

    def for_scale(self, scale_id: str) -> tuple[Action, ...]:
        """Actions for a scale: those whose main scale it is first, then the rest, in file order."""
        main = [a for a in self.actions if a.scales[0] == scale_id]
        extra = [a for a in self.actions if scale_id in a.scales[1:]]
        return tuple(main + extra)


class ActionLibraryError(fields.FileProblemsError):
    """The action library file is invalid; ``problems`` lists every message."""


def load_action_library(path: Path, instrument: Instrument) -> ActionLibrary:
    """Parse and validate the library for an instrument; ActionLibraryError lists every problem."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ActionLibraryError(
            [f"{path.name}: file is not valid UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None
    except OSError as exc:
        raise ActionLibraryError(
            [f"{path.name}: cannot read file: {exc.strerror or exc}"]
        ) from None
    data, problems = parse_yaml(raw, path.name)
    if data is None and problems:
        raise ActionLibraryError(problems)
    library, more = build_action_library(data, path.name, instrument)
    problems.extend(more)
    if problems or library is None:
        raise ActionLibraryError(problems)
    return library


def validate_action_library(path: Path, instrument: Instrument) -> list[str]:
    """Every problem in the library file, one message each; empty when all is well."""
    try:
        load_action_library(path, instrument)
    except ActionLibraryError as exc:
        return list(exc.problems)
    return []


def build_action_library(
    data: object, source: str, instrument: Instrument
) -> tuple[ActionLibrary | None, list[str]]:
    """Validate parsed file contents; return the library (None if invalid) and the problems."""
    problems = Problems(source)
    data = fields.top_level(data, TOP_LEVEL_FIELDS, TOP_LEVEL_FIELDS, problems)
    if data is None:
        return None, problems.messages
    lid = ident(data, "", problems, report_missing=False)
    version = fields.version_field(data, problems)
    iid = text(data, "instrument", "field 'instrument'", problems, report_missing=False)
    # On a mismatch every scale would look unknown; one clear message beats eighteen.
    check_scales = iid is None or iid == instrument.id
    if not check_scales:
        problems.add(
            "field 'instrument'",
            f"is '{iid}', but the library is being loaded for instrument '{instrument.id}'",
        )
    actions, listed = _actions(data.get("actions"), instrument, check_scales, problems)
    if check_scales and isinstance(data.get("actions"), list) and data["actions"]:
        for scale in instrument.scales:
            if listed[scale.id] < MIN_ACTIONS_PER_SCALE:
                problems.add(
                    f"scale {scale.id}",
                    f"has {listed[scale.id]} actions, needs at least {MIN_ACTIONS_PER_SCALE}",
                )
    if problems.messages or lid is None or version is None or iid is None:
        return None, problems.messages
    return ActionLibrary(lid, version.strip(), iid, tuple(actions)), []


def _actions(
    raw: object, instrument: Instrument, check_scales: bool, problems: Problems
) -> tuple[list[Action], Counter[str]]:
    """The valid actions, and how many actions list each scale (valid or not)."""
    actions: list[Action] = []
    seen: set[str] = set()
    listed: Counter[str] = Counter()
    known = [s.id for s in instrument.scales]
    for where, entry in entries(raw, "actions", "action", ACTION_FIELDS, problems):
        aid = fields.unique_ident(entry, where, seen, "action", problems)
        scales = _scales(entry, where, known, check_scales, problems)
        listed.update(scales)
        title = text(entry, "title", "title", problems, where=where)
        why = text(entry, "why", "why (field 'why')", problems, where=where)
        sentences = 0 if why is None else len(_SENTENCE_END.findall(why))
        if sentences > MAX_WHY_SENTENCES:
            problems.add(where, f"why has {sentences} sentences, keep it to one or two")
        steps = _steps(entry, where, problems)
        horizon = _horizon(entry, where, problems)
        indicator = _indicator(entry.get("indicator"), where, problems)
        if aid and scales and title and why and steps and horizon and indicator:
            actions.append(Action(aid, scales, title, why, steps, horizon, indicator))
    return actions, listed


def _scales(
    entry: dict[Any, Any], where: str, known: list[str], check: bool, problems: Problems
) -> tuple[str, ...]:
    refs = entry.get("scales")
    if not isinstance(refs, list) or not refs:
        problems.add(
            where, f"field 'scales' must be a non-empty list of scale ids, got {show(refs)}"
        )
        return ()
    good: list[str] = []
    for ref in refs:
        if not isinstance(ref, str) or (check and ref not in known):
            problems.add(where, f"unknown scale {show(ref)}{suggest(ref, known)}")
        elif ref in good:
            problems.add(where, f"scale '{ref}' is listed twice")
        else:
            good.append(ref)
    return tuple(good) if len(good) == len(refs) else ()


def _steps(entry: dict[Any, Any], where: str, problems: Problems) -> tuple[str, ...]:
    raw = entry.get("steps")
    if not isinstance(raw, list):
        reason = (
            "missing field 'steps'" if raw is None else f"steps must be a list, got {show(raw)}"
        )
        problems.add(where, reason)
        return ()
    if not MIN_STEPS <= len(raw) <= MAX_STEPS:
        problems.add(where, f"has {len(raw)} steps, needs {MIN_STEPS} to {MAX_STEPS}")
    steps = [s.strip() for s in raw if isinstance(s, str) and s.strip()]
    for position, step in enumerate(raw, start=1):
        if not isinstance(step, str) or not step.strip():
            problems.add(where, f"step #{position} must be non-empty text, got {show(step)}")
    ok = len(steps) == len(raw) and MIN_STEPS <= len(raw) <= MAX_STEPS
    return tuple(steps) if ok else ()


def _horizon(entry: dict[Any, Any], where: str, problems: Problems) -> str | None:
    value = entry.get("horizon")
    if value is None:
        problems.add(where, "missing field 'horizon'")
        return None
    if not isinstance(value, str) or value not in HORIZONS:
        allowed = ", ".join(f"'{h}'" for h in HORIZONS)
        hint = suggest(value, HORIZONS)
        problems.add(where, f"horizon {show(value)} is not one of {allowed}{hint}")
        return None
    return value


def _indicator(raw: object, where: str, problems: Problems) -> Indicator | None:
    if not isinstance(raw, dict):
        reason = "missing field 'indicator'" if raw is None else f"got {show(raw)}"
        problems.add(
            where, f"indicator must be a mapping of {', '.join(INDICATOR_FIELDS)}: {reason}"
        )
        return None
    for key in raw:
        if key not in INDICATOR_FIELDS:
            problems.add(
                where, f"unknown indicator field {show(key)}{suggest(key, INDICATOR_FIELDS)}"
            )
    name = text(raw, "name", "indicator name (field 'name')", problems, where)
    unit = text(raw, "unit", "indicator unit (field 'unit')", problems, where)
    hint = text(raw, "baseline_hint", "indicator baseline_hint", problems, where)
    direction = raw.get("direction")
    if direction not in ("increase", "decrease"):
        problems.add(
            where, f"indicator direction must be 'increase' or 'decrease', got {show(direction)}"
        )
        direction = None
    raw_target = raw.get("suggested_target")
    # bool is an int subclass, and YAML reads yes / no as booleans.
    if not isinstance(raw_target, int | float) or isinstance(raw_target, bool):
        problems.add(where, f"indicator suggested_target must be a number, got {show(raw_target)}")
        return None
    target = float(raw_target)
    if not math.isfinite(target):
        problems.add(where, f"indicator suggested_target must be a finite number, got {target}")
        return None
    # A percentage outside 0..100 is a typo (or a misplaced unit), never a real target.
    if unit is not None and unit.startswith("%") and not 0 <= target <= 100:
        problems.add(
            where, f"indicator suggested_target {show(raw_target)} is not a percentage (0 to 100)"
        )
        return None
    if name is None or unit is None or hint is None or direction is None:
        return None
    return Indicator(name, unit, Direction(direction), target, hint)
