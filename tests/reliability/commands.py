"""The app's own commands (``flask --app coach ...``) run as separate processes by a test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from coach.config import normalise_database_url
from reliability.server import ROOT, SECRET_KEY

COMMAND_SECONDS = 300


def flask_binary() -> str:
    """The flask command of the virtualenv running the tests."""
    beside = Path(sys.executable).parent / "flask"
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "flask")


def command_env(database_url: str, instance_dir: Path) -> dict[str, str]:
    """This process's environment without COACH_* settings, plus the command's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(
        COACH_DATABASE_URL=database_url,
        COACH_INSTANCE_DIR=str(instance_dir),
        COACH_SECRET_KEY=SECRET_KEY,
    )
    return env


def run_flask(
    database_url: str, instance_dir: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    """Run one command to its end (bounded) and return its exit code and output."""
    return subprocess.run(
        [flask_binary(), "--app", "coach", *arguments],
        cwd=ROOT,
        env=command_env(database_url, instance_dir),
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )


def start_flask(database_url: str, instance_dir: Path, *arguments: str) -> subprocess.Popen[str]:
    """Start one command without waiting for it."""
    return subprocess.Popen(
        [flask_binary(), "--app", "coach", *arguments],
        cwd=ROOT,
        env=command_env(database_url, instance_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


class ScratchDatabase:
    """A second, empty database beside the test one (same server), dropped by ``drop``."""

    def __init__(self, test_database_url: str, folder: Path, name: str) -> None:
        self.sqlite = test_database_url.startswith("sqlite")
        if self.sqlite:
            self.url = f"sqlite:///{folder / (name + '.db')}"
            return
        server = make_url(test_database_url)
        self.name = name
        self._admin = create_engine(
            server.set(database="postgres", drivername="postgresql+psycopg"),
            isolation_level="AUTOCOMMIT",
        )
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.url = server.set(database=name).render_as_string(hide_password=False)

    def engine(self) -> Engine:
        """An engine on the scratch database (dispose it after use)."""
        return create_engine(normalise_database_url(self.url))

    def drop(self) -> None:
        """Remove the database (PostgreSQL) once nothing uses it."""
        if self.sqlite:
            return
        with self._admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
        self._admin.dispose()
