"""A wheel built from the repository runs on its own: pages, styles and questionnaires included.

The repository keeps templates/, static/ and questionnaires/ beside the coach package; the
wheel must carry them inside it. The test builds the wheel with pip, installs it without
dependencies into a folder of its own, and starts the app from that copy in separate
processes, from a working directory outside the repository, with the installed copy ahead
of the editable one on the path (the dependencies come from the test's virtualenv). It
migrates a new SQLite database with ``flask db upgrade`` and fetches the sign-in page and
its stylesheet.

The build reads a copy of the sources, not the repository itself: setuptools writes build/
and coach.egg-info/ beside what it builds, and a build/ left by an earlier build can carry
files the repository no longer has into a new wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("templates", "static", "questionnaires")
# What a build does not read: the rest of the repository is copied as it is.
NOT_BUILT = {".git", ".venv", "node_modules", "instance", "build", "dist", "tests", "bench"}
NOT_BUILT_ANYWHERE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.egg-info", "*.whl", ".*_cache", ".hypothesis", "test-artifacts"
)
STEP_SECONDS = 120

# Run by the installed copy: build the app, fetch two pages, report what it served and from where.
FETCH = """
import json, sys
import coach
from coach import create_app

app = create_app({"TESTING": True})
client = app.test_client()
page, css = client.get("/sign-in"), client.get("/static/css/app.css")
vendor = client.get("/static/vendor/chart.umd.js")
json.dump({
    "coach": coach.__file__,
    "templates": app.template_folder,
    "static": app.static_folder,
    "questionnaires": str(app.config["COACH"].questionnaires_dir),
    "page": [page.status_code, page.get_data(as_text=True)],
    "css": [css.status_code, css.get_data(as_text=True)],
    "vendor": [vendor.status_code, len(vendor.get_data())],
}, sys.stdout)
"""


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_SECONDS,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _files(folder: Path) -> set[str]:
    return {
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _not_built(folder: str, names: list[str]) -> set[str]:
    ignored = set(NOT_BUILT_ANYWHERE(folder, names))
    return ignored | (NOT_BUILT & set(names)) if Path(folder) == ROOT else ignored


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the repository, installed without dependencies into a folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_not_built, symlinks=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", "--wheel-dir", str(work / "dist"), str(source)], work)
    wheels = list((work / "dist").glob("coach-*.whl"))
    assert len(wheels) == 1, f"pip built {wheels}"
    with zipfile.ZipFile(wheels[0]) as wheel:
        assert not [name for name in wheel.namelist() if name.startswith(SHIPPED)], (
            "the wheel has top-level folders besides coach/"
        )
    target = work / "site"
    _run([*pip, "install", "--no-deps", "--target", str(target), str(wheels[0])], work)
    return target


def test_the_wheel_holds_every_module_template_static_file_and_questionnaire(installed):
    package = installed / "coach"
    missing = sorted(
        f"coach/{name}"
        for name in _files(ROOT / "coach") - _files(package)
        if name.endswith(".py") or name.startswith("migrations/")
    )
    for folder in SHIPPED:
        missing += sorted(
            f"{folder}/{name}" for name in _files(ROOT / folder) - _files(package / folder)
        )
    assert not missing, (
        "the wheel lacks these files (a module of a new package under coach/: list the package in "
        f"pyproject.toml's [tool.setuptools] packages): {missing}"
    )
    if os.environ.get("CI") == "true":
        assert (package / "static" / "vendor" / "chart.umd.js").is_file(), (
            "static/vendor/ is not in the wheel: has `make vendor` run?"
        )


def test_the_installed_wheel_migrates_a_database_and_serves_sign_in_and_its_styles(
    installed, tmp_path
):
    outside = tmp_path / "elsewhere"  # no repository files around: only the wheel can serve
    outside.mkdir()
    database = tmp_path / "coach.db"
    env = {key: value for key, value in os.environ.items() if not key.startswith("COACH_")}
    env.update(
        PYTHONPATH=str(installed),  # ahead of the virtualenv, so ahead of the editable install
        COACH_DATABASE_URL=f"sqlite:///{database}",
        COACH_INSTANCE_DIR=str(tmp_path / "instance"),
    )
    flask = [sys.executable, "-m", "flask", "--app", "coach"]

    _run([*flask, "db", "upgrade"], outside, env)
    head = ScriptDirectory(str(ROOT / "coach" / "migrations")).get_current_head()
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]

    served = json.loads(_run([sys.executable, "-c", FETCH], outside, env))
    package = installed / "coach"
    assert Path(served["coach"]).is_relative_to(installed), served["coach"]
    assert served["templates"] == str(package / "templates")
    assert served["static"] == str(package / "static")
    assert served["questionnaires"] == str(package / "questionnaires")
    status, page = served["page"]
    assert status == 200
    assert "<h1>Sign in</h1>" in page
    assert 'name="password"' in page
    assert 'href="/static/css/app.css' in page
    status, css = served["css"]
    assert status == 200
    assert css == (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    vendored = ROOT / "static" / "vendor" / "chart.umd.js"
    if vendored.is_file():
        assert served["vendor"] == [200, vendored.stat().st_size]
