"""Self-assessment use cases: start, save a page, submit."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import Answer, Assessment, AssessmentStatus, ScaleScoreRecord, User
from coach.models._common import utcnow
from coach.scoring import Profile, score_response
from coach.services.hr import summary as hr_summary

PageAnswers = Mapping[str, int | None]


class AssessmentError(ValueError):
    """A change the assessment cannot take; the message is for people."""


class AssessmentLocked(AssessmentError):
    """The assessment was submitted and can no longer change."""


class IncompleteAssessment(AssessmentError):
    """Some items have no answer yet; ``pages`` lists the page indexes concerned."""

    def __init__(self, pages: list[int]) -> None:
        super().__init__("Some questions have no answer yet.")
        self.pages = pages


def owned_assessment(
    session: Session, owner: User, public_id: str, for_update: bool = False
) -> Assessment | None:
    """The owner's assessment with this id; None for anyone else's (callers answer 404).

    ``for_update``: the caller is about to save answers, so the row is locked (PostgreSQL)
    and the person's own concurrent saves (the page's script saving an answer while Next
    posts the page) queue instead of both inserting the same answer.
    """
    query = select(Assessment).where(
        Assessment.public_id == public_id, Assessment.owner_id == owner.id
    )
    return session.scalar(query.with_for_update(of=Assessment) if for_update else query)


def assessments_of(session: Session, owner: User) -> list[Assessment]:
    """Someone's assessments, newest first."""
    query = select(Assessment).where(Assessment.owner_id == owner.id)
    return list(session.scalars(query.order_by(Assessment.started_at.desc(), Assessment.id.desc())))


def open_draft(session: Session, owner: User, instrument: Instrument) -> Assessment | None:
    """The owner's unfinished assessment on this instrument, if any."""
    return session.scalar(
        select(Assessment).where(
            Assessment.owner_id == owner.id,
            Assessment.instrument_id == instrument.id,
            Assessment.status == AssessmentStatus.DRAFT.value,
        )
    )


def start_assessment(session: Session, owner: User, instrument: Instrument) -> Assessment:
    """A new draft, or the unfinished one to resume (never two drafts at once)."""
    existing = open_draft(session, owner, instrument)
    if existing is not None:
        return existing
    assessment = Assessment(
        owner=owner, instrument_id=instrument.id, instrument_version=instrument.version
    )
    session.add(assessment)
    session.commit()
    return assessment


def answers_of(assessment: Assessment) -> dict[str, int | None]:
    """Every stored answer by item id (None is "not able to observe")."""
    return {a.item_id: a.value for a in assessment.answers}


def _check_page_answers(instrument: Instrument, page_index: int, answers: PageAnswers) -> None:
    if not 0 <= page_index < len(instrument.pages):
        raise AssessmentError("That page does not exist.")
    allowed = {i.id for i in instrument.items_on(instrument.pages[page_index])}
    valid = instrument.valid_values
    for item_id, value in answers.items():
        if item_id not in allowed:
            raise AssessmentError(f"Question {item_id} is not on this page.")
        if value is not None and value not in valid:
            raise AssessmentError(f"Question {item_id} has an answer outside the scale.")


def save_page(
    session: Session,
    assessment: Assessment,
    instrument: Instrument,
    page_index: int,
    answers: PageAnswers,
    next_page: int,
) -> None:
    """Store one page's answers and where to resume, in one transaction."""
    if assessment.is_submitted:
        raise AssessmentLocked("This assessment is already submitted.")
    _check_page_answers(instrument, page_index, answers)
    stored = {a.item_id: a for a in assessment.answers}
    for item_id, value in answers.items():
        if item_id in stored:
            stored[item_id].value = value
        else:
            assessment.answers.append(Answer(item_id=item_id, value=value))
    assessment.current_page = max(0, min(next_page, len(instrument.pages)))
    assessment.updated_at = utcnow()
    session.commit()


def unanswered_pages(assessment: Assessment, instrument: Instrument) -> list[int]:
    """Indexes of the pages that still have an item without any answer."""
    answered = {a.item_id for a in assessment.answers}
    return [
        index
        for index, page in enumerate(instrument.pages)
        if any(item.id not in answered for item in instrument.items_on(page))
    ]


def submit_assessment(session: Session, assessment: Assessment, instrument: Instrument) -> Profile:
    """Lock the assessment and store its scores, once, in the same transaction."""
    profile = lock_and_score(session, assessment, instrument)
    session.commit()
    session.refresh(assessment)
    return profile


def lock_and_score(
    session: Session,
    assessment: Assessment,
    instrument: Instrument,
    *,
    require_complete: bool = True,
) -> Profile:
    """Stage the lock and the scores (no commit).

    Imported answers may have gaps (``require_complete=False``): the 2/3 rule blanks a scale.
    """
    if assessment.is_submitted:
        raise AssessmentLocked("This assessment is already submitted.")
    if require_complete and (missing := unanswered_pages(assessment, instrument)):
        raise IncompleteAssessment(missing)
    profile = score_response(instrument, answers_of(assessment))
    now = utcnow()
    # The status check lives in the UPDATE itself, so two racing submits lock it only once.
    locked = session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.status == AssessmentStatus.DRAFT.value)
        .values(status=AssessmentStatus.SUBMITTED.value, submitted_at=now, updated_at=now)
    )
    if locked.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise AssessmentLocked("This assessment is already submitted.")
    _store_profile(session, assessment, profile)
    hr_summary.record_assessment(session, assessment, instrument)
    return profile


def _store_profile(session: Session, assessment: Assessment, profile: Profile) -> None:
    for scale_score in profile.scales.values():
        session.add(
            ScaleScoreRecord(
                assessment_id=assessment.id,
                scale_id=scale_score.scale_id,
                score=scale_score.score,
                answered=scale_score.answered,
                items=scale_score.items,
            )
        )
    session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(
            leader_index=profile.leader_index,
            manager_index=profile.manager_index,
            quadrant=profile.quadrant.value if profile.quadrant else None,
        )
    )
