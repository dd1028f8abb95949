"""What a report says first and last: its headline card and the next step it offers.

Presentation only: every figure here is one the report already shows (stored self scores,
or 360 figures that passed the anonymity rules in coach.scoring); this module picks and
orders them, and positions them on a dot plot. It takes no disclosure decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import Assessment, FeedbackRound, RoundState
from coach.scoring import ScaleScore, profile_from_scales, strengths_and_development
from coach.scoring.anonymity import FigureKey
from coach.scoring.multirater import RoundResult
from coach.scoring.uncertainty import SelfOtherCategory


@dataclass(frozen=True)
class NextStep:
    """Where a report leads: a kind the template turns into a link, and the round if any."""

    kind: str
    title: str
    text: str
    round_id: str | None = None


@dataclass(frozen=True)
class Headline:
    """The few things that stand out, by scale name, for the top of a report."""

    verdict: str
    strengths: list[str]
    development: list[str]
    blind_spots: list[str]
    hidden_strengths: list[str]
    basis: str


@dataclass(frozen=True)
class DotPlot:
    """One scale on a 0-100 track: self, others' mean and its band; None where not shown."""

    self_at: float | None
    others_at: float | None
    low_at: float | None
    high_at: float | None


def self_next_step(session: Session, assessment: Assessment) -> NextStep:
    """After a self report: follow or read the 360 on it, else ask for one (or plan)."""
    # The round on this self-assessment, else the person's latest round tied to none.
    feedback_round = session.scalars(
        select(FeedbackRound)
        .where(
            FeedbackRound.subject_id == assessment.owner_id,
            or_(
                FeedbackRound.assessment_id == assessment.id,
                FeedbackRound.assessment_id.is_(None),
            ),
        )
        .order_by(
            (FeedbackRound.assessment_id == assessment.id).desc(),
            FeedbackRound.created_at.desc(),
            FeedbackRound.id.desc(),
        )
    ).first()
    if feedback_round is None:
        return NextStep(
            "start_round",
            "Ask others how they see you",
            "A 360 round invites your manager, peers and team to answer the same questions "
            "about you, so you can compare your view with theirs before choosing what to work on.",
        )
    if feedback_round.state == RoundState.CLOSED.value:
        return NextStep(
            "read_round",
            "Read how others see you, then plan",
            "Your 360 round is closed: its report shows where others "
            "agree with you and where they do not.",
            feedback_round.public_id,
        )
    return NextStep(
        "follow_round",
        "Follow your 360 round",
        "Your 360 round is under way. Meanwhile you can start a plan "
        "from your own view and adjust it when the feedback arrives.",
        feedback_round.public_id,
    )


def round_next_step() -> NextStep:
    """After a 360 report: turn what stands out into the development plan."""
    return NextStep(
        "plan",
        "Make or update your development plan",
        "Pick one or two of the areas above, ideally a blind spot or an area others see as "
        "lowest, and turn each into a goal with a first step and a date to check in.",
    )


def self_headline(verdict: str, strengths: list[str], development: list[str]) -> Headline:
    """The self report's headline: the one overall pattern and the highest and lowest scales."""
    return Headline(verdict, strengths, development, [], [], "in your own answers")


def round_headline(result: RoundResult, instrument: Instrument, key: FigureKey | None) -> Headline:
    """The 360 headline: highest and lowest as others see you, blind spots, hidden strengths.

    Others' view is the broadest figure the report shows (``key``: "all others" when it
    is shown); scales where that figure is hidden are left out of the ranking.
    """
    means = result.means(key) if key else {}
    scales = {
        s.id: ScaleScore(s.id, means.get(s.id), 1 if s.id in means else 0, 1)
        for s in instrument.scales
    }
    high, low = strengths_and_development(profile_from_scales(instrument, scales), instrument)
    name = {s.id: s.name for s in instrument.scales}
    label = result.visibility.figure(key).label if key else None  # type: ignore[union-attr]

    def category(wanted: SelfOtherCategory) -> list[str]:
        return [
            name[s.id]
            for s in instrument.scales
            if (gap := result.scales[s.id].gap) is not None and gap.category is wanted
        ]

    blind = category(SelfOtherCategory.OVER_ESTIMATOR)
    hidden = category(SelfOtherCategory.UNDER_ESTIMATOR)
    if blind or hidden:
        verdict = "Others see you differently on " + _count(len(blind) + len(hidden))
    elif means:
        verdict = "Others broadly see you as you see yourself"
    else:
        verdict = "Too few answers to compare your view with others'"
    return Headline(
        verdict,
        [name[s.scale_id] for s in high],
        [name[s.scale_id] for s in low],
        blind,
        hidden,
        f"as {(label or 'others').lower()} see you",
    )


def _count(n: int) -> str:
    return "1 scale" if n == 1 else f"{n} scales"


def dot_plot(
    low: int,
    high: int,
    self_value: float | None,
    others: tuple[float, float, float] | None,
) -> DotPlot:
    """Positions (0-100) of self, others' mean and band on the answer scale's track."""

    def at(value: float | None) -> float | None:
        return None if value is None else round((value - low) / (high - low) * 100, 1)

    if others is None:
        return DotPlot(at(self_value), None, None, None)
    mean, band_low, band_high = others
    return DotPlot(at(self_value), at(mean), at(band_low), at(band_high))
