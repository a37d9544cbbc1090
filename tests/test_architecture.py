"""The floors of the house: rules/ at the bottom (no Django), benefits/ on it, eligibility/ on
both, config/ on top. An arrow pointing up, or a circle of imports, fails here."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rules", "benefits", "eligibility", "config")
FLOOR = {"rules": 0, "benefits": 1, "eligibility": 2, "config": 3}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Project modules `path` imports, anywhere in the file (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name in known}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(path, set(found)) - {name} for name, path in found.items()}


def test_no_import_points_up_a_floor(graph):
    upward = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        for target in targets
        if FLOOR[target.split(".")[0]] > FLOOR[module.split(".")[0]]
    )
    assert upward == []


def test_rules_imports_no_third_party_web_framework():
    for name, path in modules().items():
        if name.startswith("rules"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom | ast.Import):
                    module = getattr(node, "module", None) or node.names[0].name
                    assert not module.startswith(("django", "ninja")), (name, module)


def test_there_is_no_circle_of_imports(graph):
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            module, path = stack.pop()
            for target in graph.get(module, ()):
                if target == start:
                    return [*path, start]
                if target not in path:
                    stack.append((target, [*path, target]))
        return None

    circles = [cycle for module in graph if (cycle := cycle_from(module))]
    assert circles == []


def test_rules_imports_and_screens_with_django_absent():
    """Run in a fresh interpreter where importing Django fails."""
    program = """
import sys
sys.modules["django"] = None  # any `import django…` now raises ImportError
import datetime as dt
from rules import catalogue, compile, dates, engine, expressions, facts, schema, upgrade, validation
empty = schema.Catalogue(documents=[], facts=[], programmes=[])
assert engine.screen(compile.compile_catalogue(empty), {}, dt.date(2026, 1, 1)).results == ()
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr
