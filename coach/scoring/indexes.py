"""Leader index, manager index and tilts, computed from scale scores.

Pure module: standard library only. These functions take plain ``scale id -> score``
mappings so the same rules apply to one person's scores and, later, to a rater group's
averaged scores.
"""

from __future__ import annotations

from collections.abc import Mapping

from coach.instrument.schema import Instrument, Pole

ScaleValues = Mapping[str, float | None]
"""Scale id -> score, None (or absent) when the scale is blank."""


def pole_scale_ids(instrument: Instrument, pole: Pole) -> tuple[str, ...]:
    """The scales of one pole, one per dimension, in dimension order."""
    if pole is Pole.LEADER:
        return tuple(d.leader_scale for d in instrument.dimensions)
    return tuple(d.manager_scale for d in instrument.dimensions)


def pole_index(instrument: Instrument, pole: Pole, scores: ScaleValues) -> float | None:
    """Mean of all the pole's scales; None if any of them is blank."""
    ids = pole_scale_ids(instrument, pole)
    values = [scores.get(scale_id) for scale_id in ids]
    # All or nothing: a mean over the scales that happen to be scored would describe a
    # different set of dimensions for each person, so it could not be compared with
    # anyone else's index (or with the same person's next cycle).
    if not ids or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None) / len(values)


def tilts(instrument: Instrument, scores: ScaleValues) -> dict[str, float | None]:
    """Leader pole minus manager pole per dimension; None if either pole is blank."""
    result: dict[str, float | None] = {}
    for dimension in instrument.dimensions:
        leader = scores.get(dimension.leader_scale)
        manager = scores.get(dimension.manager_scale)
        result[dimension.id] = None if leader is None or manager is None else leader - manager
    return result
