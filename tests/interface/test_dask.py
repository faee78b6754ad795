"""Runs on a Dask cluster give the same numbers as serial and local-parallel runs."""

from __future__ import annotations

import json

import dask
import pandas as pd
import pytest
import tomlkit
from click.testing import CliRunner

import simkit
from simkit.cli import main
from simkit.executors import SCHEDULER_VARIABLE, scheduler_address
from simkit.planning import plan, sweep

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

GRID = {"coaches.count": [3, 5], "kela.contact_persons": [1, 2]}


class SimulationCounter(distributed.diagnostics.plugin.SchedulerPlugin):
    """Counts replications the scheduler saw finish."""

    def __init__(self):
        self.finished = 0

    def transition(self, key, start, finish, *args, **kwargs):
        if finish == "memory" and str(key).startswith("simulate-"):
            self.finished += 1


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        local.scheduler.add_plugin(SimulationCounter(), name="simulations")
        yield local


def test_a_dask_sweep_gives_the_same_numbers_as_serial_and_local_parallel_runs(small, cluster):
    options = {"replications": 3, "store": None, "progress": False}
    finished_before = _simulations_on(cluster)
    on_dask = sweep(small, GRID, scheduler=cluster.scheduler_address, **options)
    serial = sweep(small, GRID, workers=1, **options)
    parallel = sweep(small, GRID, workers=2, **options)
    pd.testing.assert_frame_equal(on_dask.table, serial.table)
    pd.testing.assert_frame_equal(parallel.table, serial.table)
    assert _simulations_on(cluster) - finished_before == on_dask.runs_computed == (1 + 4) * 3  # base and 4 points


def test_the_scheduler_can_come_from_the_environment(small, cluster, monkeypatch, tmp_path):
    monkeypatch.setenv(SCHEDULER_VARIABLE, cluster.scheduler_address)
    assert scheduler_address() == cluster.scheduler_address
    assert scheduler_address("tcp://elsewhere:8786") == "tcp://elsewhere:8786"
    computed_before = _simulations_on(cluster)
    result = plan(small, "coaches.count", ["coach.caseload_mean<=60"], workers=1, store=tmp_path / "runs.sqlite",
                  progress=False)
    assert _simulations_on(cluster) - computed_before == result.runs_computed > 0
    monkeypatch.delenv(SCHEDULER_VARIABLE)
    local = plan(small, "coaches.count", ["coach.caseload_mean<=60"], workers=1, store=None, progress=False)
    assert (local.value, local.trace_table.to_dict()) == (result.value, result.trace_table.to_dict())


def test_replicate_and_simkit_run_use_the_scheduler_too(small, cluster, monkeypatch, tmp_path):
    serial = simkit.replicate(small, 3, workers=1)
    finished_before = _simulations_on(cluster)
    on_dask = simkit.replicate(small, 3, scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(on_dask.per_replication, serial.per_replication)
    monkeypatch.setenv(SCHEDULER_VARIABLE, cluster.scheduler_address)
    scenario_file = tmp_path / "small.toml"
    scenario_file.write_text(tomlkit.dumps(small.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    run = CliRunner().invoke(main, ["run", str(scenario_file), "-r", "3", "--json"])
    assert run.exit_code == 0, run.output
    assert _simulations_on(cluster) - finished_before == 3 + 3
    caseload = json.loads(run.stdout)["metrics"]["coach.caseload_mean"]["mean"]
    assert caseload == pytest.approx(serial.per_replication["coach.caseload_mean"].mean(), rel=1e-12)


def test_an_unreachable_scheduler_is_an_os_error(small):
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(OSError):
        sweep(small, GRID, replications=2, scheduler="tcp://127.0.0.1:9", store=None, progress=False)


def _simulations_on(cluster) -> int:
    return cluster.scheduler.plugins["simulations"].finished
