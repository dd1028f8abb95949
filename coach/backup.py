"""Online backups and restores of the app's database, SQLite or PostgreSQL.

A backup is a consistent copy taken while the app keeps serving: SQLite's backup API copies
the pages of one read transaction, and ``pg_dump`` reads one snapshot (custom format, for
``pg_restore``). A restore writes into an empty database and refuses one that holds tables,
unless asked to replace what is there. Both files hold personal data: keep them like the
database itself.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, called with argument lists, never a shell
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
TOOL_TIMEOUT = 6 * 3600  # a dump of a very large database; never unbounded


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    """A finished backup file."""

    path: Path
    engine: str
    size: int


def _url(database_url: str) -> URL:
    url = make_url(database_url)
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {url.get_backend_name()}")
    return url


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def backup(database_url: str, directory: Path, now: datetime | None = None) -> Backup:
    """Copy the database into a new file in ``directory`` while the app keeps running."""
    url = _url(database_url)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    if url.get_backend_name() == "sqlite":
        target = directory / f"coach-{stamp}.sqlite3"
        _refuse_existing(target)
        _sqlite_backup(_sqlite_path(url), target)
        engine = "sqlite"
    else:
        target = directory / f"coach-{stamp}.pgdump"
        _refuse_existing(target)
        _pg_dump(url, target)
        engine = "postgresql"
    return Backup(target, engine, target.stat().st_size)


def _refuse_existing(target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} exists already: nothing was overwritten")


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"no SQLite database at {source}")
    partial = target.with_name(target.name + ".partial")
    with _private_file(partial):
        reader = sqlite3.connect(source)
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)  # one read transaction: a consistent copy
            check = writer.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            writer.close()
            reader.close()
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        partial.replace(target)


@contextmanager
def _private_file(path: Path) -> Iterator[Path]:
    """Create ``path`` readable by its owner only; remove it if the block fails."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield path
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and an environment carrying it (never in argv)."""
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools "
            "(the server's major version or newer)"
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(  # noqa: S603 (a found tool and our own arguments, no shell)
            command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what} did not finish within {TOOL_TIMEOUT} s") from exc
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")


def _pg_dump(url: URL, target: Path) -> None:
    uri, env = _libpq(url)
    partial = target.with_name(target.name + ".partial")
    with _private_file(partial):
        command = [_tool("pg_dump"), "--format=custom", f"--file={partial}", f"--dbname={uri}"]
        _run(command, env, "pg_dump")
        _run([_tool("pg_restore"), "--list", str(partial)], env, "reading the dump back")
        partial.replace(target)


def _kind_of(file: Path) -> str:
    try:
        with file.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {file}: {exc.strerror}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{file} is neither a SQLite backup nor a pg_dump custom-format file")


def restore(database_url: str, file: Path, replace: bool = False) -> int:
    """Load a backup into the database; refuse one holding tables unless ``replace``.

    Returns how many tables the database held before (0 for an empty one).
    """
    url = _url(database_url)
    kind, engine = _kind_of(file), url.get_backend_name()
    if kind != engine:
        raise BackupError(f"{file} is a {kind} backup, but the database is {engine}")
    held = _sqlite_tables(url) if engine == "sqlite" else _pg_tables(url)
    if held and not replace:
        raise BackupError(
            f"the database already holds {held} tables: nothing was restored. Restore into "
            "an empty database, or pass --replace to overwrite this one"
        )
    if engine == "sqlite":
        _sqlite_restore(file, _sqlite_path(url))
    else:
        _pg_restore(url, file, clean=held > 0)
    return held


def _sqlite_tables(url: URL) -> int:
    path = _sqlite_path(url)
    if not path.exists():
        return 0
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        return int(row.fetchone()[0])
    finally:
        connection.close()


def _sqlite_restore(file: Path, target: Path) -> None:
    reader = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        check = reader.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{file} failed its integrity check: {check}")
        target.parent.mkdir(parents=True, exist_ok=True)
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def _pg_tables(url: URL) -> int:
    import psycopg  # the postgres extra; only needed here for PostgreSQL

    uri, env = _libpq(url)
    with psycopg.connect(uri, password=env.get("PGPASSWORD")) as connection:
        row = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return int(row[0]) if row else 0


def _pg_restore(url: URL, file: Path, clean: bool) -> None:
    uri, env = _libpq(url)
    command = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={uri}",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, str(file)], env, "pg_restore")
