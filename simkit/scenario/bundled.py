"""The scenario files shipped inside the package (``simkit/scenarios``), found from a source tree
and from an installed wheel alike."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SCENARIOS_DIR = Path(str(files("simkit") / "scenarios"))


def bundled_scenarios() -> dict[str, Path]:
    """Scenario files shipped with simkit: ``{name without .toml: path}``, sorted by name."""
    return {path.stem: path for path in sorted(SCENARIOS_DIR.rglob("*.toml"))}
