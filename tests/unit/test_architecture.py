"""What import-linter cannot check about the pure core (docs/architecture.md, "Layers").

The contracts in pyproject.toml ([tool.importlinter], run by ``lint-imports`` in ``make test``)
keep the layers, the blueprints and the pure packages apart. They can only forbid modules
they are told about, so two rules stay here: a pure package imports nothing outside the
standard library and the numeric libraries, and every coach module outside the pure
packages is named in the pure packages' forbidden list, so a new one cannot slip past it.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

PURE = ("instrument", "scoring", "analytics", "coaching")
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "sklearn", "yaml"}
ROOT = Path(__file__).resolve().parents[2]
COACH = ROOT / "coach"
PURE_CONTRACT = "Pure packages know nothing of the web, the database or the services"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _pure_modules() -> list[Path]:
    return [
        p for package in PURE if (COACH / package).is_dir() for p in (COACH / package).rglob("*.py")
    ]


@pytest.mark.parametrize("module", _pure_modules(), ids=lambda p: str(p.relative_to(COACH)))
def test_pure_packages_import_only_the_standard_library_and_numeric_libraries(module: Path):
    for name in _imports(module):
        top = name.split(".")[0]
        if top == "coach":
            continue  # which coach modules they may use is the import-linter contract's job
        assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
            f"{module.name} imports {name}"
        )


def test_every_module_outside_the_pure_packages_is_forbidden_to_them():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    pure = next(c for c in contracts if c["name"] == PURE_CONTRACT)
    assert sorted(pure["source_modules"]) == sorted(f"coach.{p}" for p in PURE)
    forbidden = set(pure["forbidden_modules"])
    top_level = {p.stem for p in COACH.glob("*.py") if p.stem != "__init__"} | {
        p.name for p in COACH.iterdir() if (p / "__init__.py").exists()
    }
    missing = sorted(f"coach.{m}" for m in top_level - set(PURE) if f"coach.{m}" not in forbidden)
    assert not missing, f"add to the pure packages' forbidden_modules: {missing}"


def _top_level_modules() -> list[Path]:
    return sorted([*COACH.glob("*.py"), COACH / "web" / "__init__.py"])


def _is_event_listen(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("listen", "listens_for")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "event"
    )


@pytest.mark.parametrize(
    "module",
    sorted(p for p in COACH.rglob("*.py") if "migrations" not in p.parts),
    ids=lambda p: str(p.relative_to(COACH)),
)
def test_importing_a_module_installs_no_database_listener(module: Path):
    """SQLAlchemy listeners are installed by the app factory (a register or listen function),
    never as a side effect of an import."""
    tree = ast.parse(module.read_text(), filename=str(module))
    for node in tree.body:
        decorators = node.decorator_list if isinstance(node, ast.FunctionDef) else []
        at_import = [node.value] if isinstance(node, ast.Expr) else decorators
        assert not any(_is_event_listen(n) for n in at_import), (
            f"{module.name}:{node.lineno} installs a listener when imported"
        )


def test_services_own_no_loaded_data_and_read_no_settings():
    """Instruments and action libraries are the app's (coach/instruments_registry.py) and are
    passed to services; a service never reads the environment or caches what it loaded."""
    for module in (COACH / "services").rglob("*.py"):
        text = module.read_text()
        assert "Settings.from_env" not in text, f"{module.name} reads the settings itself"
        assert "load_instruments(" not in text, f"{module.name} loads instruments itself"
        assert "load_action_library(" not in text, f"{module.name} loads an action library"


def test_the_factory_wires_every_infrastructure_module_through_its_register():
    """One way in: ``register(app)``, called from coach/app.py; no ``register_*`` aliases and
    no ``*_setup`` module beside the module it sets up."""
    factory = (COACH / "app.py").read_text()
    for module in _top_level_modules():
        tree = ast.parse(module.read_text(), filename=str(module))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert not [n for n in names if n.startswith("register_")], module.name
        name = "web" if module.name == "__init__.py" else module.stem
        if "register" in names and name != "cli_demo" and name != "cli_units":
            assert f"{name}.register(app)" in factory, f"app.py does not call {name}.register"
        if name.endswith("_setup"):
            assert not (COACH / f"{name.removesuffix('_setup')}.py").exists(), module.name
