"""The 360 report: figures from the pure multi-rater rules, shaped for the page and the API.

Every anonymity decision is taken in coach.scoring (aggregate_round, visible_comments);
this module only loads the data, supplies the database's pooled variances, and arranges
what is allowed to be shown. The page and the API carry the same figures at the same
precision (one decimal), so neither tells more than the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.instrument import Instrument, Scale
from coach.models import (
    FeedbackComment,
    FeedbackResponse,
    FeedbackRound,
)
from coach.scoring import Answers
from coach.scoring.anonymity import FigureKey, RaterGroup
from coach.scoring.disclosure import shown_value
from coach.scoring.multirater import (
    RaterComment,
    RoundResult,
    ScaleResult,
    ShownComment,
    aggregate_round,
    visible_comments,
)
from coach.services.assessments.headlines import (
    DotPlot,
    Headline,
    NextStep,
    dot_plot,
    round_headline,
    round_next_step,
)
from coach.services.assessments.self_assessment import answers_of
from coach.services.feedback import variance_pool
from coach.services.hr.rater_rows import rater_answers


@dataclass(frozen=True)
class ScaleView:
    """One scale's row: the scale, its result, its dot plot and its hidden-figure footnotes."""

    scale: Scale
    result: ScaleResult
    dot: DotPlot | None = None
    dot_label: str | None = None
    note_refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class RoundReport:
    """Everything the 360 report page shows."""

    round: FeedbackRound
    instrument: Instrument
    result: RoundResult
    poles: list[tuple[str, ScaleView, ScaleView]]
    skills: list[ScaleView]
    comments: dict[str, list[ShownComment]]
    responded: int
    chart_data: dict[str, Any]
    headline: Headline | None = None
    next_step: NextStep | None = None
    footnotes: tuple[str, ...] = ()


def _responses(session: Session, feedback_round: FeedbackRound) -> list[tuple[RaterGroup, Answers]]:
    rows = session.execute(
        rater_answers().where(FeedbackResponse.round_id == feedback_round.id)
    ).all()
    groups: dict[str, RaterGroup] = {}
    answers: dict[str, dict[str, int | None]] = defaultdict(dict)
    for response_id, group, item_id, value in rows:
        groups[response_id] = RaterGroup(group)
        answers[response_id][item_id] = value
    return [(groups[r], answers[r]) for r in sorted(groups)]


def round_result(
    session: Session, feedback_round: FeedbackRound, instrument: Instrument
) -> RoundResult:
    """The pure aggregation of one round, with self answers when the round has them."""
    pooled = variance_pool.pooled_msw(session, feedback_round.instrument_id)
    self_answers = (
        answers_of(feedback_round.assessment)
        if feedback_round.assessment is not None and feedback_round.assessment.is_submitted
        else None
    )
    return aggregate_round(
        instrument,
        self_answers,
        _responses(session, feedback_round),
        floor=feedback_round.min_group_n or 3,
        msw_lookup=lambda key, scale_id: pooled.get((key, scale_id)),
    )


def round_report(
    session: Session, feedback_round: FeedbackRound, instrument: Instrument
) -> RoundReport:
    """The report of a closed round."""
    result = round_result(session, feedback_round, instrument)
    footnotes = tuple(
        dict.fromkeys(n for s in instrument.scales for n in result.scales[s.id].notes)
    )
    view = {
        s.id: _scale_view(s, result.scales[s.id], instrument, footnotes) for s in instrument.scales
    }
    stored = session.scalars(
        select(FeedbackComment).where(FeedbackComment.round_id == feedback_round.id)
    )
    shown = visible_comments(
        (RaterComment(RaterGroup(c.rater_group), c.text, c.page_id) for c in stored),
        result.visibility,
        seed=feedback_round.public_id,
    )
    return RoundReport(
        round=feedback_round,
        instrument=instrument,
        result=result,
        poles=[
            (d.name, view[d.leader_scale], view[d.manager_scale]) for d in instrument.dimensions
        ],
        skills=[view[s.id] for s in instrument.skill_scales],
        comments=_by_theme(shown, instrument),
        responded=sum(result.visibility.counts.values()),
        chart_data=_chart_data(instrument, result),
        headline=round_headline(result, instrument, _widest_figure(result)),
        next_step=round_next_step(),
        footnotes=footnotes,
    )


