"""Golden metrics of every bundled scenario: made before the engine split (issue 8), checked after.

``python tests/model/golden.py write`` stores them in ``tests/model/golden.json``; the test
``test_golden.py`` runs the same cases and requires every metric to be bit-identical. A model change
that moves numbers on purpose rewrites the file in its own commit, saying why.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import simkit

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden.json")
SEED = 20210301


def cases() -> dict[str, simkit.Scenario]:
    """Every bundled scenario: the national one cut to 120 days, the multi-area ones to 60, the others
    whole; each other one with statements also with its statements in diary order; and the TE24 file
    with no supplementary need under its 2026 rules (and its statements in diary order)."""
    found = {}
    for path in sorted((ROOT / "scenarios").rglob("*.toml")):
        name = path.relative_to(ROOT / "scenarios").as_posix()
        scenario = simkit.load_scenario(path)
        if scenario.areas:  # a country of areas: 60 days keep the test quick
            scenario = simkit.with_overrides(scenario, {"scenario.days": 60})
        elif name.startswith("national"):
            scenario = simkit.with_overrides(scenario, {"scenario.days": 120})
        found[name] = scenario
        if scenario.statements.per_client_month and not scenario.areas and not name.startswith("national"):
            # statements in the order raised, behind the meetings booked (the model before statements.priority)
            found[f"{name} statements.priority=diary_order"] = simkit.with_overrides(
                scenario, {"statements.priority": "diary_order"})
    # the 2026 rules with no client in need of supplementary conversations, statements in diary order: the
    # numbers of the model before supplementary conversations were need-based (they were dropped), kept
    # bit-identical
    te24 = "te24-seinajoki-ilmajoki-isokyro-2025.toml"
    found[f"{te24}, no supplementary need"] = simkit.with_overrides(
        found[te24], {"meeting.supplementary_need_share": 0.0, "statements.priority": "diary_order"})
    return found


def metrics_of(scenario: simkit.Scenario) -> dict[str, float]:
    """Replications 0 and 1 of one seed, every metric as repr (bit-exact in JSON)."""
    return {f"{replication}:{name}": repr(value)
            for replication in (0, 1)
            for name, value in simkit.simulate(scenario, SEED, replication).metrics.items()}


if __name__ == "__main__" and sys.argv[1:] == ["write"]:
    GOLDEN.write_text(json.dumps({name: metrics_of(s) for name, s in cases().items()}, indent=1, sort_keys=True) + "\n")
