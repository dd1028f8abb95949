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
        errors,
        health,
        hr_cache,
        logging_setup,
        metrics,
        security,
    )
    from coach.extensions_setup import register_extensions
    from coach.instruments_registry import register_instruments
    from coach.log_redaction import register as redact_logs
    from coach.mail_setup import register_mail
    from coach.proxies import register as trust_proxies
    from coach.web import navigation, register_blueprints

    compression.register(app)  # first registered, so it runs after every other hook
    logging_setup.register(app)  # JSON lines when COACH_LOG_FORMAT=json
    metrics.register(app)  # times every request; /metrics for the operator
    register_instruments(app)
    hr_cache.register(app)  # protected HR tables, computed once per summary version
    register_extensions(app)
    register_blueprints(app)
    health.register(app)  # /healthz and /readyz for the load balancer
    navigation.register(app)
    cli.register(app)
    errors.register(app)
    security.register(app)
    assets.register(app)
    register_mail(app)
    redact_logs(app)  # no link secret in the app's own log lines
    trust_proxies(app)  # forwarded headers only from COACH_TRUSTED_PROXIES (none by default)
    return app


def shipped_folder(name: str) -> str:
    """Where ``templates`` or ``static`` is, in a source checkout or an installed wheel."""
    from coach import config

    return str(config.shipped_folder(name))
