"""HR analytics at scale: seeding, recluster, assignment and the HR pages at 1k/10k/100k people.

    .venv/bin/python bench/hr_scale.py                                  # everything (~30 min)
    .venv/bin/python bench/hr_scale.py --people 1000 --database sqlite  # a quick try (~4 min)

For each number of people N (``--people``) and each database (``--database``):

1. a fresh database (SQLite: /tmp/coach-hr-bench/sqlite-<N>/hr.db; PostgreSQL: the database
   ``coach_hr_bench_<N>`` on ``--postgres``), ``flask db upgrade``, then
   ``flask seed-synthetic --people N --seed 1`` (timed; it also rebuilds the HR summary tables);
2. ``flask recluster`` (timed, wall clock of the command);
3. in process: ``archetype_assignment.assign_assessment`` on ~200 existing submitted
   self-assessments, each inside a write transaction that is rolled back afterwards (timed:
   the call alone); the same for ``hr_summary.record_assessment`` (the assignment plus the
   person's HR summary refresh: everything a submission adds for HR analytics);
4. gunicorn (2 sync workers, 127.0.0.1) and wrk (2 threads, 8 connections, 2 s warm-up then
   3 runs of 10 s, median of runs), signed in as HR: GET /api/v1/hr/summary and GET
   /hr/dashboard (the page with the heatmap) for the whole organisation, for the top unit
   (its divisions are the heatmap's rows) and for one mid-level unit (the first unit, by id,
   two levels below the top that has sub-units: a department); server CPU per request from
   /proc, and on PostgreSQL also the CPU of the database's backends; each page's SQL
   statements and in-process time beforehand;
5. after the server is stopped: ``assessments.submit_assessment`` of ~30 new self-assessments
   of seeded people (the whole submission, commit included), for scale.

Before each block it waits (up to ``--wait-minutes``) while another benchmark runs
(``--wait-for``), and it records the load average before and after each block.

Everything goes to <workdir>/<db>-<N>/results.json and <workdir>/results-<time>.json, and a
Markdown table to stdout. The database is dropped (PostgreSQL) or deleted (SQLite) at the
end unless ``--keep``. Only 127.0.0.1 is used; every server started here is stopped.
Reuses bench/run.py's machinery (environment, gunicorn, sign-in, wrk, medians, /proc CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
# This tree's coach package, also when the script runs from a copy of the project (a
# snapshot made with ``git archive``): flask and gunicorn import it from their working
# directory, the project root, and so must this process.
sys.path.insert(0, str(BENCH.parent))
import run  # noqa: E402  (bench/run.py: the shared machinery)

ROOT = run.ROOT
HR_EMAIL = "bench-hr@bench.example"
SEED_TIMEOUT = 3 * 3600
RECLUSTER_TIMEOUT = 3600
WAIT_POLL_SECONDS = 30


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", default="1000,10000,100000", help="comma-separated")
    parser.add_argument("--database", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/coach-hr-bench"))
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432",
        help="server URL without a database name (127.0.0.1 only)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases at the end")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with a database kept by --keep: skip migrating and seeding (no seeding time)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--assign-calls", type=int, default=200)
    parser.add_argument("--submit-calls", type=int, default=30)
    parser.add_argument(
        "--wait-for",
        default="bench/run.py",
        help="pgrep -f pattern of other benchmarks to wait for before each block ('' = none)",
    )
    parser.add_argument("--wait-minutes", type=float, default=30.0)
    parser.add_argument("--only", default="", help="subset of: seed,recluster,assign,web,submit")
    args = parser.parse_args()
    args.people_list = [int(n) for n in args.people.split(",") if n.strip()]
    args.databases = [d.strip() for d in args.database.split(",") if d.strip()]
    for name in args.databases:
        if name not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {name!r}")
    if not re.match(r"postgresql://[^/@]*@127\.0\.0\.1(:\d+)?/?$", args.postgres):
        parser.error("--postgres must be postgresql://<user>@127.0.0.1[:port]")
    return args


# -- the shared machine ----------------------------------------------------------------------


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def others_running(pattern: str) -> list[str]:
    if not pattern:
        return []
    found = subprocess.run(["pgrep", "-af", pattern], capture_output=True, text=True).stdout
    mine = {str(os.getpid()), str(os.getppid())}
    return [line for line in found.splitlines() if line.split(" ", 1)[0] not in mine]


def wait_until_quiet(args: argparse.Namespace) -> dict[str, Any]:
    """Wait (bounded) until no other benchmark runs; what was found and how long it took."""
    started = time.monotonic()
    deadline = started + 60 * args.wait_minutes
    found = others_running(args.wait_for)
    while found and time.monotonic() < deadline:
        print(f"  waiting for another benchmark: {found[0][:100]}", flush=True)
        time.sleep(WAIT_POLL_SECONDS)
        found = others_running(args.wait_for)
    return {
        "waited_s": round(time.monotonic() - started, 1),
        "still_running": found,  # non-empty: gave up waiting after --wait-minutes
    }


@contextmanager
def block(record: dict[str, Any], name: str, args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """A measured block: waits for other benchmarks, records the load before and after."""
    entry: dict[str, Any] = {"quiet": wait_until_quiet(args), "load_before": load()}
    entry["started"] = time.strftime("%H:%M:%S")
    record[name] = entry
    try:
        yield entry
    finally:
        entry["load_after"] = load()
        entry["ended"] = time.strftime("%H:%M:%S")


def git_state() -> dict[str, Any]:
    """What is measured: the commit and uncommitted changes, or the snapshot's commit (a
    ``git archive`` copy has no .git; write its commit to SNAPSHOT-COMMIT beside bench/)."""
    import coach

    found: dict[str, Any] = {"coach_package": str(Path(coach.__file__).parent)}
    marker = ROOT / "SNAPSHOT-COMMIT"
    if marker.exists():
        return found | {"snapshot_of": marker.read_text().strip()}
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "coach"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    return found | {"head": head, "uncommitted_in_coach": changed}


def machine() -> dict[str, Any]:
    about: dict[str, Any] = run.machine()
    about["psql"] = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
    about["psql"] = about["psql"].strip()
    try:
        import gunicorn

        about["gunicorn"] = gunicorn.__version__
    except ImportError:  # pragma: no cover
        pass
    return about


# -- databases -------------------------------------------------------------------------------


def database_url(args: argparse.Namespace, kind: str, people: int, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'hr.db'}"
    return f"{args.postgres.rstrip('/')}/coach_hr_bench_{people}"


def _postgres_admin(args: argparse.Namespace, statement: str) -> None:
    """One statement on the server's ``postgres`` database, in autocommit."""
    from sqlalchemy import create_engine, text

    url = args.postgres.rstrip("/").replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(f"{url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def create_database(args: argparse.Namespace, kind: str, people: int, workdir: Path) -> None:
    """A fresh, empty database."""
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (workdir / f"hr.db{suffix}").unlink(missing_ok=True)
        return
    name = f"coach_hr_bench_{people}"
    _postgres_admin(args, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres_admin(args, f'CREATE DATABASE "{name}"')


def drop_database(args: argparse.Namespace, kind: str, people: int, workdir: Path) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (workdir / f"hr.db{suffix}").unlink(missing_ok=True)
        (workdir / "seeded").unlink(missing_ok=True)
        return
    _postgres_admin(args, f'DROP DATABASE IF EXISTS "coach_hr_bench_{people}" WITH (FORCE)')


def database_size(kind: str, people: int, workdir: Path, args: argparse.Namespace) -> int:
    """Bytes on disk (SQLite file + WAL, or pg_database_size)."""
    if kind == "sqlite":
        return sum(p.stat().st_size for p in workdir.glob("hr.db*") if p.is_file())
    from sqlalchemy import create_engine, text

    url = args.postgres.rstrip("/").replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(f"{url}/postgres")
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text("SELECT pg_database_size(:name)"), {"name": f"coach_hr_bench_{people}"}
                ).scalar_one()
            )
    finally:
        engine.dispose()


