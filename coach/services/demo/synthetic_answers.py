"""Synthetic profiles and answers, generated with numpy under the instrument's scoring rules.

No database here: the seeder in ``synthetic`` turns these arrays into rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from coach.instrument import Instrument
from coach.scoring import min_answered

TEAM_SIZE = (3, 15)  # people in a team, lead included
TOP_FAN_OUT = (4, 11)  # divisions under the group (upper bound exclusive)
FAN_OUT = (3, 10)  # sub-units under any other unit
LEVEL_NAMES = ("Division", "Department", "Group")


def build_units(rng: np.random.Generator, people: int) -> list[tuple[str, int | None, int]]:
    """(name, parent index, headcount) of a company, parents before their children.

    Every unit above team level has one head (its headcount is 1) and splits the rest of its
    people among a few sub-units of uneven size (Dirichlet shares), so the tree grows deeper,
    not wider, with the organisation: a handful of divisions at any size, teams of 3 to 15.
    """
    units: list[tuple[str, int | None, int]] = [("Synthetic Group", None, 1)]
    stack: list[tuple[int, int, int, str]] = [(0, people - 1, 0, "")]  # parent, people, level
    while stack:
        parent, headcount, level, label = stack.pop()
        for number, size in enumerate(_split(rng, headcount, level), start=1):
            name = f"{label}.{number}" if label else str(number)
            if size <= TEAM_SIZE[1]:
                units.append((f"Team {name}", parent, size))
                continue
            index = len(units)
            units.append((f"{LEVEL_NAMES[min(level, len(LEVEL_NAMES) - 1)]} {name}", parent, 1))
            stack.append((index, size - 1, level + 1, name))
    return units


def _split(rng: np.random.Generator, headcount: int, level: int) -> list[int]:
    """Uneven shares of ``headcount`` for the sub-units of one unit; none below a team's
    smallest size (a remainder that small joins the largest share)."""
    if headcount <= 0:
        return []
    low, high = TOP_FAN_OUT if level == 0 else FAN_OUT
    parts = int(min(rng.integers(low, high), max(1, headcount // TEAM_SIZE[0])))
    sizes = np.floor(rng.dirichlet(np.full(parts, 2.0)) * headcount).astype(int)
    sizes[int(np.argmax(sizes))] += headcount - int(sizes.sum())
    small = sizes < TEAM_SIZE[0]
    if small.any() and not small.all():
        sizes[int(np.argmax(sizes))] += int(sizes[small].sum())
        sizes = sizes[~small]
    return [int(n) for n in sizes if n > 0]


def latent_centres(
    instrument: Instrument, rng: np.random.Generator, k: int = 4
) -> NDArray[np.float64]:
    """k archetype centres on the response metric, one column per scale."""
    middle = (instrument.scale_min + instrument.scale_max) / 2
    spread = (instrument.scale_max - instrument.scale_min) / 5
    return middle + rng.normal(0, spread, size=(k, len(instrument.scales)))


def answers_from_profiles(
    instrument: Instrument, profiles: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.int64]:
    """Raw item answers (people x items) whose keyed means follow each person's profile."""
    low, high = instrument.scale_min, instrument.scale_max
    column = {s.id: i for i, s in enumerate(instrument.scales)}
    answers = np.empty((profiles.shape[0], len(instrument.items)), dtype=np.int64)
    for j, item in enumerate(instrument.items):
        keyed = profiles[:, column[item.scale]] + rng.normal(0, 0.6, profiles.shape[0])
        raw = keyed if item.key > 0 else low + high - keyed
        answers[:, j] = np.clip(np.rint(raw), low, high)
    return answers


def scale_scores(
    instrument: Instrument, answers: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Keyed scale means and answered counts, NaN where fewer than ceil(2/3) were answered."""
    low, high = instrument.scale_min, instrument.scale_max
    keys = np.array([i.key for i in instrument.items])
    keyed = np.where(keys > 0, answers, low + high - answers)
    scores = np.full((answers.shape[0], len(instrument.scales)), np.nan)
    answered = np.zeros_like(scores, dtype=np.int64)
    for s, scale in enumerate(instrument.scales):
        cols = [j for j, item in enumerate(instrument.items) if item.scale == scale.id]
        block = keyed[:, cols]
        count = np.sum(~np.isnan(block), axis=1)
        total = np.nansum(block, axis=1)
        ok = count >= min_answered(len(cols))
        scores[ok, s] = total[ok] / count[ok]
        answered[:, s] = count
    return scores, answered
