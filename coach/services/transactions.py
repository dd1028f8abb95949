"""Turning a function that only stages writes into the use case that commits them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

P = ParamSpec("P")
R = TypeVar("R")


def committing(
    stage: Callable[Concatenate[Session, P], R], doc: str
) -> Callable[Concatenate[Session, P], R]:
    """A use case that runs ``stage`` (a "no commit" function) and then commits once.

    ``doc`` is the use case's own docstring. A refusal ``stage`` raises leaves the session
    uncommitted, as the convention in ``coach.services`` asks.
    """

    def use_case(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        result = stage(session, *args, **kwargs)
        session.commit()
        return result

    use_case.__doc__ = doc
    use_case.__module__ = stage.__module__
    return use_case