# -- 1 and 2: the commands -------------------------------------------------------------------


def flask_command(*words: str, timeout: int) -> tuple[float, str]:
    """Run ``flask --app coach <words>``; wall seconds and its output (raises on failure)."""
    command = [sys.executable, "-m", "flask", "--app", "coach", *words]
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=dict(os.environ)
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(words)} failed:\n{done.stdout}\n{done.stderr}")
    return took, done.stdout + done.stderr


def seed(entry: dict[str, Any], people: int) -> None:
    took, _ = flask_command("db", "upgrade", timeout=600)
    entry["migrate_s"] = round(took, 2)
    took, output = flask_command(
        "seed-synthetic", "--people", str(people), "--seed", "1", timeout=SEED_TIMEOUT
    )
    entry["seed_s"] = round(took, 2)
    entry["output"] = output.strip().splitlines()[-12:]
    summary = re.search(
        r"Seeded (\d+) people in (\d+) units, (\d+) assessments, (\d+) rounds, "
        r"(\d+) responses in ([\d.]+) s",
        output,
    )
    if summary:
        keys = ("people", "units", "assessments", "rounds", "responses", "seed_reported_s")
        entry.update(
            {
                k: float(v) if "." in v else int(v)
                for k, v in zip(keys, summary.groups(), strict=True)
            }
        )


