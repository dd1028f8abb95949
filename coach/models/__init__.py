"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from coach.models.account_token import AccountToken, TokenPurpose
from coach.models.assessment import Answer, Assessment, AssessmentStatus, ScaleScoreRecord
from coach.models.mail import MessageStatus, OutboxMessage
from coach.models.org import OrgUnit
from coach.models.user import Role, User

__all__ = [
    "AccountToken",
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "MessageStatus",
    "OrgUnit",
    "OutboxMessage",
    "Role",
    "ScaleScoreRecord",
    "TokenPurpose",
    "User",
]
