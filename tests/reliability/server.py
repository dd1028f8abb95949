"""gunicorn serving the real app (wsgi:app) on 127.0.0.1, started and stopped by a test."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "reliability-tests-fixed-secret-key-not-for-production"
BOOT_SECONDS = 90  # three workers importing the app on two busy cores
STOP_SECONDS = 15


def free_port() -> int:
    """A port nothing listens on right now, on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn_binary() -> str:
    """The gunicorn of the virtualenv running the tests."""
    beside = Path(sys.executable).parent / "gunicorn"
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "gunicorn")


class Gunicorn:
    """One gunicorn master and its workers; ``stop`` always ends them."""

    def __init__(
        self, database_url: str, instance_dir: Path, workers: int = 3, application_name: str = ""
    ) -> None:
        self.database_url = database_url
        self.application_name = application_name
        self.instance_dir = instance_dir
        self.workers = workers
        self.port = free_port()
        self.log_path = instance_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """This process's environment without COACH_* settings, plus the server's own."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
        env.update(
            COACH_DATABASE_URL=self.database_url,
            COACH_INSTANCE_DIR=str(self.instance_dir),
            COACH_SECRET_KEY=SECRET_KEY,
            COACH_BASE_URL="http://coach.test",
        )
        return env

    def start(self, wait_for: str = "/readyz") -> Gunicorn:
        """Start and wait (bounded) until ``wait_for`` answers below 500.

        ``/readyz`` answers 503 until the database is reachable and migrated; a test that
        starts a server on purpose without its database waits for ``/healthz`` instead.
        """
        command = [
            gunicorn_binary(),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "wsgi:app",
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            if self._answers(wait_for) and len(self.worker_pids()) >= self.workers:
                return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {BOOT_SECONDS} s:\n{self.log_tail()}")

    def _answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:  # noqa: S310
                return bool(response.status < 500)
        except (urllib.error.URLError, OSError):
            return False

    def worker_pids(self) -> list[int]:
        """The master's live children (its workers), read from /proc."""
        if self.process is None:
            return []
        master = self.process.pid
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may contain spaces: the fields after it start at the last ')'.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == master and fields[0] != "Z":
                found.append(int(entry.name))
        return sorted(found)

    def kill_one_worker(self, pid: int) -> bool:
        """SIGKILL one worker (only a child of this master); False if it was already gone."""
        if pid not in self.worker_pids():
            return False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        """Quick shutdown (SIGINT: workers exit at once); KILL after a bounded wait."""
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)
        for pid in workers:  # a worker orphaned by a killed master (checked: still ours)
            if self._is_ours(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def _is_ours(self, pid: int) -> bool:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        return b"gunicorn" in command and f"127.0.0.1:{self.port}".encode() in command

    def log_tail(self, lines: int = 60) -> str:
        """The end of the server's log, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
