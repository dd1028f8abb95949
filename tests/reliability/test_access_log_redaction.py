"""No log keeps a working link: gunicorn's access log (as ``make run`` serves) and the app's
own log lines show a fixed mark where a link's secret was."""

from __future__ import annotations

import contextlib
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from coach.log_redaction import MARK
from reliability.conftest import tagged_url
from reliability.server import Gunicorn

ROOT = Path(__file__).resolve().parents[2]
TOKEN_PATHS = ("/r/", "/activate/", "/reset-password/", "/directory/confirm-email/")


class ServedAsMakeRun(Gunicorn):
    """gunicorn with the configuration module the Makefile's serve target passes."""

    def __init__(self, database_url: str, instance_dir: Path) -> None:
        super().__init__(database_url, instance_dir, workers=1)
        self.access_log = instance_dir / "access.log"

    def environment(self) -> dict[str, str]:
        """The server's settings plus the serve target's --config and an access log file."""
        env = super().environment()
        env["GUNICORN_CMD_ARGS"] = (
            f"--config python:coach.gunicorn_conf --access-logfile {self.access_log}"
        )
        return env


@pytest.fixture
def served(app: Flask, database_url: str, tmp_path: Path) -> Iterator[ServedAsMakeRun]:
    server = ServedAsMakeRun(tagged_url(database_url, "coach-access-log"), tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()


def _visit(url: str, referer: str = "") -> None:
    """GET on the loopback server; 302, 400 and 404 answers are logged all the same."""
    headers = {"Referer": referer} if referer else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310


def test_the_serve_targets_access_log_has_no_link_secret(served: ServedAsMakeRun) -> None:
    assert "--config python:coach.gunicorn_conf" in (ROOT / "Makefile").read_text()
    tokens = {path: secrets.token_urlsafe(32) for path in TOKEN_PATHS}
    for path, token in tokens.items():
        _visit(f"{served.base}{path}{token}")
    referer_token = secrets.token_urlsafe(32)
    _visit(f"{served.base}/static/favicon.svg", referer=f"{served.base}/r/{referer_token}")
    served.stop()  # the workers flush their log on the way out
    log = served.access_log.read_text()
    for path, token in tokens.items():
        assert f"{path}{MARK}" in log, path
        assert token not in log, path
    assert referer_token not in log and "favicon.svg" in log


def test_the_apps_own_log_lines_have_no_link_secret(
    app: Flask, caplog: pytest.LogCaptureFixture, loggers_kept: None
) -> None:
    app.logger.disabled = False
    secret = secrets.token_urlsafe(32)
    with caplog.at_level(logging.ERROR):
        app.logger.error("Exception on %s [%s]", f"/activate/{secret}", "GET")
    assert f"/activate/{MARK}" in caplog.text and secret not in caplog.text
