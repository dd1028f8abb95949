"""coach: leadership self-assessment and 360-degree feedback.

``create_app`` imports Flask lazily so that the pure packages (instrument, scoring,
analytics, coaching) can be imported without loading the web stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; refuses to start when an instrument file is invalid."""
    from coach.app import build_app

    return build_app(config)
