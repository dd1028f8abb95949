"""Benchmark coach under gunicorn (2 sync workers) beside a bare Flask app, measured with wrk.

    .venv/bin/python bench/run.py                       # SQLite in /tmp/coach-bench
    .venv/bin/python bench/run.py --database-url postgresql://postgres@127.0.0.1/coach_bench

What it measures (8 connections, 2 wrk threads, ``--seconds`` per run, median of ``--runs``):

* ``hello``: GET / of bench/hello.py, the ceiling of Flask + gunicorn on this machine.
* ``submit``: the rater's final POST /rate/<id>/review. Every request is a different rater
  whose draft already holds all 72 answers and a comment, so each one checks the link,
  moves the invitation to used, stores the response (72 answers, 18 scale scores, the
  comment) and deletes the draft, in one transaction. The supply is prepared before each
  run; a run that used it up is prepared again with more.
* ``self report``: GET /assessments/<id>/report, a manager's own report.
* ``360 report``: GET /feedback/<id>/report, a closed round with nine raters.
* ``hr summary``: GET /api/v1/hr/summary on the seeded organisation (10,000 people) as HR;
  GET /directory/?unit=<top unit> when the summary endpoint does not exist.

The database is built once per work folder: ``flask db upgrade``, ``flask seed-synthetic``.
Results go to stdout as a Markdown table and to <workdir>/results-<time>.json.
Only 127.0.0.1 is used; every server started here is stopped before it exits.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SECRET_KEY = "bench-only-secret-key-0123456789abcdef"
PASSWORD = "bench passphrase, not a secret"
BOOT_SECONDS = 120
REPORTS = ("self report", "360 report")  # also measured at one connection per worker
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/coach-bench"))
    parser.add_argument("--database-url", default="", help="default: SQLite in the workdir")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--compare-all-immediate",
        action="store_true",
        help="also serve bench/all_immediate.py (every transaction BEGIN IMMEDIATE)",
    )
    parser.add_argument("--only", default="", help="comma-separated subset of the measurements")
    parser.add_argument("--app-module", default="wsgi:app", help="what gunicorn serves as coach")
    return parser.parse_args()


# -- the database ----------------------------------------------------------------------------


def configure_environment(args: argparse.Namespace) -> str:
    """COACH_* for this process and the servers; returns the database URL."""
    args.workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{args.workdir / 'bench.db'}"
    for key in [k for k in os.environ if k.startswith("COACH_")]:
        del os.environ[key]
    os.environ.update(
        COACH_DATABASE_URL=url,
        COACH_INSTANCE_DIR=str(args.workdir),
        COACH_SECRET_KEY=SECRET_KEY,
        COACH_BASE_URL="http://bench.invalid",
    )
    return url


def seed(args: argparse.Namespace) -> float | None:
    """Migrate and seed the synthetic organisation once per work folder; seconds it took."""
    marker = args.workdir / f"seeded-{args.people}"
    if marker.exists():
        return None
    started = time.perf_counter()
    flask = [sys.executable, "-m", "flask", "--app", "coach"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, check=True)
    subprocess.run([*flask, "seed-synthetic", "--people", str(args.people)], cwd=ROOT, check=True)
    took = time.perf_counter() - started
    marker.write_text(f"{took:.1f}\n")
    return took


@dataclass
class Targets:
    """The pages to measure and who may see them."""

    manager_email: str
    hr_email: str
    self_report: str
    feedback_report: str
    hr_summary: str
    hr_summary_is_fallback: bool


def prepare_targets(app: Any) -> Targets:
    """A manager with a submitted assessment and a closed 360 round; an HR person."""
    from sqlalchemy import select

    from coach.extensions import db
    from coach.instruments_registry import default_instrument
    from coach.models import Assessment, FeedbackRound, OrgUnit, Role
    from coach.services.accounts import accounts
    from coach.services.assessments import self_assessment as assessments
    from coach.services.feedback import rater_path as rating
    from coach.services.feedback import rounds

    manager_email, hr_email = "bench-manager@bench.example", "bench-hr@bench.example"
    with app.app_context():
        instrument = default_instrument()
        manager = accounts.find_by_email(db.session, manager_email)
        if manager is None:
            manager = accounts.create_user(
                db.session,
                accounts.NewAccount(manager_email, "Bench Manager", Role.MANAGER, PASSWORD),
            )
            accounts.create_user(
                db.session, accounts.NewAccount(hr_email, "Bench HR", Role.HR, PASSWORD)
            )
            assessment = assessments.start_assessment(db.session, manager, instrument)
            for index, page in enumerate(instrument.pages):
                answers = {item.id: 1 + (n % 5) for n, item in enumerate(instrument.items_on(page))}
                assessments.save_page(db.session, assessment, instrument, index, answers, index + 1)
            assessments.submit_assessment(db.session, assessment, instrument)
            found = rounds.start_round(db.session, manager, instrument, rounds.default_deadline())
            groups = ("peer", "direct_report", "other")
            raters = [
                (f"Rater {n}", f"bench-rater-{n}@bench.example", groups[n % 3]) for n in range(9)
            ]
            rounds.nominate(db.session, found, raters, "http://bench.invalid", trusted=True)
            rounds.open_round(db.session, found, "http://bench.invalid", 3)
            for n, invitation in enumerate(found.invitations):
                answers = {item.id: 1 + (n + k) % 5 for k, item in enumerate(instrument.items)}
                rating.save_draft(
                    db.session, invitation, instrument, answers, {}, len(instrument.pages)
                )
                rating.submit(db.session, invitation, instrument)
            rounds.close_round(db.session, found, "subject", manager)
        assessment = db.session.scalar(select(Assessment).where(Assessment.owner_id == manager.id))
        found = db.session.scalar(
            select(FeedbackRound).where(FeedbackRound.subject_id == manager.id)
        )
        top = db.session.scalar(
            select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)
        )
        has_summary = any(r.rule == "/api/v1/hr/summary" for r in app.url_map.iter_rules())
        summary = "/api/v1/hr/summary" if has_summary else f"/directory/?unit={top.public_id}"
        targets = Targets(
            manager_email,
            hr_email,
            f"/assessments/{assessment.public_id}/report",
            f"/feedback/{found.public_id}/report",
            summary,
            not has_summary,
        )
        db.session.remove()
    return targets


def prepare_submissions(app: Any, count: int, batch: int) -> list[str]:
    """``count`` raters, each with a complete draft and a signed session: supply lines."""
    import json as _json

    from flask import session
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from coach.extensions import db
    from coach.instruments_registry import default_instrument
    from coach.models import Invitation, OutboxMessage, RaterDraft, Role
    from coach.services.accounts import accounts
    from coach.services.feedback import rounds

    per_round = rounds.MAX_RATERS
    lines: list[str] = []
    raters: list[tuple[str, str]] = []
    with app.app_context():
        instrument = default_instrument()
        answers = _json.dumps({item.id: 1 + k % 5 for k, item in enumerate(instrument.items)})
        comments = _json.dumps({instrument.pages[0].id: "A comment from the benchmark."})
        serializer = app.session_interface.get_signing_serializer(app)
        cookie_name = app.config["SESSION_COOKIE_NAME"]
        for r in range((count + per_round - 1) // per_round):
            size = min(per_round, count - r * per_round)
            subject = accounts.add_person(
                db.session,
                accounts.NewAccount(
                    f"bench-s{batch}-{r}@bench.example", f"Subject {batch}-{r}", Role.MANAGER
                ),
            )
            db.session.commit()
            found = rounds.start_round(db.session, subject, instrument, rounds.default_deadline())
            emails = [f"bench-r{batch}-{r}-{n}@bench.example" for n in range(size)]
            rounds.nominate(
                db.session,
                found,
                [(f"R {n}", e, "peer") for n, e in enumerate(emails)],
                "http://bench.invalid",
                trusted=True,
            )
            rounds.open_round(db.session, found, "http://bench.invalid", 3)
            for invitation in found.invitations:
                db.session.add(
                    RaterDraft(
                        invitation_id=invitation.id,
                        answers_json=answers,
                        comments_json=comments,
                        current_page=len(instrument.pages),
                    )
                )
            db.session.commit()
            links = {
                m.to_address: m.link.rsplit("/r/", 1)[1]
                for m in db.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.to_address.in_(emails))
                )
            }
            raters += [
                (invitation.public_id, links[invitation.email])
                for invitation in db.session.scalars(
                    select(Invitation).where(Invitation.round_id == found.id)
                )
            ]
        db.session.remove()
    for public_id, raw_token in raters:
        # A request context of its own (and so its own g): Flask-WTF caches the token in g.
        with app.test_request_context("/"):
            session["rater_links"] = {public_id: raw_token}
            token = generate_csrf()
            cookie = serializer.dumps(dict(session))
        lines.append(f"/rate/{public_id}/review\t{cookie_name}={cookie}\t{token}")
    return lines


def stored_responses(app: Any) -> int:
    """How many rater responses the database holds."""
    from sqlalchemy import func, select

    from coach.extensions import db
    from coach.models import FeedbackResponse

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(FeedbackResponse))
        db.session.remove()
    return int(count or 0)


def count_queries(app: Any, targets: Targets) -> dict[str, int]:
    """SQL statements per page, through the test client (the N+1 check)."""
    from sqlalchemy import event

    from coach.extensions import db

    counted: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(*_: object) -> None:
        statements.append("")

    for email, paths in (
        (
            targets.manager_email,
            {"self report": targets.self_report, "360 report": targets.feedback_report},
        ),
        (targets.hr_email, {"hr summary": targets.hr_summary}),
    ):
        client = app.test_client()
        page = client.get("/sign-in").text
        client.post(
            "/sign-in",
            data={"email": email, "password": PASSWORD, "csrf_token": CSRF.search(page).group(1)},
        )
        for name, path in paths.items():
            client.get(path)  # warm caches
            event.listen(engine, "before_cursor_execute", count)
            statements.clear()
            status = client.get(path).status_code
            event.remove(engine, "before_cursor_execute", count)
            assert status == 200, f"{path}: {status}"
            counted[name] = len(statements)
    return counted


# -- servers and wrk -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


_MASTERS: dict[int, int] = {}  # port -> gunicorn master pid, for the CPU accounting


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU time of the master's children (its workers), from /proc."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(module: str, workers: int, ready_path: str, log: Path) -> Iterator[int]:
    """Serve ``module`` on 127.0.0.1 with sync workers; yields the port; always stops it."""
    port = free_port()
    binary = Path(sys.executable).parent / "gunicorn"
    command = [str(binary), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", module]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), stdout=out, stderr=out)
    _MASTERS[port] = process.pid
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {module} exited; see {log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {module} did not start; see {log}") from None
                time.sleep(0.3)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def sign_in(port: int, email: str) -> str:
    """Sign in over HTTP; the Cookie header value for the signed-in session."""
    jar: dict[str, str] = {}

    def call(path: str, form: dict[str, str] | None = None) -> str:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data)
        if jar:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
        opener = urllib.request.build_opener(NoRedirect())
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as redirect:  # 302 after signing in
            response = redirect
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            jar[name] = rest.split(";", 1)[0]
        return response.read().decode()

    page = call("/sign-in")
    call(
        "/sign-in", {"email": email, "password": PASSWORD, "csrf_token": CSRF.search(page).group(1)}
    )
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def run_wrk(
    port: int,
    path: str,
    args: argparse.Namespace,
    seconds: int,
    script: str,
    headers: list[str],
    script_args: list[str],
) -> dict[str, Any]:
    """One wrk run; its JSON summary plus requests/s and milliseconds."""
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "wrk" / script),
    ]
    for header in headers:
        command += ["-H", header]
    command.append(f"http://127.0.0.1:{port}{path}")
    if script_args:
        command += ["--", *script_args]
    cpu_before = workers_cpu_seconds(_MASTERS[port])
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    cpu = workers_cpu_seconds(_MASTERS[port]) - cpu_before
    result = json.loads(output.strip().splitlines()[-1])
    # Server CPU per answered request: what the page costs, whatever else the machine runs.
    result["cpu_ms"] = 1000 * cpu / max(result["requests"], 1)
    seconds_taken = result["duration_us"] / 1e6
    good = result["requests"] - result["non_2xx_3xx"]
    result.update(
        rps=good / seconds_taken,
        p50_ms=result["p50_us"] / 1000,
        p95_ms=result["p95_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
    )
    return result


def median_of(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Median of each figure over the runs."""
    keys = ("rps", "p50_ms", "p95_ms", "p99_ms", "cpu_ms")
    return {k: statistics.median(r[k] for r in runs) for k in keys} | {"runs": len(runs)}


