"""Sweeps: grid parsing, the Cartesian product, common random numbers, paired differences, files."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from tqdm import tqdm

import simkit
from simkit.planning import grid_points, parse_axis, parse_grid, sweep
from simkit.runner import simulated_days

GRID = {"coaches.count": [3, 4, 6], "kela.contact_persons": [1, 2]}


def quiet_sweep(scenario, grid=GRID, **options):
    options = {"replications": 3, "workers": 1, "store": None, "progress": False, **options}
    return sweep(scenario, grid, **options)


@pytest.mark.parametrize(("text", "key", "values"), [
    ("coaches.count=10:30:5", "coaches.count", [10, 15, 20, 25, 30]),
    ("coaches.count=10:12", "coaches.count", [10, 11, 12]),
    ("coaches.client_time_share=0.5:0.7:0.1", "coaches.client_time_share", [0.5, 0.6, 0.7]),
    ("kela.contact_persons=1,2,3", "kela.contact_persons", [1, 2, 3]),
    ("rules.meetings=nordic-2022", "rules.meetings", ["nordic-2022"]),
])
def test_grid_axes_read_ranges_with_stop_included_and_lists_as_toml(text, key, values):
    assert parse_axis(text) == (key, values)


@pytest.mark.parametrize("text", ["coaches.count", "coaches.count=", "coaches.count=30:10",
                                  "coaches.count=1:5:0", "coaches.count=a:b", "coaches.count=1:2:3:4"])
def test_bad_grid_axes_are_one_line_errors(text):
    with pytest.raises(simkit.ScenarioError) as error:
        parse_axis(text)
    assert len(error.value.problems) == 1 and text in error.value.problems[0]


def test_a_key_swept_twice_is_an_error():
    with pytest.raises(simkit.ScenarioError, match="already swept"):
        parse_grid(["coaches.count=1,2", "coaches.count=3"])


def test_grid_points_are_the_cartesian_product_first_key_slowest():
    assert grid_points({"a": [1, 2], "b": ["x", "y"]}) == [
        {"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}, {"a": 2, "b": "y"},
    ]


def test_sweep_table_has_one_row_per_point_and_replication(small):
    result = quiet_sweep(small)
    table = result.table
    assert len(table) == 6 * 3
    assert list(table.columns[:4]) == ["point", "coaches.count", "kela.contact_persons", "replication"]
    assert set(simkit.METRIC_BY_NAME) <= set(table.columns)
    assert table.groupby(["coaches.count", "kela.contact_persons"]).size().eq(3).all()


def test_every_point_uses_common_random_numbers(small):
    result = quiet_sweep(small, seed=7)
    point = result.points[-1]
    for replication in range(3):
        simkit.forget_draws()  # alone: its own draws, not those kept from the sweep
        alone = simkit.simulate(point.point.scenario, 7, replication)
        assert point.runs.results[replication].metrics == pytest.approx(alone.metrics, nan_ok=True, rel=0, abs=0)


def test_differences_are_paired_against_the_base_scenario(small):
    result = quiet_sweep(small)
    differences = result.differences.set_index(["point", "metric"])
    same_as_base = differences.loc[("coaches.count=4, kela.contact_persons=1", "coach.caseload_mean")]
    assert (same_as_base["mean"], same_as_base["ci_low"], same_as_base["ci_high"]) == (0.0, 0.0, 0.0)
    more_coaches = differences.loc[("coaches.count=6, kela.contact_persons=1", "coach.caseload_mean")]
    assert more_coaches["ci_high"] < 0
    base = result.base.per_replication["coach.caseload_mean"]
    point = result.points[4].runs.per_replication["coach.caseload_mean"]
    assert more_coaches["mean"] == pytest.approx((point - base).mean())
    assert more_coaches["base_mean"] == pytest.approx(base.mean())


def test_summary_has_a_confidence_interval_per_point_and_metric(small):
    result = quiet_sweep(small)
    summary = result.summary
    assert len(summary) == 6 * len(result.base.per_replication.columns)
    assert set(simkit.METRIC_BY_NAME) <= set(summary.metric)
    caseload = summary[summary.metric == "coach.caseload_mean"]
    assert (caseload.ci_low < caseload["mean"]).all() and (caseload["mean"] < caseload.ci_high).all()
    assert caseload["mean"].is_monotonic_decreasing


def test_serial_and_local_parallel_sweeps_give_identical_numbers(small):
    serial = quiet_sweep(small, workers=1)
    simkit.forget_draws()  # the pool's workers (forked) must not inherit the serial sweep's draws
    parallel = quiet_sweep(small, workers=2)
    pd.testing.assert_frame_equal(serial.table, parallel.table)
    pd.testing.assert_frame_equal(serial.differences, parallel.differences)


def test_a_repeated_sweep_reuses_stored_runs_and_runs_only_new_ones(small, tmp_path):
    store = tmp_path / "runs.sqlite"
    first = quiet_sweep(small, replications=3, store=store)
    assert (first.runs_computed, first.runs_reused) == (6 * 3, 0)  # the base is the point (4, 1)
    more = quiet_sweep(small, replications=5, store=store)
    assert (more.runs_computed, more.runs_reused) == (6 * 2, 6 * 3)
    pd.testing.assert_frame_equal(more.table, quiet_sweep(small, replications=5).table)


def test_progress_bars_count_the_days_of_the_runs_to_compute_with_time_left(small, tmp_path, monkeypatch):
    bars = []

    class RecordingBar(tqdm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "disable": False, "file": io.StringIO(), "delay": 0, "mininterval": 0})
            bars.append(self)

    monkeypatch.setattr("simkit.views.progress.auto_tqdm", RecordingBar)
    store = tmp_path / "runs.sqlite"
    days = simulated_days(small)
    quiet_sweep(small, replications=2, store=store, progress=True)
    quiet_sweep(small, replications=3, store=store, progress=True)
    assert [(bar.total, bar.n) for bar in bars] == [(6 * 2 * days, 6 * 2 * days), (6 * 1 * days, 6 * 1 * days)]
    assert bars[0].desc == f"sweep {small.name} (12 replications)"
    shown = bars[0].fp.getvalue()
    assert re.search(rf"\| 1/{6 * 2 * days} days \[\d\d:\d\d<\d\d:\d\d", shown)  # elapsed<time left
    assert "it/s" not in shown and "s/run" not in shown


def test_unknown_grid_key_suggests_the_right_one(small):
    with pytest.raises(simkit.ScenarioError, match="did you mean coaches.count"):
        quiet_sweep(small, {"coaches.cuont": [1, 2]})


def test_sweep_writes_csv_and_parquet_atomically(small, tmp_path):
    result = quiet_sweep(small)
    written = result.write(tmp_path / "out")
    assert {path.name for path in written} == {
        f"{name}.{kind}" for name in ("replications", "summary", "differences") for kind in ("csv", "parquet")
    } | {"sweep.json"}
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / "summary.parquet"), result.summary)
    assert len(pd.read_csv(tmp_path / "out" / "replications.csv")) == 18
    assert not list((tmp_path / "out").glob(".*.tmp"))
