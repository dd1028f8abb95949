"""The extension instances, and ``register`` to bind them to an application.

The models import ``db`` from here, so this module imports no model and nothing above them:
who is signed in is loaded by ``coach.security``.
"""

from pathlib import Path

from flask import Flask
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from coach.client_address import client_source

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")

# Named constraints so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Storage comes from config.py: Redis when COACH_REDIS_URL is set, otherwise the database
# (coach/ratelimit_storage.py); either way every worker counts the same attempts, per client
# address (IPv6 per /64: coach/client_address.py).
limiter = Limiter(key_func=client_source, default_limits=[])


def register(app: Flask) -> None:
    """init_app for every extension, in dependency order (the request limits come first:
    coach/request_limits.py)."""
    from coach import ratelimit_storage  # noqa: F401  (makes the coachdb:// limiter store known)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
