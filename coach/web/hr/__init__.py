"""HR pages; importing the package registers every route module on the blueprint."""

from coach.web.hr import imports, routes

__all__ = ["imports", "routes"]
