"""Which counts of a group of rounds (a campaign) HR may see: each stands on 5 rounds or more.

Pure module: standard library only. A campaign's rounds each belong to one manager, so a
count over fewer than ``HR_MIN_N`` rounds, or one that a total minus other counts narrows
to 1 to HR_MIN_N - 1 rounds, tells HR where one manager's round stands.

- Nothing is counted when the campaign has fewer than HR_MIN_N rounds.
- Per-state counts: a state with 1 to HR_MIN_N - 1 rounds is not shown on its own; it is
  merged with the other such states into one "other states" count, and states are hidden
  (the smallest first, ``hr_anonymity``'s rules on the total and its parts) until that
  merged count is 0 or at least HR_MIN_N. A state with no round is shown as 0.
- Answer counts (invited, answered) stand on the rounds that invited anyone: they are
  shown only when at least HR_MIN_N rounds did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coach.scoring.hr_anonymity import HR_MIN_N, Slice, visible_slices


@dataclass(frozen=True)
class StateCounts:
    """The per-state counts that may be shown, and the rest merged into one count."""

    shown: dict[str, int]
    merged: tuple[str, ...]
    merged_count: int


def state_counts(counts: Mapping[str, int], order: Sequence[str]) -> StateCounts | None:
    """Counts per state in ``order`` (see the module doc); None below HR_MIN_N rounds."""
    total = sum(counts.get(state, 0) for state in order)
    if total < HR_MIN_N:
        return None
    slices = [Slice("*", None, total)]
    slices += [Slice(s, "*", counts.get(s, 0)) for s in order if counts.get(s, 0) > 0]
    kept = visible_slices(slices) | {s for s in order if counts.get(s, 0) == 0}
    shown = {s: counts.get(s, 0) for s in order if s in kept}
    merged = tuple(s for s in order if s not in kept)
    return StateCounts(shown, merged, total - sum(shown.values()))


def answers_shown(rounds_in_total: int, rounds_that_invited: int) -> bool:
    """True when answer counts stand on at least HR_MIN_N rounds of a large enough campaign."""
    return rounds_in_total >= HR_MIN_N and rounds_that_invited >= HR_MIN_N