def recluster(entry: dict[str, Any]) -> None:
    took, output = flask_command("recluster", timeout=RECLUSTER_TIMEOUT)
    entry["recluster_s"] = round(took, 2)
    entry["output"] = output.strip().splitlines()[-20:]
    found = re.search(
        r"Model version (\d+) \((\w+), k=(\d+).*?(\d+) people assigned in ([\d.]+) s", output, re.S
    )
    if found:
        entry.update(
            version=int(found.group(1)),
            kind=found.group(2),
            k=int(found.group(3)),
            assigned=int(found.group(4)),
            reported_s=float(found.group(5)),
        )


# -- 3: assignment, in process ---------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_of(times_ms: list[float]) -> dict[str, float]:
    return {
        "calls": len(times_ms),
        "median_ms": round(statistics.median(times_ms), 3),
        "p95_ms": round(percentile(times_ms, 95), 3),
        "max_ms": round(max(times_ms), 3),
        "mean_ms": round(statistics.fmean(times_ms), 3),
    }


def sample_assessments(app: Any, count: int) -> list[int]:
    """Ids of ``count`` submitted self-assessments on the default instrument, seeded sample."""
    from sqlalchemy import select

    from coach.extensions import db
    from coach.instruments_registry import default_instrument
    from coach.models import Assessment, AssessmentStatus

    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Assessment.id)
                .where(
                    Assessment.instrument_id == default_instrument().id,
                    Assessment.status == AssessmentStatus.SUBMITTED.value,
                )
                .order_by(Assessment.id)
            )
        )
        db.session.remove()
    return sorted(random.Random(1).sample(ids, min(count, len(ids))))


def time_in_transaction(
    app: Any, ids: list[int], call: Callable[[Any, Any, Any], object]
) -> dict[str, Any]:
    """``call(session, assessment, instrument)`` once per id, timed alone, each rolled back.

    Before the timer: the write transaction is begun (``begin_immediate``: on SQLite a
    submission already holds the write lock when it assigns; a no-op on PostgreSQL) and the
    assessment loaded in it. After it: rollback, so the database is unchanged.
    SQL statements per call are counted with a ``before_cursor_execute`` listener.
    """
    from sqlalchemy import event

    from coach.db_sqlite import begin_immediate
    from coach.extensions import db
    from coach.instruments_registry import default_instrument
    from coach.models import Assessment

    statements: list[int] = []

    def count(*_: object) -> None:
        statements[-1] += 1

    times: list[float] = []
    with app.app_context():
        instrument = default_instrument()
        engine = db.engine
        session: Any = db.session  # the scoped session, used as a Session
        for warm in ids[:5]:  # parse the model once per process, warm the caches
            begin_immediate(session)
            assessment = session.get(Assessment, warm)
            call(session, assessment, instrument)
            session.rollback()
        event.listen(engine, "before_cursor_execute", count)
        try:
            for assessment_id in ids:
                statements.append(0)
                begin_immediate(session)
                assessment = session.get(Assessment, assessment_id)
                statements[-1] = 0  # only the call's own statements
                started = time.perf_counter()
                call(session, assessment, instrument)
                times.append(1000 * (time.perf_counter() - started))
                session.rollback()
        finally:
            event.remove(engine, "before_cursor_execute", count)
            session.rollback()
            db.session.remove()
    return summary_of(times) | {"statements": statistics.median(statements)}


def assignment(app: Any, entry: dict[str, Any], calls: int) -> None:
    from coach.services.archetypes import assignment as archetype_assignment
    from coach.services.hr import summary as hr_summary

    ids = sample_assessments(app, calls)
    entry["assign_assessment"] = time_in_transaction(
        app, ids, lambda s, a, _i: archetype_assignment.assign_assessment(s, a)
    )
    entry["record_assessment"] = time_in_transaction(
        app, ids, lambda s, a, i: hr_summary.record_assessment(s, a, i)
    )


