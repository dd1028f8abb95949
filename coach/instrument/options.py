"""Validate the response options of an instrument file.

Pure module: standard library only. Any Likert range works (1..5, 0..6, -3..3): the
numeric values must be consecutive integers listed from low to high, optionally followed
by one "not able to observe" option with ``value: null``, which counts as missing data.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from coach.instrument.fields import Problems, entries, show, text
from coach.instrument.schema import ResponseOption

__all__ = ["OPTION_FIELDS", "parse_options"]

OPTION_FIELDS = ("value", "label")


def parse_options(raw: object, problems: Problems) -> tuple[ResponseOption, ...]:
    """The response options; problems for bad values, duplicates, gaps or order."""
    options: list[ResponseOption] = []
    for where, entry in entries(raw, "options", "option", OPTION_FIELDS, problems, use_ids=False):
        label = text(entry, "label", "label", problems, where=where)
        if "value" not in entry:
            problems.add(where, "missing field 'value' (use null for 'not able to observe')")
            continue
        value = entry["value"]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problems.add(where, f"value must be an integer or null, got {show(value)}")
            continue
        if label is not None:
            options.append(ResponseOption(value=value, label=label))
    if isinstance(raw, list) and raw:
        _check_option_values(raw, problems)
    return tuple(options)


def _check_option_values(raw: list[Any], problems: Problems) -> None:
    values = [e.get("value") for e in raw if isinstance(e, dict) and "value" in e]
    numeric = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    for value, count in Counter(numeric).items():
        if count > 1:
            problems.add("options", f"duplicate value {value} (used by {count} options)")
    nulls = [i for i, v in enumerate(values) if v is None]
    if len(nulls) > 1:
        problems.add(
            "options", f"more than one 'not able to observe' option (value: null), {len(nulls)}"
        )
    elif nulls and nulls[0] != len(values) - 1:
        problems.add("options", "the 'not able to observe' option (value: null) must come last")
    distinct = sorted(set(numeric))
    if len(distinct) < 2:
        problems.add("options", f"need at least 2 numeric options, got {len(distinct)}")
    elif distinct[-1] - distinct[0] + 1 != len(distinct):
        listed = ", ".join(str(v) for v in distinct)
        problems.add("options", f"numeric values must be consecutive integers, got {listed}")
    elif len(numeric) == len(distinct) and numeric != distinct:
        problems.add("options", "list the numeric options from low to high")
