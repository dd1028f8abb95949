"""The database and the instance folder are readable by the account running coach only."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

FLASK = str(Path(sys.executable).with_name("flask"))
PROJECT = Path(__file__).resolve().parents[2]


def _flask(instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a flask command as an operator would, from a shell with the usual umask 022."""
    env = {
        **os.environ,
        "COACH_INSTANCE_DIR": str(instance),
        "COACH_DATABASE_URL": f"sqlite:///{instance / 'coach.db'}",
    }
    env.pop("COACH_SECRET_KEY", None)
    return subprocess.run(
        ["/bin/sh", "-c", 'umask 022 && exec "$0" "$@"', FLASK, "--app", "coach", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(
    os.environ.get("COACH_TEST_DATABASE", "sqlite") != "sqlite", reason="SQLite files only"
)
def test_a_new_instance_folder_and_its_sqlite_files_are_private(tmp_path):
    instance = tmp_path / "instance"
    done = _flask(instance, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    database = instance / "coach.db"
    assert _mode(instance) == 0o700
    assert _mode(database) == 0o600 and _mode(instance / "secret_key") == 0o600
    # While a connection is open the WAL and its index exist: SQLite gives them the
    # database file's mode, so they are private too (even under a umask of 022).
    umask = os.umask(0o022)
    reader = sqlite3.connect(database)
    try:
        reader.execute("PRAGMA journal_mode=WAL")
        reader.execute("CREATE TABLE probe (x)")
        reader.commit()
        assert _mode(instance / "coach.db-wal") == 0o600
        assert _mode(instance / "coach.db-shm") == 0o600
    finally:
        reader.close()
        os.umask(umask)


@pytest.mark.skipif(
    os.environ.get("COACH_TEST_DATABASE", "sqlite") != "sqlite", reason="SQLite files only"
)
def test_a_database_left_world_readable_by_an_older_version_is_made_private(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    database = instance / "coach.db"
    sqlite3.connect(database).close()
    database.chmod(0o644)
    done = _flask(instance, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert _mode(database) == 0o600