def full_submissions(app: Any, entry: dict[str, Any], calls: int) -> None:
    """``submit_assessment`` (scoring, lock, scores, assignment, summary refresh, commit) of
    new self-assessments of seeded people; the drafts are prepared untimed."""
    from sqlalchemy import select

    from coach.extensions import db
    from coach.instruments_registry import default_instrument
    from coach.models import Assessment, User
    from coach.services.assessments import self_assessment as assessments

    ids = sample_assessments(app, calls + 5)
    times: list[float] = []
    with app.app_context():
        instrument = default_instrument()
        session: Any = db.session
        owners = [
            session.scalar(select(Assessment.owner_id).where(Assessment.id == i)) for i in ids
        ]
        for n, owner_id in enumerate(owners):
            owner = session.get(User, owner_id)
            draft = assessments.start_assessment(session, owner, instrument)
            for index, page in enumerate(instrument.pages):
                answers = {
                    item.id: 1 + (n + k) % 5 for k, item in enumerate(instrument.items_on(page))
                }
                assessments.save_page(session, draft, instrument, index, answers, index + 1)
            started = time.perf_counter()
            assessments.submit_assessment(session, draft, instrument)
            if n >= 5:  # the first five warm up
                times.append(1000 * (time.perf_counter() - started))
        db.session.remove()
    entry["submit_assessment"] = summary_of(times)


# -- 4: the pages under gunicorn -------------------------------------------------------------


