"""The rater's path: a private link, a saved draft, and one submission that keeps no trace
of who gave it."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import (
    AuditEvent,
    FeedbackComment,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    InvitationState,
    RaterDraft,
    ResponseAnswer,
    ResponseScaleScore,
    RoundState,
    User,
)
from coach.models._common import as_utc, new_public_id, utcnow
from coach.scoring import score_scales, validate_answers
from coach.services.accounts.link_tokens import token_hash
from coach.services.feedback.rounds import RELATIONSHIPS
from coach.services.records import audit

MAX_COMMENT = 2000


class RaterLinkError(ValueError):
    """The link cannot be used; the message says why, plainly, and nothing is stored."""


class AlreadySubmitted(RaterLinkError):
    """The link was used: the rater's feedback is in, and nothing more is needed."""

    def __init__(self) -> None:
        super().__init__("Your feedback was already submitted. Thank you: nothing more is needed.")


def invitation_for_token(session: Session, raw: str) -> Invitation:
    """The usable invitation behind a token, or RaterLinkError saying why not."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(raw)))
    if invitation is None:
        raise RaterLinkError(
            "This link is not valid. It may have been copied incompletely, or replaced by "
            "a newer link in a reminder."
        )
    check_usable(invitation)
    return invitation


def addressed_to(invitation: Invitation | None, email: str) -> bool:
    """Whether an invitation was sent to this address (the signed-in rater's own e-mail)."""
    return invitation is not None and invitation.email.lower() == email.lower()


def address_proven(session: Session, person: User) -> bool:
    """Whether the account's address is the one its owner proved by activating it.

    An address someone else set (HR or an administrator changing it, even once confirmed
    from the old address) is not proof of owning the new mailbox: such an account opens
    feedback requests only through the e-mailed link, so nobody can point an account at a
    rater's address and read or answer their request.
    """
    if person.email_unconfirmed_from is not None:
        return False
    changed = select(AuditEvent.id).where(
        AuditEvent.event == audit.Event.EMAIL_CHANGED.value,
        func.lower(AuditEvent.target) == person.email.lower(),
    )
    return session.scalar(changed.limit(1)) is None


def opens_from_account(session: Session, invitation: Invitation | None, person: User) -> bool:
    """Whether the signed-in person may open this request without the e-mailed link."""
    return addressed_to(invitation, person.email) and address_proven(session, person)


def check_usable(invitation: Invitation) -> None:
    """Raise RaterLinkError unless the invitation can still be answered."""
    if invitation.state == InvitationState.USED.value:
        raise AlreadySubmitted()
    if invitation.state == InvitationState.REVOKED.value:
        raise RaterLinkError("This invitation was withdrawn, so no feedback can be given with it.")
    if invitation.round.state != RoundState.OPEN.value:
        raise RaterLinkError("This feedback round is closed, so no more answers are taken.")
    if invitation.expires_at is None or as_utc(invitation.expires_at) <= utcnow():
        raise RaterLinkError("The deadline for this feedback has passed.")


def answered_count(invitation: Invitation) -> int:
    """How many statements the rater's saved draft answers ("not able to observe" included)."""
    answers, _, _ = draft_of(invitation)
    return len(answers)


def draft_of(invitation: Invitation) -> tuple[dict[str, int | None], dict[str, str], int]:
    """Saved answers, comments and the page to resume on."""
    if invitation.draft is None:
        return {}, {}, 0
    answers = json.loads(invitation.draft.answers_json)
    comments = json.loads(invitation.draft.comments_json)
    return answers, comments, invitation.draft.current_page


def _clean_comments(comments: Mapping[str, str], instrument: Instrument) -> dict[str, str]:
    pages = {p.id for p in instrument.pages}
    cleaned = {}
    for page_id, text in comments.items():
        if page_id not in pages:
            raise RaterLinkError("That comment box does not exist.")
        text = text.strip()
        if len(text) > MAX_COMMENT:
            raise ValueError(f"Please keep each comment under {MAX_COMMENT} characters.")
        if text:
            cleaned[page_id] = text
    return cleaned


def save_draft(
    session: Session,
    invitation: Invitation,
    instrument: Instrument,
    answers: Mapping[str, int | None],
    comments: Mapping[str, str],
    next_page: int,
) -> None:
    """Merge one page's answers and comments into the draft, in one transaction."""
    check_usable(invitation)
    validate_answers(instrument, answers)
    stored, stored_comments, _ = draft_of(invitation)
    stored.update(answers)
    stored_comments.update(_clean_comments(comments, instrument))
    for page_id in comments:
        if not comments[page_id].strip():
            stored_comments.pop(page_id, None)
    draft = invitation.draft or RaterDraft()
    draft.answers_json = json.dumps(stored)
    draft.comments_json = json.dumps(stored_comments)
    draft.current_page = max(0, min(next_page, len(instrument.pages)))
    draft.updated_at = utcnow()
    invitation.draft = draft
    session.commit()


def submit(session: Session, invitation: Invitation, instrument: Instrument) -> None:
    """Store the draft as an anonymous response, once; a second or racing submit stores nothing."""
    check_usable(invitation)
    answers, comments, _ = draft_of(invitation)
    if not any(value is not None for value in answers.values()):
        raise ValueError("Please answer at least some questions before submitting.")
    group = RELATIONSHIPS[invitation.relationship_].value
    # Single use lives in the database: only one transaction can move INVITED -> USED.
    used = session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.state == InvitationState.INVITED.value,
            Invitation.expires_at > utcnow(),
        )
        .values(state=InvitationState.USED.value)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise AlreadySubmitted()
    _store_response(session, invitation.round, instrument, group, answers, comments)
    if invitation.draft is not None:
        session.delete(invitation.draft)
    session.commit()


def _store_response(
    session: Session,
    feedback_round: FeedbackRound,
    instrument: Instrument,
    group: str,
    answers: Mapping[str, int | None],
    comments: Mapping[str, str],
) -> None:
    """Insert the response, its answers, scale scores and comments (no commit).

    Plain multi-row INSERTs rather than ORM objects: a response is about a hundred rows
    that nothing in the request reads back, and building and flushing them as objects was
    most of a submission's cost (bench/README.md).
    """
    response_id = new_public_id()
    session.execute(
        insert(FeedbackResponse.__table__),
        [{"id": response_id, "round_id": feedback_round.id, "rater_group": group}],
    )
    session.execute(
        insert(ResponseAnswer.__table__),
        [
            {"response_id": response_id, "item_id": item_id, "value": value}
            for item_id, value in sorted(answers.items())
        ],
    )
    session.execute(
        insert(ResponseScaleScore.__table__),
        [
            {
                "response_id": response_id,
                "scale_id": s.scale_id,
                "score": s.score,
                "answered": s.answered,
            }
            for s in score_scales(instrument, answers).values()
        ],
    )
    if comments:
        session.execute(
            insert(FeedbackComment.__table__),
            [
                {
                    "id": new_public_id(),
                    "round_id": feedback_round.id,
                    "rater_group": group,
                    "page_id": page_id,
                    "text": text,
                }
                for page_id, text in comments.items()
            ],
        )


def stage_imported_response(
    session: Session,
    feedback_round: FeedbackRound,
    instrument: Instrument,
    group: str,
    answers: Mapping[str, int | None],
) -> None:
    """Add an externally collected response to a round, with no invitation (no commit)."""
    _store_response(session, feedback_round, instrument, group, answers, {})
