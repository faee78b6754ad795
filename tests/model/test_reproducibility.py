"""Seeds: determinism, common random numbers, serial = parallel, confidence intervals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import simkit
from simkit.analysis.stats import mean_ci
from simkit.model.draws import forget_draws


def test_same_seed_same_results(small):
    first = simkit.simulate(small, seed=9)
    forget_draws()  # the second run draws its clients again (not the kept draws: simkit.model.draws)
    second = simkit.simulate(small, seed=9)
    assert first.metrics == second.metrics
    pd.testing.assert_frame_equal(first.daily, second.daily)


def test_different_seeds_differ(small):
    assert simkit.simulate(small, seed=1).metrics != simkit.simulate(small, seed=2).metrics


def test_same_results_in_another_process(small):
    """A fresh interpreter (another hash seed) running this copy of simkit reproduces the numbers exactly."""
    code = (
        "import json, simkit; from conftest import small_scenario;"
        "print(json.dumps(simkit.simulate(small_scenario(), seed=9).metrics))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parents[1],  # tests/, for conftest
                            env={"PYTHONHASHSEED": "123", "PATH": "", "PYTHONPATH": str(Path(__file__).parents[2])})
    import json
    assert json.loads(output.stdout) == pytest.approx(simkit.simulate(small, seed=9).metrics, nan_ok=True, rel=0, abs=0)


def test_staffing_change_keeps_the_same_clients_and_questions(small):
    """Common random numbers: fewer coaches change waiting, not who arrives or what Kela is asked."""
    base = simkit.simulate(small, seed=4)
    forget_draws()  # drawn again, not kept from the base run (simkit.model.draws)
    fewer = simkit.simulate(simkit.with_overrides(small, {"coaches.count": 2, "te.experts": 1, "kela.contact_persons": 2}), seed=4)
    for column in ["arrivals", "exits", "active_pilot", "active_te", "kela_questions"]:
        pd.testing.assert_series_equal(base.daily[column], fewer.daily[column])
    assert fewer.metrics["clients.waiting_for_coach"] > base.metrics["clients.waiting_for_coach"]


def test_rule_change_keeps_arrivals_and_spells(small):
    base = simkit.simulate(small, seed=4).daily
    te24 = simkit.simulate(simkit.with_overrides(small, {"rules.pilot": "te24"}), seed=4).daily
    pd.testing.assert_series_equal(base["arrivals"], te24["arrivals"])
    pd.testing.assert_series_equal(base["active_pilot"] + base["active_te"], te24["active_pilot"], check_names=False)


def test_replication_r_is_simulate_with_index_r(small):
    runs = simkit.replicate(small, 3, seed=21)
    assert runs.results[2].metrics == simkit.simulate(small, seed=21, replication=2).metrics
    assert len(set(runs.per_replication["clients.arrivals_per_day"])) == 3  # replications differ


def test_parallel_equals_serial(small):
    serial = simkit.replicate(small, 4, seed=13, workers=1)
    parallel = simkit.replicate(small, 4, seed=13, workers=2)
    pd.testing.assert_frame_equal(serial.per_replication, parallel.per_replication)
    pd.testing.assert_frame_equal(serial.daily, parallel.daily)


def test_summary_has_log_scale_intervals_for_non_negative_metrics(small):
    runs = simkit.replicate(small, 5, seed=3)
    values = runs.per_replication["coach.caseload_mean"]
    mean, low, high = runs.metric("coach.caseload_mean")
    factor = np.exp(2.776445 * values.std(ddof=1) / np.sqrt(5) / values.mean())  # t(0.975, 4), simkit.analysis.stats
    assert mean == pytest.approx(values.mean())
    assert (low, high) == pytest.approx((values.mean() / factor, values.mean() * factor))
    assert runs.summary.loc["coach.caseload_mean", "unit"] == "clients per person"


def test_mean_ci_edge_cases():
    assert np.isnan(mean_ci([1.0])[1])
    assert mean_ci([2.0, 2.0, 2.0]) == (2.0, 2.0, 2.0)
    assert mean_ci([1.0, np.nan, 3.0])[0] == 2.0


def test_paired_comparison_is_narrower_than_independent_intervals(small):
    base = simkit.replicate(small, 6, seed=8)
    more = simkit.replicate(simkit.with_overrides(small, {"coaches.count": 5}), 6, seed=8)
    paired = more.compare(base).loc["coach.caseload_mean"]
    _, low_a, high_a = base.metric("coach.caseload_mean")
    assert paired["mean"] < 0 and paired["ci_high"] < 0
    assert paired["ci_high"] - paired["ci_low"] < (high_a - low_a)