def prepare_hr(app: Any) -> dict[str, Any]:
    """The HR account, and the mid-level unit: the first division (a child of the top unit)."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import aliased

    from coach.extensions import db
    from coach.models import OrgUnit, Role, User
    from coach.services.accounts import accounts

    parent = aliased(OrgUnit)

    with app.app_context():
        session: Any = db.session
        if accounts.find_by_email(session, HR_EMAIL) is None:
            accounts.create_user(
                session, accounts.NewAccount(HR_EMAIL, "Bench HR", Role.HR, run.PASSWORD)
            )
        top = db.session.scalar(
            select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)
        )
        if top is None:
            raise RuntimeError("no unit: was the database seeded?")
        division = db.session.scalar(
            select(OrgUnit).where(OrgUnit.parent_id == top.id).order_by(OrgUnit.id)
        )
        if division is None:
            raise RuntimeError("the top unit has no child unit")
        # Mid-level: the first unit (by id) two levels below the top that has units of its
        # own, a department; the first division if there is none.
        has_children = select(OrgUnit.parent_id).where(OrgUnit.parent_id.is_not(None))
        unit = (
            db.session.scalar(
                select(OrgUnit)
                .join(parent, OrgUnit.parent_id == parent.id)
                .where(parent.parent_id == top.id, OrgUnit.id.in_(has_children))
                .order_by(OrgUnit.id)
                .limit(1)
            )
            or division
        )

        def people_under(found: OrgUnit) -> int:
            return int(
                db.session.scalar(
                    select(func.count())
                    .select_from(User)
                    .join(OrgUnit, User.unit_id == OrgUnit.id)
                    .where(OrgUnit.tree_path.like(found.tree_path + "%"))
                )
                or 0
            )

        def children(found: OrgUnit) -> int:
            return int(
                db.session.scalar(
                    select(func.count()).select_from(OrgUnit).where(OrgUnit.parent_id == found.id)
                )
                or 0
            )

        about = {
            "top": {
                "id": top.public_id,
                "name": top.name,
                "people": people_under(top),
                "children": children(top),
            },
            "unit": {
                "id": unit.public_id,
                "name": unit.name,
                "depth_below_top": unit.tree_path.count("/") - top.tree_path.count("/"),
                "people": people_under(unit),
                "children": children(unit),
            },
        }
        db.session.remove()
    return about


PAGES = (
    "hr summary, whole org",
    "hr summary, top unit",
    "hr summary, one unit",
    "dashboard (heatmap), whole org",
    "dashboard (heatmap), top unit",
    "dashboard (heatmap), one unit",
)


def pages(top_id: str, unit_id: str) -> dict[str, str]:
    """The summary API and the dashboard page for the whole organisation, the top unit (its
    children, the divisions, are the heatmap's rows) and one division (mid-level)."""
    found = {}
    for name, query in (("whole org", ""), ("top unit", top_id), ("one unit", unit_id)):
        unit = f"?unit={query}" if query else ""
        found[f"hr summary, {name}"] = f"/api/v1/hr/summary{unit}"
        found[f"dashboard (heatmap), {name}"] = f"/hr/dashboard{unit}"
    return {name: found[name] for name in PAGES}


def in_process(app: Any, paths: dict[str, str], repeats: int = 5) -> dict[str, dict[str, Any]]:
    """Through the test client, signed in as HR: status, bytes, SQL statements and the
    median time of ``repeats`` requests (one at a time: the request's own time)."""
    from sqlalchemy import event

    from coach.extensions import db

    with app.app_context():
        engine = db.engine
    client = app.test_client()
    token = run.CSRF.search(client.get("/sign-in").text)
    if token is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    client.post(
        "/sign-in",
        data={"email": HR_EMAIL, "password": run.PASSWORD, "csrf_token": token.group(1)},
    )
    statements: list[str] = []

    def count(*_: object) -> None:
        statements.append("")

    found: dict[str, dict[str, Any]] = {}
    for name, path in paths.items():
        response = client.get(path)  # warm
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        event.listen(engine, "before_cursor_execute", count)
        statements.clear()
        client.get(path)
        event.remove(engine, "before_cursor_execute", count)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            client.get(path)
            times.append(1000 * (time.perf_counter() - started))
        found[name] = {
            "bytes": len(response.data),
            "statements": len(statements),
            "in_process_median_ms": round(statistics.median(times), 1),
        }
    return found


def postgres_backend_cpu(database: str) -> float:
    """User + system CPU seconds of the PostgreSQL backends connected to ``database``."""
    ticks = 0
    needle = f" {database} "
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not command.startswith("postgres: ") or needle not in command:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure_get(
    port: int, path: str, args: argparse.Namespace, cookie: str, database: str | None
) -> dict[str, Any]:
    """run.py's method (warm-up, then ``--runs`` runs, median) plus the PostgreSQL backends'
    CPU per request when ``database`` names one."""
    headers = [f"Cookie: {cookie}"]
    run.run_wrk(port, path, args, 2, "get.lua", headers, [])
    runs = []
    for _ in range(args.runs):
        run.settle(port)
        db_before = postgres_backend_cpu(database) if database else 0.0
        result = run.run_wrk(port, path, args, args.seconds, "get.lua", headers, [])
        if database:
            used = postgres_backend_cpu(database) - db_before
            result["db_cpu_ms"] = 1000 * used / max(result["requests"], 1)
        if not result["requests"]:
            raise RuntimeError(f"GET {path}: no request completed: {result}")
        runs.append(result)
    run.settle(port)
    median = run.median_of(runs)
    if database:
        median["db_cpu_ms"] = statistics.median(r["db_cpu_ms"] for r in runs)
    median["requests_per_run"] = statistics.median(r["requests"] for r in runs)
    failed = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in runs)
    return {"median": median, "runs": runs, "connections": args.connections, "failed": failed}


def web(
    app: Any, record: dict[str, Any], args: argparse.Namespace, workdir: Path, database: str | None
) -> None:
    about = prepare_hr(app)
    record["units"] = about
    paths = pages(about["top"]["id"], about["unit"]["id"])
    record["in_process"] = in_process(app, paths)
    from coach.extensions import db

    with app.app_context():
        db.engine.dispose()  # no idle connection of ours beside the servers
    with run.gunicorn(
        "wsgi:app", args.workers, "/static/favicon.svg", workdir / "gunicorn.log"
    ) as port:
        cookie = run.sign_in(port, HR_EMAIL)
        for name, path in paths.items():
            with block(record, name, args) as entry:
                print(f"  measuring {name} ...", flush=True)
                entry.update(path=path, **measure_get(port, path, args, cookie, database))
                m = entry["median"]
                print(
                    f"    {m['rps']:.1f} req/s, p50 {m['p50_ms']:.0f} ms, p95 {m['p95_ms']:.0f} "
                    f"ms, p99 {m['p99_ms']:.0f} ms, CPU {m['cpu_ms']:.1f} ms/request",
                    flush=True,
                )


# -- one database at one size ----------------------------------------------------------------


