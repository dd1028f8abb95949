"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from coach.models.account_token import AccountToken, TokenPurpose
from coach.models.assessment import Answer, Assessment, AssessmentStatus, ScaleScoreRecord
from coach.models.feedback import (
    Campaign,
    FeedbackComment,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    InvitationState,
    RaterDraft,
    ResponseAnswer,
    ResponseScaleScore,
    RoundState,
)
from coach.models.mail import MessageStatus, OutboxMessage
from coach.models.org import OrgUnit
from coach.models.plan import CheckIn, DevelopmentPlan, FocusArea, Goal, Milestone
from coach.models.user import Role, User

__all__ = [
    "CheckIn",
    "DevelopmentPlan",
    "FocusArea",
    "Goal",
    "Milestone",
    "AccountToken",
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "Campaign",
    "FeedbackComment",
    "FeedbackResponse",
    "FeedbackRound",
    "Invitation",
    "InvitationState",
    "MessageStatus",
    "OrgUnit",
    "OutboxMessage",
    "RaterDraft",
    "ResponseAnswer",
    "ResponseScaleScore",
    "Role",
    "RoundState",
    "ScaleScoreRecord",
    "TokenPurpose",
    "User",
]
