"""Synthetic profiles and answers, generated with numpy under the instrument's scoring rules.

No database here: the seeder in ``synthetic`` turns these arrays into rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from coach.instrument import Instrument
from coach.scoring import min_answered


def build_units(rng: np.random.Generator, people: int) -> list[tuple[str, int | None, int]]:
    """(name, parent index, headcount) of a company: divisions, departments, teams."""
    units: list[tuple[str, int | None, int]] = [("Synthetic Group", None, 1)]
    remaining = people - 1  # each unit above team level has one head, counted here
    division = 0
    while remaining > 0:
        division += 1
        div_index = len(units)
        units.append((f"Division {division}", 0, 1))
        remaining -= 1
        for dept in range(int(rng.integers(2, 7))):
            if remaining <= 0:
                return units
            dept_index = len(units)
            units.append((f"Department {division}.{dept + 1}", div_index, 1))
            remaining -= 1
            for team in range(int(rng.integers(2, 9))):
                size = int(min(remaining, rng.integers(3, 16)))
                if size <= 0:
                    return units
                units.append((f"Team {division}.{dept + 1}.{team + 1}", dept_index, size))
                remaining -= size
    return units


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
