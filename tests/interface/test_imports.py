"""No import circles through the command line, the runner, the executors and the run store;
and the store's model fingerprint covers exactly the code a replication runs."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

import simkit
from simkit import fingerprint as store

PACKAGE = Path(simkit.__file__).parent
OWNED = ("simkit", "simkit.cli", "simkit.runner", "simkit.executors", "simkit.store", "simkit.planning")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> set[str]:
    """simkit modules that module ``name`` imports, also inside functions (a function's import is
    a circle all the same), but not under ``if TYPE_CHECKING:`` (never run)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _statements(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in found if module == "simkit" or module.startswith("simkit.")} - {name}


def _statements(tree: ast.AST):
    """Every node of ``tree`` except what is under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from _statements(node)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: _imports(path, name) & set(modules) for name, path in modules.items()}


def _cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path start -> ... -> start in ``graph``, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for following in graph.get(node, ()):
            if following == start:
                return [*path, start]
            if following not in seen:
                seen.add(following)
                stack.append((following, [*path, following]))
    return None


@pytest.mark.parametrize("module", sorted(name for name in _graph()
                                          if any(name == o or name.startswith(f"{o}.") for o in OWNED[1:])
                                          or name == "simkit"))
def test_no_import_circle_through(module):
    assert _cycle_through(module, _graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle_through("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_fingerprint_covers_the_model_the_runner_imports():
    modules = store.model_modules()
    assert {"simkit.runner", "simkit.metrics", "simkit.scenario.schema", "simkit.scenario.timeline"} <= set(modules)
    assert any(name.startswith("simkit.model.") for name in modules)
    assert "simkit" not in modules and not any(name.startswith(("simkit.cli", "simkit.ui")) for name in modules)


def test_the_fingerprint_fails_loudly_when_a_module_file_is_missing(tmp_path, monkeypatch):
    (tmp_path / "fake_root.py").write_text("from simkit.model import gone_missing\nimport simkit.not_a_module\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RuntimeError, match="no Python source file for simkit.not_a_module"):
        store.model_modules("fake_root")
