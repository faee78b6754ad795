"""Every metric of every bundled scenario is bit-identical to the golden file (see golden.py)."""

from __future__ import annotations

import json

import pytest

from golden import GOLDEN, cases, metrics_of

GOLDEN_METRICS = json.loads(GOLDEN.read_text())
CASES = cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bundled_scenario_metrics_are_unchanged(name):
    assert name in GOLDEN_METRICS, f"{name} has no golden metrics: run python tests/model/golden.py write"
    assert metrics_of(CASES[name]) == GOLDEN_METRICS[name]
