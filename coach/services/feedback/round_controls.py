"""What the subject's round controls can say before they act, from counts they already see.

Everything here is computed from the number of answers per rater group, which the open
round page shows anyway, and the round's anonymity floor: never from who answered or
what anyone answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coach.models import FeedbackRound, Invitation, RoundState
from coach.models.feedback import Approval
from coach.scoring.anonymity import RATER_GROUPS, RaterGroup, non_manager_count, visible_groups
from coach.services.feedback.nominations import is_invitable


@dataclass(frozen=True)
class ClosePreview:
    """What the report would show if the round closed now."""

    answered: int
    shown: tuple[str, ...]
    hidden: tuple[str, ...]
    notes: tuple[str, ...]


def close_preview(responses: Mapping[RaterGroup, int], floor: int) -> ClosePreview:
    """The figures the report would show at this moment, and the groups it would leave out."""
    visibility = visible_groups(responses, floor)
    return ClosePreview(
        answered=sum(responses.get(g, 0) for g in RATER_GROUPS),
        shown=tuple(
            f"{f.label} ({visibility.rater_count(f)})"
            for f in visibility.figures
            if visibility.rater_count(f)
        ),
        hidden=tuple(g.label for g in RATER_GROUPS if g in visibility.hidden_groups),
        notes=visibility.explanations,
    )


def not_observed_warnings(responses: Mapping[RaterGroup, int], floor: int) -> list[str]:
    """Groups shown on exactly the floor, where "not able to observe" answers can hide a scale.

    A rater's scale score needs enough answered statements; a rater who chose "not able to
    observe" for most of a scale has none there, and the report checks the floor again per
    scale. A figure resting on exactly ``floor`` raters therefore loses that scale.
    """
    visibility = visible_groups(responses, floor)
    warnings = []
    for figure in visibility.figures:
        n = non_manager_count(figure.groups, visibility.counts)
        if n == visibility.floor and figure.key.value != "all_others":
            warnings.append(
                f"{figure.label}: {n} answers, the least that can be shown. Where any of them "
                f"chose “not able to observe” for most of a scale, {figure.label.lower()} "
                "will not be shown on that scale. One more answer in this group gives room."
            )
    return warnings


def open_blocker(feedback_round: FeedbackRound) -> str | None:
    """Why the round cannot be opened yet, in plain words; None when it can."""
    if feedback_round.state != RoundState.DRAFT.value:
        return None
    invitations: list[Invitation] = list(feedback_round.invitations)
    if any(is_invitable(i) for i in invitations):
        return None
    if any(i.approval == Approval.PENDING.value for i in invitations):
        return (
            "Every rater on the list is waiting for approval. Add at least one colleague from "
            "the directory, or wait for an approval, to open the round."
        )
    return "Choose at least one rater first: the round opens with the people on your list."
