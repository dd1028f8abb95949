"""The JSON API; importing the package registers every endpoint module."""

from coach.web.api import analytics, hr, me, rounds, routes

__all__ = ["analytics", "hr", "me", "rounds", "routes"]
