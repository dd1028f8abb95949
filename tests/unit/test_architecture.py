"""The pure core never knows about the web or the database (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PURE = ("instrument", "scoring", "analytics", "coaching")
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "sklearn", "yaml"}
COACH = Path(__file__).resolve().parents[2] / "coach"


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
    import sys

    for name in _imports(module):
        top = name.split(".")[0]
        if top == "coach":
            inner = name.split(".")[1] if "." in name else ""
            assert inner in PURE, f"{module.name} imports {name}"
        else:
            assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                f"{module.name} imports {name}"
            )


def test_blueprints_never_import_each_other():
    web = COACH / "web"
    blueprints = {p.name for p in web.iterdir() if p.is_dir() and (p / "routes.py").exists()}
    for blueprint in blueprints:
        for module in (web / blueprint).rglob("*.py"):
            for name in _imports(module):
                parts = name.split(".")
                if parts[:2] == ["coach", "web"] and len(parts) > 2 and parts[2] in blueprints:
                    assert parts[2] == blueprint, f"{module} imports {name}"