def settle(port: int, limit: float = 120.0) -> None:
    """Wait until the server has worked off requests queued by a finished run (bounded)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/static/favicon.svg", timeout=limit
            ):
                pass
        except urllib.error.HTTPError:
            pass  # the hello app has no static files: any answer will do
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.2)


def measure_get(
    port: int,
    path: str,
    args: argparse.Namespace,
    cookie: str = "",
    connections: int = 0,
    seconds: int = 0,
) -> dict[str, Any]:
    """A short warm-up, then ``--runs`` runs of GET ``path``."""
    headers = [f"Cookie: {cookie}"] if cookie else []
    settings = argparse.Namespace(**{**vars(args), "connections": connections or args.connections})
    settings.threads = min(settings.threads, settings.connections)
    run_wrk(port, path, settings, 2, "get.lua", headers, [])
    runs = []
    for _ in range(args.runs):
        settle(port)
        result = run_wrk(port, path, settings, seconds or args.seconds, "get.lua", headers, [])
        if not result["requests"]:
            raise RuntimeError(f"GET {path}: no request completed: {result}")
        runs.append(result)  # failed requests are counted in the table, not hidden
    settle(port)
    return {"median": median_of(runs), "runs": runs, "connections": settings.connections}


def reset_rate_limits(app: Any) -> None:
    """Forget every rate-limit count (the database or Redis storage the servers share)."""
    from coach.extensions import limiter

    with app.app_context():
        limiter.reset()


def measure_submit(app: Any, port: int, args: argparse.Namespace) -> dict[str, Any]:
    """Runs of the final POST, each with a fresh supply of raters; stored responses checked."""
    supply_file = args.workdir / "submit-supply.tsv"
    expected_rps, batch, runs = 100.0, int(time.time()), []
    reset_rate_limits(app)
    attempts = 0
    while len(runs) < args.runs + 1 and attempts < args.runs + 5:  # the first run warms up
        attempts += 1
        seconds = 2 if not runs else args.seconds
        need = int(expected_rps * seconds * 1.5) + 2 * args.connections
        started = time.perf_counter()
        supply_file.write_text("\n".join(prepare_submissions(app, need, batch + attempts)) + "\n")
        prepared = time.perf_counter() - started
        settle(port)
        before = stored_responses(app)
        result = run_wrk(
            port, "/", args, seconds, "submit.lua", [], [str(supply_file), str(args.threads)]
        )
        time.sleep(0.5)  # requests still in flight when wrk stopped
        stored = stored_responses(app) - before
        result.update(supply=need, prepared_s=prepared, stored=stored)
        # A run that used its supply up ended with refused (already used) links, which the
        # link-guessing limit counts; the next run starts with a clean budget.
        reset_rate_limits(app)
        used_up = stored >= need - 2 * args.connections
        if (result["non_2xx_3xx"] or result["socket_errors"]) and used_up:
            print(f"  submit: supply of {need} used up; preparing more", flush=True)
            expected_rps *= 2
            continue
        expected_rps = max(result["rps"], 10.0)
        if stored < result["requests"] - result["non_2xx_3xx"]:
            raise RuntimeError(f"acknowledged {result['requests']} but stored {stored}")
        runs.append(result)
    measured = runs[1:]
    if not measured:
        raise RuntimeError("no clean submission run")
    return {"median": median_of(measured), "runs": measured, "connections": args.connections}


def machine() -> dict[str, str]:
    """nproc, CPU model, memory, load, versions."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[
        0
    ]
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model.group(1) if model else "unknown",
        "memory_gib": f"{int(memory.group(1)) / 1024 / 1024:.1f}" if memory else "unknown",
        "load_before": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "wrk": wrk_version,
    }


