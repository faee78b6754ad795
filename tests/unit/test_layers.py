"""Data flows one way: the observations and the metrics import no engine module (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "simkit"


def simkit_imports(path: Path) -> set[str]:
    """The simkit modules a file imports (also under TYPE_CHECKING or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simkit"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("simkit")}
    return found


@pytest.mark.parametrize("module, allowed", [
    ("units.py", set()),
    ("metric_declaration.py", set()),  # Metric and the units' names: a leaf
    ("registry.py", {"simkit.metric_declaration"}),  # the metric registry reads only the declaration
    ("observations.py", {"simkit.scenario.schema"}),  # for a type annotation only
    ("costs.py", {"simkit.scenario.schema"}),  # person-years and euros: for a type annotation only
    ("intervals.py", set()),  # counting over intervals of time: numpy only
    ("memo.py", set()),  # values kept per object: the standard library only
    ("status_metrics.py", {"simkit.observations", "simkit.intervals", "simkit.units", "simkit.memo"}),
    ("metrics.py", {"simkit.observations", "simkit.registry", "simkit.units", "simkit.costs", "simkit.intervals",
                    "simkit.status_metrics", "simkit.memo"}),
])
def test_results_do_not_import_the_engine(module, allowed):
    assert simkit_imports(PACKAGE / module) <= allowed


MAX_LINES = 350


@pytest.mark.parametrize("module", sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")))
def test_no_module_is_longer_than_350_lines(module):
    assert len((PACKAGE / module).read_text(encoding="utf-8").splitlines()) <= MAX_LINES
