"""Signing in, passwords, and activation and reset links."""

from coach.web.auth import links, routes

__all__ = ["links", "routes"]
