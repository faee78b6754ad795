"""The per-day hook (``on_day``) of one replication: called once per simulated day, warm-up
included and once per area, and it changes no number."""

from __future__ import annotations

import pandas as pd
import pytest

import simkit
from simkit.executors import Task, reports_days, run_tasks, runs_here
from simkit.runner import simulated_days


def days_reported(scenario: simkit.Scenario, seed: int = 4) -> tuple[list[int], simkit.runner.Result]:
    """What ``on_day`` was called with in one replication, and the replication's result."""
    calls: list[int] = []
    return calls, simkit.simulate(scenario, seed, 1, on_day=calls.append)


def assert_same_numbers(first: simkit.runner.Result, second: simkit.runner.Result) -> None:
    assert pd.Series(first.metrics).equals(pd.Series(second.metrics))
    pd.testing.assert_frame_equal(first.daily, second.daily)
    assert first.audit == second.audit


def test_one_area_reports_each_day_of_warm_up_and_window_once(small):
    scenario = simkit.with_overrides(small, {"scenario.warmup_days": 20, "scenario.days": 70})
    calls, result = days_reported(scenario)
    assert calls == [1] * 90 and simulated_days(scenario) == 90
    assert_same_numbers(result, simkit.simulate(scenario, 4, 1))


@pytest.mark.parametrize("workers", [1, 2])  # in this process; in a local pool, the days sent back
def test_replications_run_here_or_in_a_pool_report_all_their_days(small, workers):
    scenario = simkit.with_overrides(small, {"scenario.days": 30})
    tasks = [Task(scenario, 4, replication) for replication in range(2)]
    assert runs_here(2, workers=1) and runs_here(1, workers=None) and not runs_here(2, workers=2)
    calls: list[int] = []
    days_at_each_result = [sum(calls) for _ in run_tasks(simkit.simulate, tasks, workers, on_day=calls.append)]
    assert days_at_each_result[-1] == sum(calls) == 2 * simulated_days(scenario) == 60
    assert all(days >= 30 * done for done, days in enumerate(days_at_each_result, 1))  # a task's days before it
    if workers == 1:
        assert calls == [1] * 60 and days_at_each_result == [30, 60]


def test_a_replication_in_a_pool_sends_the_same_numbers(small):
    scenario = simkit.with_overrides(small, {"scenario.days": 30})
    tasks = [Task(scenario, 4, replication) for replication in range(2)]
    for result in run_tasks(simkit.simulate, tasks, 2, on_day=lambda _: None):
        assert_same_numbers(result, simkit.simulate(scenario, 4, result.replication))


def test_days_are_not_reported_from_a_dask_cluster(monkeypatch):
    monkeypatch.delenv("SIMKIT_SCHEDULER", raising=False)
    assert reports_days() and not reports_days("tcp://10.0.0.5:8786")
