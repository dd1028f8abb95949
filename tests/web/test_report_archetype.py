"""The self-assessment report shows the manager's own archetype once HR has fitted a model."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

from flask import Flask
from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Assessment
from coach.services.accounts import accounts
from coach.services.hr import archetype_refit

from conftest import Auth
from hr_builders import person, submit


def _manager_with_a_report(app: Flask, make_user: Callable[..., str]) -> tuple[str, str]:
    """A manager (leaning to the manager poles) with a submitted assessment: (email, id)."""
    email = make_user()
    with app.app_context():
        owner = accounts.find_by_email(db.session, email)
        submit(owner, level=2, tilt=-2)
        public_id = db.session.scalar(
            select(Assessment.public_id).where(Assessment.owner_id == owner.id)
        )
        db.session.remove()
    return email, public_id


def _fit_a_model(app: Flask) -> None:
    """A few colleagues, then HR's recluster (the theory archetypes at this size)."""
    with app.app_context():
        for i in range(4):
            submit(person(f"colleague{i}@example.org", "Acme"), level=3 + i % 2, tilt=i % 3 - 1)
        archetype_refit.recluster(db.session, default_instrument())
        db.session.remove()


def _report(auth: Auth, email: str, public_id: str) -> str:
    auth.sign_in(email)
    response = auth.client.get(f"/assessments/{public_id}/report")
    assert response.status_code == 200
    return unescape(response.text)


def test_report_shows_the_managers_archetype_once_a_model_exists(
    app: Flask, auth: Auth, make_user: Callable[..., str]
) -> None:
    email, public_id = _manager_with_a_report(app, make_user)
    _fit_a_model(app)
    page = _report(auth, email, public_id)
    assert "Your archetype, by comparison" in page
    # Five profiles are too few for an organisation's average: the midpoint is the reference.
    assert '<h2 id="archetype-title">Managing above the midpoint, leading below</h2>' in page
    assert "How close your profile is" in page
    assert any(
        phrase in page
        for phrase in ("Close to the centre", "Within the usual spread", "At the edge")
    )
    assert "standard deviation" not in page
    assert "the four archetypes are the theory's starting points" in page
    assert "they do not type people" in page


def test_report_without_a_model_shows_no_archetype(
    app: Flask, auth: Auth, make_user: Callable[..., str]
) -> None:
    email, public_id = _manager_with_a_report(app, make_user)
    page = _report(auth, email, public_id)
    assert "Your leadership profile" in page
    assert "archetype" not in page.lower()


def test_another_managers_report_stays_closed_when_a_model_exists(
    app: Flask, auth: Auth, make_user: Callable[..., str]
) -> None:
    _, public_id = _manager_with_a_report(app, make_user)
    _fit_a_model(app)
    auth.sign_in(make_user("other@example.org", "manager", "Other Person"))
    assert auth.client.get(f"/assessments/{public_id}/report").status_code == 404
