"""The application factory: reads like a table of contents."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from coach.config import Settings, flask_config


def build_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; refuses to start when an instrument file is invalid."""
    os.umask(0o077)  # what the app and its commands create (database, keys) is private
    settings = Settings.from_env()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_dir),
        template_folder=shipped_folder("templates"),
        static_folder=shipped_folder("static"),
    )
    app.config.from_mapping(flask_config(settings))
    if config:
        app.config.from_mapping(config)

    from coach import (
        assets,
        cli,
        compression,
        db_sqlite,
        errors,
        extensions,
        health,
        hr_cache,
        instruments_registry,
        log_redaction,
        logging_setup,
        mail,
        metrics,
        proxies,
        request_limits,
        security,
        web,
    )
    from coach.services.hr import summary as hr_summary
    from coach.web import navigation

    compression.register(app)  # first registered, so it runs after every other hook
    logging_setup.register(app)  # JSON lines when COACH_LOG_FORMAT=json
    metrics.register(app)  # times every request; /metrics for the operator
    instruments_registry.register(app)  # instruments and action libraries, loaded once
    hr_cache.register(app)  # protected HR tables, computed once per summary version
    request_limits.register(app)  # before CSRF: nothing reads a body before its limits apply
    extensions.register(app)
    db_sqlite.register(app)  # SQLite pragmas and writers that begin IMMEDIATE
    hr_summary.listen()  # a closing 360 round updates the HR summary in its transaction
    web.register(app)  # the blueprints
    health.register(app)  # /healthz and /readyz for the load balancer
    navigation.register(app)
    cli.register(app)
    errors.register(app)
    security.register(app)  # who is signed in, headers, session lifetimes
    assets.register(app)
    mail.register(app)  # in-app delivery of the outbox when SMTP is configured
    log_redaction.register(app)  # no link secret in the app's own log lines
    proxies.register(app)  # forwarded headers only from COACH_TRUSTED_PROXIES (none by default)
    return app


def shipped_folder(name: str) -> str:
    """Where ``templates`` or ``static`` is, in a source checkout or an installed wheel."""
    from coach import config

    return str(config.shipped_folder(name))
