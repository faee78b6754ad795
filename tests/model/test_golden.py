"""Every metric of every bundled scenario is bit-identical to the golden file (see golden.py)."""

from __future__ import annotations

import json
import math

import pytest

from golden import GOLDEN, cases, metrics_of

from simkit.registry import is_share

GOLDEN_METRICS = json.loads(GOLDEN.read_text())
CASES = cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bundled_scenario_metrics_are_unchanged(name):
    assert name in GOLDEN_METRICS, f"{name} has no golden metrics: run python tests/model/golden.py write"
    assert metrics_of(CASES[name]) == GOLDEN_METRICS[name]


@pytest.mark.parametrize("name", sorted(GOLDEN_METRICS))
def test_every_share_of_every_bundled_scenario_lies_between_0_and_1(name):
    """A share outside [0, 1] (utilisation above 1: minutes used that the diaries never had) is a model
    error that no interval can show honestly; the golden file holds every bundled scenario's metrics."""
    outside = {key: value for key, value in GOLDEN_METRICS[name].items()
               if is_share(key.partition(":")[2]) and not 0.0 <= float(value) <= 1.0  # stored as repr
               and not math.isnan(float(value))}  # nan: nothing to measure (no TE staff, no statement)
    assert not outside, f"{name}: shares outside [0, 1]: {outside}"
