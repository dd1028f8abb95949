"""The JSON API; importing the package registers every endpoint module."""

from coach.web.api import hr, rounds, routes

__all__ = ["hr", "rounds", "routes"]
