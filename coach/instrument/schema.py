"""The instrument as immutable data: scales, items, response options and pages.

Pure module: standard library only. Everything the rest of the product knows about an
instrument comes from these dataclasses, which the loader builds from a data file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ScaleKind(str, Enum):  # noqa: UP042 (StrEnum would change str(); left as designed)
    """Whether a scale is one pole of a leader/manager dimension or a skill."""

    POLE = "pole"
    SKILL = "skill"


class Pole(str, Enum):  # noqa: UP042 (StrEnum would change str(); left as designed)
    """The two poles of a dimension."""

    LEADER = "leader"
    MANAGER = "manager"


@dataclass(frozen=True)
class ResponseOption:
    """One answer a person can give; ``value`` is None for "not able to observe"."""

    value: int | None
    label: str

    @property
    def is_not_observed(self) -> bool:
        """True for the option that counts as missing data."""
        return self.value is None


@dataclass(frozen=True)
class Scale:
    """A set of items scored together.

    Pole scales carry their ``dimension`` and ``pole``; skill scales carry a ``family``
    (for example "leadership" or "management") and no dimension.
    """

    id: str
    name: str
    kind: ScaleKind
    description: str = ""
    dimension: str | None = None
    pole: Pole | None = None
    family: str | None = None


@dataclass(frozen=True)
class Dimension:
    """A leader-versus-manager dimension made of two unipolar scales."""

    id: str
    name: str
    leader_scale: str
    manager_scale: str


@dataclass(frozen=True)
class Item:
    """One observable behaviour, worded for the person (self) and for an observer."""

    id: str
    scale: str
    key: int
    self_text: str
    observer_text: str


@dataclass(frozen=True)
class Page:
    """A page of the questionnaire: a titled group of whole scales, in order."""

    id: str
    title: str
    scales: tuple[str, ...]
    intro: str = ""


@dataclass(frozen=True)
class Instrument:
    """A complete, validated questionnaire."""

    id: str
    version: str
    title: str
    description: str
    options: tuple[ResponseOption, ...]
    dimensions: tuple[Dimension, ...]
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    pages: tuple[Page, ...]
    _scale_index: dict[str, Scale] = field(init=False, repr=False, compare=False)
    _item_index: dict[str, Item] = field(init=False, repr=False, compare=False)
    _items_by_scale: dict[str, tuple[Item, ...]] = field(init=False, repr=False, compare=False)
    _valid_values: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Indexes built once: scoring looks items and values up for every answer.
        object.__setattr__(self, "_scale_index", {s.id: s for s in self.scales})
        object.__setattr__(self, "_item_index", {i.id: i for i in self.items})
        by_scale: dict[str, list[Item]] = {}
        for i in self.items:
            by_scale.setdefault(i.scale, []).append(i)
        object.__setattr__(self, "_items_by_scale", {k: tuple(v) for k, v in by_scale.items()})
        values = frozenset(o.value for o in self.options if o.value is not None)
        object.__setattr__(self, "_valid_values", values)

    @property
    def scale_min(self) -> int:
        """Lowest point of the response metric."""
        return min(o.value for o in self.options if o.value is not None)

    @property
    def scale_max(self) -> int:
        """Highest point of the response metric."""
        return max(o.value for o in self.options if o.value is not None)

    @property
    def valid_values(self) -> frozenset[int]:
        """The numeric answers an item accepts."""
        return self._valid_values

    def scale(self, scale_id: str) -> Scale:
        """The scale with this id (KeyError if unknown)."""
        return self._scale_index[scale_id]

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if unknown)."""
        return self._item_index[item_id]

    def items_of(self, scale_id: str) -> tuple[Item, ...]:
        """The items of one scale, in file order."""
        return self._items_by_scale.get(scale_id, ())

    def items_on(self, page: Page) -> tuple[Item, ...]:
        """The items shown on one page, grouped by scale in page order."""
        return tuple(i for s in page.scales for i in self.items_of(s))

    @property
    def pole_scales(self) -> tuple[Scale, ...]:
        """Scales that are a pole of a dimension."""
        return tuple(s for s in self.scales if s.kind is ScaleKind.POLE)

    @property
    def skill_scales(self) -> tuple[Scale, ...]:
        """Scales that measure a skill."""
        return tuple(s for s in self.scales if s.kind is ScaleKind.SKILL)
