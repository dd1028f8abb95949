"""The questionnaire: immutable instrument data and the loader that builds it from YAML.

Pure package: standard library and PyYAML only (no Flask, no database).
"""

from coach.instrument.loader import (
    InstrumentError,
    load_instrument,
    load_instruments,
    validate_directory,
)
from coach.instrument.schema import (
    Dimension,
    Instrument,
    Item,
    Page,
    Pole,
    ResponseOption,
    Scale,
    ScaleKind,
)
from coach.instrument.validation import ID_PATTERN, MIN_ITEMS_PER_SCALE

__all__ = [
    "ID_PATTERN",
    "MIN_ITEMS_PER_SCALE",
    "Dimension",
    "Instrument",
    "InstrumentError",
    "Item",
    "Page",
    "Pole",
    "ResponseOption",
    "Scale",
    "ScaleKind",
    "load_instrument",
    "load_instruments",
    "validate_directory",
]
