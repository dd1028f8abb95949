"""Administration: the outbox, the audit log and unlocking accounts."""

from coach.web.admin import routes, unlock

__all__ = ["routes", "unlock"]
