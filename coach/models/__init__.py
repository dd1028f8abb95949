"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from coach.models.account_token import AccountToken, TokenPurpose
from coach.models.analytics import (
    ArchetypeAssignment,
    ArchetypeRun,
    HrLayout,
    InstrumentQuality,
    hr_fact,
    hr_slice_stats,
    hr_summary_version,
    hr_unit_ancestor,
)
from coach.models.assessment import Answer, Assessment, AssessmentStatus, ScaleScoreRecord
from coach.models.audit import AuditEvent, RateLimitCounter
from coach.models.feedback import (
    Campaign,
    FeedbackComment,
    FeedbackResponse,
    FeedbackRound,
    Invitation,
    InvitationState,
    PooledVariance,
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
    "AccountToken",
    "Answer",
    "ArchetypeAssignment",
    "ArchetypeRun",
    "Assessment",
    "AssessmentStatus",
    "AuditEvent",
    "Campaign",
    "CheckIn",
    "DevelopmentPlan",
    "FeedbackComment",
    "FeedbackResponse",
    "FeedbackRound",
    "FocusArea",
    "Goal",
    "HrLayout",
    "InstrumentQuality",
    "Invitation",
    "InvitationState",
    "MessageStatus",
    "Milestone",
    "OrgUnit",
    "OutboxMessage",
    "PooledVariance",
    "RateLimitCounter",
    "RaterDraft",
    "ResponseAnswer",
    "ResponseScaleScore",
    "Role",
    "RoundState",
    "ScaleScoreRecord",
    "TokenPurpose",
    "User",
    "hr_fact",
    "hr_slice_stats",
    "hr_summary_version",
    "hr_unit_ancestor",
]
