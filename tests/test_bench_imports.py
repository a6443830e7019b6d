"""The benchmarks import atelier's modules lazily, inside functions: a rename in atelier
would only break them when someone runs ``bench/run.py``. This test reads every
``from atelier… import …`` in ``bench/`` and checks that each name still exists."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(BENCH.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module.startswith("atelier"):
                for alias in node.names:
                    found.append((f"{path.name}:{node.lineno}", node.module, alias.name))
    return found


IMPORTS = _imports()


def test_bench_has_imports_to_check() -> None:
    assert len(IMPORTS) > 20


@pytest.mark.parametrize(
    ("where", "module", "name"), IMPORTS, ids=[f"{where} {name}" for where, _, name in IMPORTS]
)
def test_bench_import_exists(where: str, module: str, name: str) -> None:
    imported = importlib.import_module(module)
    assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}") is not None, (
        f"{where}: {module} has no {name}"
    )