def one(args: argparse.Namespace, kind: str, people: int, wanted: set[str]) -> dict[str, Any]:
    workdir = args.workdir / f"{kind}-{people}"
    workdir.mkdir(parents=True, exist_ok=True)
    url = database_url(args, kind, people, workdir)
    settings = argparse.Namespace(workdir=workdir, database_url=url)
    run.configure_environment(settings)
    record: dict[str, Any] = {"database": kind, "people": people, "url": url}
    record["git"] = git_state()
    record["started"] = time.strftime("%Y-%m-%d %H:%M:%S")
    marker = workdir / "seeded"
    database = f"coach_hr_bench_{people}" if kind == "postgresql" else None
    print(f"== {kind}, {people} people ({url})", flush=True)
    try:
        if args.reuse and marker.exists():
            record["seed"] = json.loads(marker.read_text()) | {"reused": True}
        elif "seed" in wanted:
            create_database(args, kind, people, workdir)
            with block(record, "seed", args) as entry:
                print("  seeding ...", flush=True)
                seed(entry, people)
                print(f"    {entry['seed_s']:.1f} s", flush=True)
            marker.write_text(json.dumps(record["seed"]))
        record["database_bytes"] = database_size(kind, people, workdir, args)
        if "recluster" in wanted:
            with block(record, "recluster", args) as entry:
                print("  recluster ...", flush=True)
                recluster(entry)
                print(
                    f"    {entry['recluster_s']:.1f} s ({entry.get('kind')}, k={entry.get('k')})",
                    flush=True,
                )
        from coach import create_app

        app = create_app()
        try:
            if "assign" in wanted:
                with block(record, "assignment", args) as entry:
                    print("  assignment ...", flush=True)
                    assignment(app, entry, args.assign_calls)
                    a = entry["assign_assessment"]
                    print(
                        f"    median {a['median_ms']:.2f} ms, p95 {a['p95_ms']:.2f} ms", flush=True
                    )
            if "web" in wanted:
                web(app, record, args, workdir, database)
            if "submit" in wanted:
                with block(record, "submission", args) as entry:
                    print("  full submissions ...", flush=True)
                    full_submissions(app, entry, args.submit_calls)
        finally:
            from coach.extensions import db

            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        (workdir / "results.json").write_text(json.dumps(record, indent=2, default=str))
        if not args.keep:
            drop_database(args, kind, people, workdir)
            marker.unlink(missing_ok=True)
    return record


# -- tables ----------------------------------------------------------------------------------


