"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from coach.models.assessment import Answer, Assessment, AssessmentStatus, ScaleScoreRecord
from coach.models.org import OrgUnit
from coach.models.user import Role, User

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "OrgUnit",
    "Role",
    "ScaleScoreRecord",
    "User",
]
