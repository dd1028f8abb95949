"""Invitation and reminder e-mails for raters: a fresh private link in each."""

from __future__ import annotations

from sqlalchemy.orm import Session

from coach import mail
from coach.models import FeedbackRound, Invitation, InvitationState
from coach.models._common import as_utc
from coach.services.accounts.link_tokens import new_token, token_hash


def invite(
    session: Session,
    feedback_round: FeedbackRound,
    invitation: Invitation,
    base_url: str,
    *,
    reminder: bool,
) -> None:
    """Give the rater a fresh private link and queue the e-mail carrying it (no commit)."""
    raw = new_token()
    invitation.token_hash = token_hash(raw)
    invitation.expires_at = feedback_round.deadline
    invitation.state = InvitationState.INVITED.value
    link = f"{base_url}/r/{raw}"
    subject, body = _invitation_text(feedback_round, invitation, link, reminder)
    mail.enqueue(
        session,
        kind="reminder" if reminder else "invitation",
        to=invitation.email,
        subject=subject,
        body=body,
        link=link,
        about=feedback_round.subject,
    )


def _invitation_text(
    feedback_round: FeedbackRound, invitation: Invitation, link: str, reminder: bool
) -> tuple[str, str]:
    who = feedback_round.subject.name
    due = as_utc(feedback_round.deadline).strftime("%-d %B %Y")
    group_note = (
        "You are their manager. The manager's answers are shown as their own figure, so "
        "they are not anonymous to the person you rate."
        if invitation.relationship_ == "manager"
        else "Your answers are combined with other raters' and never shown on their own: "
        "a group with fewer than three raters is merged or left out."
    )
    opening = "A reminder: " if reminder else ""
    return (
        f"{'Reminder: ' if reminder else ''}Feedback for {who}",
        f"Hello {invitation.name.split(' ')[0]},\n\n{opening}{who} has asked for your "
        f"feedback on how they lead and manage. It takes about fifteen minutes, and you can "
        f"save and come back until {due}.\n\n{link}\n\n{group_note}\n\nThe link is personal: "
        "please do not forward it."
        + ("\nIt replaces the link in the earlier message." if reminder else "")
        + "\n",
    )
