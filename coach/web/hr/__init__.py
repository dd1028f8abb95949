"""HR pages; importing the package registers every route module on the blueprint."""

from coach.web.hr import dashboard, imports, routes

__all__ = ["dashboard", "imports", "routes"]
