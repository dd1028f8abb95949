"""The JSON API; importing the package registers every endpoint module."""

from coach.web.api import hr, routes

__all__ = ["hr", "routes"]