def table(results: dict[str, dict[str, Any]], ceiling: float, cpu_ceiling: float) -> str:
    """Markdown: one row per measurement, with its ratio to the bare-Flask ceiling."""
    rows = [
        "| measurement | conn. | requests/s | p50 ms | p95 ms | p99 ms | failed "
        "| ratio to hello | server CPU ms/request | CPU ratio to hello |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        m = result["median"]
        failed = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in result["runs"])
        rows.append(
            f"| {name} | {result['connections']} | {m['rps']:.1f} | {m['p50_ms']:.1f} | "
            f"{m['p95_ms']:.1f} | {m['p99_ms']:.1f} | {failed} | {m['rps'] / ceiling:.2%} | "
            f"{m['cpu_ms']:.2f} | {cpu_ceiling / m['cpu_ms']:.2%} |"
        )
    return "\n".join(rows)


def main() -> None:
    args = parse_args()
    wanted = set(filter(None, args.only.split(","))) or {
        "hello",
        "coach floor",
        "submit",
        "self report",
        "360 report",
        "hr summary",
    }
    url = configure_environment(args)
    about = machine()
    print(f"machine: {about}", flush=True)
    seeded = seed(args)
    from coach import create_app

    app = create_app()
    targets = prepare_targets(app)
    queries = count_queries(app, targets)
    print(f"SQL statements per page: {queries}", flush=True)
    log = args.workdir / "gunicorn.log"
    results: dict[str, dict[str, Any]] = {}
    with gunicorn("bench.hello:app", args.workers, "/", log) as port:
        results["hello"] = measure_get(port, "/", args)
    servers = [("", args.app_module)]
    if args.compare_all_immediate:
        servers.append((" (all IMMEDIATE)", "bench.all_immediate:app"))
    for suffix, module in servers:
        with gunicorn(module, args.workers, "/static/favicon.svg", log) as port:
            manager, hr = sign_in(port, targets.manager_email), sign_in(port, targets.hr_email)
            pages = {
                # The cheapest coach page (a static template through the whole middleware:
                # session, CSRF, security headers, rate limiter): the app's own floor.
                "coach floor": ("/rate/thanks", ""),
                "self report": (targets.self_report, manager),
                "360 report": (targets.feedback_report, manager),
                "hr summary": (targets.hr_summary, hr),
            }
            for name, (path, cookie) in pages.items():
                if name not in wanted:
                    continue
                print(f"measuring {name}{suffix} ...", flush=True)
                results[name + suffix] = measure_get(port, path, args, cookie)
                if name in REPORTS and args.workers < args.connections:
                    # One connection per worker: the page's own time, without queueing.
                    results[f"{name}{suffix}, no queueing"] = measure_get(
                        port, path, args, cookie, args.workers
                    )
            if "submit" in wanted:
                print(f"measuring submit{suffix} ...", flush=True)
                results["submit" + suffix] = measure_submit(app, port, args)
    ceiling = results["hello"]["median"]["rps"]
    report = table(results, ceiling, results["hello"]["median"]["cpu_ms"])
    print(report)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = args.workdir / f"results-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "machine": about,
                "database": url.split("://")[0],
                "seed_seconds": seeded,
                "hr_summary_path": targets.hr_summary,
                "sql_statements": queries,
                "settings": {k: str(v) for k, v in vars(args).items()},
                "results": results,
                "table": report,
            },
            indent=2,
        )
    )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
