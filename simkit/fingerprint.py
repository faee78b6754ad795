"""The model fingerprint: which code decides a replication's numbers, as one short hash.

The run store keys every stored replication by it, so that results computed by other code are
never reused. It is computed from the modules themselves: :func:`simkit.runner.simulate`'s
module and every simkit module it imports, directly or not, followed through the import
statements (not from file names, so moving code cannot silently drop a file).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
from pathlib import Path

MODEL_ROOT = "simkit.runner"  # the module whose code, with everything it imports from simkit, decides the numbers


@functools.cache
def model_fingerprint() -> str:
    """A short SHA-256 of the source of every module that decides a replication's numbers: the
    simkit modules that ``MODEL_ROOT`` imports, directly or not (:func:`model_modules`)."""
    digest = hashlib.sha256()
    for name, source in model_modules().items():
        digest.update(name.encode())
        digest.update(source)
    return digest.hexdigest()[:16]


def model_modules(root: str = MODEL_ROOT) -> dict[str, bytes]:
    """``{module name: source bytes}`` of ``root`` and every simkit module it imports, followed
    through the import statements (sorted by name). Raises ``RuntimeError`` naming the module
    whose source file is missing, so that moved code cannot drop out of the fingerprint."""
    sources: dict[str, bytes] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if name in sources:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            raise RuntimeError(f"model fingerprint: no Python source file for {name}")
        try:
            sources[name] = Path(spec.origin).read_bytes()
        except OSError as error:
            raise RuntimeError(f"model fingerprint: cannot read the source of {name}: {error}") from None
        package = name if spec.submodule_search_locations is not None else name.rpartition(".")[0]
        pending.extend(_simkit_imports(sources[name], package))
    return dict(sorted(sources.items()))


def _simkit_imports(source: bytes, package: str) -> list[str]:
    """The simkit modules a module's source imports (``from simkit.x import y``: ``simkit.x`` and,
    if it is a module, ``simkit.x.y``); the package root ``simkit`` (the public API) is left out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found += [base, *(f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}"))]
    return [module for module in found if module.startswith("simkit.")]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # ``name`` is an attribute of a module, not a module
        return False