def _f(value: Any, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _web(record: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = record.get(name, {}).get("median", {})
    return found


def _loads(record: dict[str, Any], name: str) -> str:
    """1-minute load average before / after a block."""
    e = record.get(name, {})
    if "load_before" not in e:
        return "-"
    return f"{e['load_before'][0]} / {e['load_after'][0]}"


def tables(records: list[dict[str, Any]]) -> str:
    out = []
    for kind in dict.fromkeys(r["database"] for r in records):
        mine = [r for r in records if r["database"] == kind]
        out += [
            f"### {kind}",
            "",
            "| N | seeding s | recluster s | assignment median / p95 ms "
            "| summary + assignment median / p95 ms "
            "| HR summary org p50 / p95 / p99 ms | HR summary unit p50 / p95 / p99 ms "
            "| heatmap page p95 ms (org, top unit, unit) "
            "| CPU ms/request (summary org, unit; page top unit) |",
            "|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for r in mine:
            a = r.get("assignment", {}).get("assign_assessment", {})
            ra = r.get("assignment", {}).get("record_assessment", {})
            org, unit = _web(r, "hr summary, whole org"), _web(r, "hr summary, one unit")
            heat = [
                _web(r, f"dashboard (heatmap), {n}") for n in ("whole org", "top unit", "one unit")
            ]
            cpu = ", ".join(_f(m.get("cpu_ms")) for m in (org, unit, heat[1]))
            out.append(
                f"| {r['people']:,} | {_f(r.get('seed', {}).get('seed_s'))} "
                f"| {_f(r.get('recluster', {}).get('recluster_s'))} "
                f"| {_f(a.get('median_ms'), 2)} / {_f(a.get('p95_ms'), 2)} "
                f"| {_f(ra.get('median_ms'), 2)} / {_f(ra.get('p95_ms'), 2)} "
                f"| {_f(org.get('p50_ms'))} / {_f(org.get('p95_ms'))} / {_f(org.get('p99_ms'))} "
                f"| {_f(unit.get('p50_ms'))} / {_f(unit.get('p95_ms'))} / {_f(unit.get('p99_ms'))} "
                f"| {', '.join(_f(m.get('p95_ms')) for m in heat)} | {cpu} |"
            )
        out += [
            "",
            "| N | page | requests/s | p50 ms | p95 ms | p99 ms | failed | requests/run "
            "| CPU ms/request | DB CPU ms/request | in process ms | SQL statements "
            "| load before / after |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in mine:
            for name in PAGES:
                if name not in r:
                    continue
                m, e = r[name]["median"], r[name]
                p = r.get("in_process", {}).get(name, {})
                out.append(
                    f"| {r['people']:,} | {name} | {_f(m['rps'])} | {_f(m['p50_ms'])} "
                    f"| {_f(m['p95_ms'])} | {_f(m['p99_ms'])} | {e['failed']} "
                    f"| {m['requests_per_run']:.0f} | {_f(m['cpu_ms'])} "
                    f"| {_f(m.get('db_cpu_ms'))} | {_f(p.get('in_process_median_ms'))} "
                    f"| {p.get('statements', '-')} "
                    f"| {' '.join(map(str, e['load_before'][:1]))} / "
                    f"{' '.join(map(str, e['load_after'][:1]))} |"
                )
        out += [
            "",
            "| N | load before / after seeding | recluster | assignment "
            "| full submit median / p95 ms |",
            "|---:|---|---|---|---:|",
        ]
        for r in mine:
            s = r.get("submission", {}).get("submit_assessment", {})
            out.append(
                f"| {r['people']:,} | {_loads(r, 'seed')} | {_loads(r, 'recluster')} "
                f"| {_loads(r, 'assignment')} "
                f"| {_f(s.get('median_ms'), 1)} / {_f(s.get('p95_ms'), 1)} |"
            )
        out.append("")
    return "\n".join(out)


def child(args: argparse.Namespace, kind: str, people: int) -> None:
    """This script for one database and one size, in a process of its own."""
    command = [sys.executable, str(Path(__file__).resolve()), "--database", kind]
    command += ["--people", str(people), "--workdir", str(args.workdir)]
    command += ["--postgres", args.postgres, "--wait-for", args.wait_for]
    for option in (
        "runs",
        "seconds",
        "connections",
        "threads",
        "workers",
        "assign_calls",
        "submit_calls",
        "wait_minutes",
    ):
        command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    if args.only:
        command += ["--only", args.only]
    command += ["--keep"] * args.keep + ["--reuse"] * args.reuse
    (args.workdir / f"{kind}-{people}" / "results.json").unlink(missing_ok=True)
    # A session of its own: a Ctrl-C reaches this process only, which passes it on once.
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        code = process.wait()
    except KeyboardInterrupt:  # let the child stop its servers and drop its database
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        raise
    if code != 0:
        raise RuntimeError(f"{kind}, {people} people: exit status {code}")


def interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # Ctrl-C and SIGTERM unwind through the context managers (servers stopped, databases
    # dropped), even when a shell started this in the background with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    args = parse_args()
    wanted = set(filter(None, args.only.split(","))) or {
        "seed",
        "recluster",
        "assign",
        "web",
        "submit",
    }
    args.workdir.mkdir(parents=True, exist_ok=True)
    about = machine()
    print(f"machine: {about}", flush=True)
    records: list[dict[str, Any]] = []
    started = time.strftime("%Y%m%d-%H%M%S")
    out = args.workdir / f"results-{started}.json"

    def save() -> None:
        out.write_text(
            json.dumps(
                {
                    "machine": about,
                    "git": git_state(),
                    "settings": {k: str(v) for k, v in vars(args).items()},
                    "records": records,
                    "table": tables(records) if records else "",
                    "load_at_end": load(),
                },
                indent=2,
                default=str,
            )
        )

    combos = [(kind, people) for kind in args.databases for people in args.people_list]
    try:
        for kind, people in combos:
            if len(combos) == 1:
                records.append(one(args, kind, people, wanted))
            else:  # a process per combination: no cache or memory carried from one to the next
                child(args, kind, people)
                found = args.workdir / f"{kind}-{people}" / "results.json"
                records.append(json.loads(found.read_text()))
            save()
    finally:
        save()
    print(tables(records))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