def _by_theme(shown: list[ShownComment], instrument: Instrument) -> dict[str, list[ShownComment]]:
    """Comments under their questionnaire section, sections in questionnaire order, general last.

    Within a section the order is the seeded shuffle of ``visible_comments`` (the same on
    every visit, never the order of submission).
    """
    titles = {p.id: p.title for p in instrument.pages}
    grouped: dict[str, list[ShownComment]] = {}
    for page in instrument.pages:
        comments = [c for c in shown if c.topic == page.id]
        if comments:
            grouped[page.title] = comments
    general = [c for c in shown if (c.topic or "") not in titles]
    if general:
        grouped["General"] = general
    return grouped


def _scale_view(
    scale: Scale, res: ScaleResult, instrument: Instrument, footnotes: tuple[str, ...]
) -> ScaleView:
    """A row with its dot plot: self against the broadest figure shown on this scale."""
    broadest = res.figure(FigureKey.ALL_OTHERS) or max(res.figures, key=lambda f: f.n, default=None)
    others = (broadest.mean, broadest.band_low, broadest.band_high) if broadest else None
    self_value = _shown_or_none(res.self_score)
    return ScaleView(
        scale,
        res,
        dot_plot(instrument.scale_min, instrument.scale_max, self_value, others),
        broadest.figure.label if broadest else None,
        tuple(footnotes.index(n) + 1 for n in res.notes),
    )


def _chart_data(instrument: Instrument, result: RoundResult) -> dict[str, Any]:
    """Self and the broadest shown others' figure per scale, finished for the charts."""
    widest = _widest_figure(result)
    others = result.means(widest) if widest else {}

    def series(scales: tuple[Scale, ...]) -> dict[str, Any]:
        return {
            "labels": [s.name for s in scales],
            "self": [_shown_or_none(result.scales[s.id].self_score) for s in scales],
            "others": [others.get(s.id) for s in scales],
            "others_hidden": [s.id not in others for s in scales],
        }

    label = result.visibility.figure(widest).label if widest else None  # type: ignore[union-attr]
    return {
        "min": instrument.scale_min,
        "max": instrument.scale_max,
        "others_label": label,
        "poles": series(instrument.pole_scales),
        "skills": series(instrument.skill_scales),
    }


def _widest_figure(result: RoundResult) -> FigureKey | None:
    """All others when shown, else the shown figure with the most raters."""
    figures = result.visibility.figures
    if not figures:
        return None
    if result.visibility.figure(FigureKey.ALL_OTHERS) is not None:
        return FigureKey.ALL_OTHERS
    return max(figures, key=result.visibility.rater_count).key


def round_report_json(report: RoundReport) -> dict[str, Any]:
    """What the report page shows, for the API: same figures, same rounding, hidden ones absent."""
    result = report.result
    return {
        "id": report.round.public_id,
        "state": report.round.state,
        "anonymity_floor": result.visibility.floor,
        "notes": list(result.explanations),
        "scales": [_scale_json(report, s) for s in report.instrument.scales],
    }


def _scale_json(report: RoundReport, scale: Scale) -> dict[str, Any]:
    """One scale with its shown figures, the reasons for hidden ones, and its items."""
    figures = report.result.scales[scale.id]
    return {
        "id": scale.id,
        "name": scale.name,
        "self": _shown_or_none(figures.self_score),
        "category": figures.gap.category.value if figures.gap else None,
        "figures": [
            {
                "figure": f.figure.key.value,
                "label": f.figure.label,
                "mean": f.mean,
                "n": f.n,
                "band": [f.band_low, f.band_high],
                "raters_disagree": f.raters_disagree,
            }
            for f in figures.figures
        ],
        "hidden": list(figures.notes),
        "items": [
            {
                "id": item.id,
                "self": report.result.items[item.id].self_answer,
                "figures": [
                    {
                        "figure": f.figure.key.value,
                        "label": f.figure.label,
                        "mean": f.mean,
                        "n": f.n,
                    }
                    for f in report.result.items[item.id].figures
                ],
                "hidden": list(report.result.items[item.id].notes),
            }
            for item in report.instrument.items_of(scale.id)
        ],
    }


def _shown_or_none(value: float | None) -> float | None:
    """A score rounded to the report's precision, None when blank."""
    return None if value is None else shown_value(value)
