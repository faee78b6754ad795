"""The run store: what it keeps, how it is keyed, and a sweep killed mid-way that resumes losing nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEINAJOKI

import simkit
from simkit.planning import sweep
from simkit.store import RunStore

DEADLINE_SECONDS = 300  # a guard against a hung subprocess, not a timing assertion


def test_a_stored_replication_comes_back_identical(small, tmp_path):
    result = simkit.simulate(small, 11, 2)
    with RunStore(tmp_path / "runs.sqlite") as store:
        store.save(result, small.content_hash(), {})
        (index, loaded), = store.load(small, 11, [2]).items()
    assert index == 2
    assert loaded.metrics == pytest.approx(result.metrics, nan_ok=True, rel=0, abs=0)
    assert list(loaded.metrics) == list(result.metrics)
    assert loaded.audit == result.audit
    pd.testing.assert_frame_equal(loaded.daily, result.daily)
    assert loaded.scenario == small


def test_the_store_is_keyed_by_scenario_seed_and_replication(small, tmp_path):
    with RunStore(tmp_path / "runs.sqlite") as store:
        store.save(simkit.simulate(small, 11, 0), small.content_hash(), {})
        other = simkit.with_overrides(small, {"coaches.count": 5})
        assert store.load(small, 11, [0, 1]).keys() == {0}
        assert store.load(small, 12, [0]) == {}
        assert store.load(other, 11, [0]) == {}


def test_results_of_other_model_code_are_not_reused(small, tmp_path, monkeypatch):
    with RunStore(tmp_path / "runs.sqlite") as store:
        store.save(simkit.simulate(small, 11, 0), small.content_hash(), {})
        monkeypatch.setattr("simkit.store.model_fingerprint", lambda: "another-model")
        assert store.load(small, 11, [0]) == {}


def test_a_file_that_is_no_store_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not a database " * 100)
    with pytest.raises(OSError, match="notes.txt: not a simkit run store"):
        RunStore(tmp_path / "notes.txt")


def test_the_store_uses_write_ahead_logging(tmp_path):
    RunStore(tmp_path / "runs.sqlite").close()
    (mode,) = sqlite3.connect(tmp_path / "runs.sqlite").execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"


@pytest.mark.parametrize(("stop", "exit_code"), [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGINT, 130)],
                         ids=["killed", "ctrl-c"])
def test_a_sweep_stopped_mid_way_resumes_losing_nothing_and_recomputing_nothing(tmp_path, stop, exit_code):
    store = tmp_path / "runs.sqlite"
    # the base (20 coaches) is a point; enough runs that the sweep is still running when it is stopped
    # after two (a replication of the whole file takes about 0.05 s)
    grid, replications, runs = {"coaches.count": [16, 20, 24]}, 20, 3 * 20
    command = [
        # Ctrl-C's default action, as when a user starts the sweep in a terminal: a shell that runs these
        # tests in the background starts them, and so this child, ignoring SIGINT
        sys.executable, "-c", ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                               "from simkit.cli import main; main()"),
        "sweep", str(SEINAJOKI),
        "--grid", "coaches.count=16,20,24", "--replications", str(replications), "--workers", "2",
        "--store", str(store),
    ]
    sweeping = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _wait_for_stored_runs(store, at_least=2, process=sweeping)
    os.killpg(sweeping.pid, stop)  # the whole process group, as a terminal's Ctrl-C does
    assert sweeping.wait(timeout=DEADLINE_SECONDS) == exit_code
    stored_before = _stored(store)  # what had been committed when the process stopped
    assert 2 <= len(stored_before) < runs, "the sweep must be killed mid-way"

    scenario = simkit.load_scenario(SEINAJOKI)
    resumed = sweep(scenario, grid, replications, workers=2, store=store, progress=False)

    assert (resumed.runs_reused, resumed.runs_computed) == (len(stored_before), runs - len(stored_before))
    stored_after = _stored(store)
    assert len(stored_after) == runs
    pd.testing.assert_frame_equal(stored_after.loc[stored_before.index], stored_before)  # untouched rows
    uninterrupted = sweep(scenario, grid, replications, workers=2, store=None, progress=False)
    pd.testing.assert_frame_equal(resumed.table, uninterrupted.table)


def _stored(store: Path) -> pd.DataFrame:
    with RunStore(store) as run_store:
        return run_store.finished().set_index(["scenario_hash", "seed", "replication"])


def _committed(store: Path) -> int:
    """Replications committed so far, read without opening a RunStore (opening one may write: the
    journal mode, the tables; a writer that meets the sweep's writes waits and tries again)."""
    try:
        with closing(sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True, timeout=0.05)) as db:
            return db.execute("SELECT COUNT(*) FROM replications").fetchone()[0]
    except sqlite3.OperationalError:  # no store yet, or busy for a moment
        return 0


def _wait_for_stored_runs(store: Path, at_least: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if _committed(store) >= at_least:
            return
        time.sleep(0.02)
    raise AssertionError(f"the sweep stored fewer than {at_least} runs before it ended (exit {process.poll()})")


class LockedFor:
    """A store connection whose first ``writes`` inserts find the store locked, as SQLite's write-ahead log
    can report at once when another process wrote since this one's transaction began."""

    def __init__(self, connection: sqlite3.Connection, writes: int):
        self.connection, self.writes = connection, writes

    def execute(self, sql: str, *args):
        if sql.startswith("INSERT") and self.writes:
            self.writes -= 1
            raise sqlite3.OperationalError("database is locked")
        return self.connection.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.connection, name)

    def __enter__(self):
        return self.connection.__enter__()

    def __exit__(self, *exc_info):
        return self.connection.__exit__(*exc_info)


def test_a_store_locked_for_a_moment_is_tried_again_and_one_locked_too_long_is_a_clear_error(
        small, tmp_path, monkeypatch):
    scenario = simkit.with_overrides(small, {"scenario.days": 20})
    result = simkit.simulate(scenario, seed=3)
    store = RunStore(tmp_path / "runs.sqlite")
    store._db = LockedFor(store._db, writes=3)
    store.save(result, scenario.content_hash(), {})
    assert store._db.writes == 0 and list(store.load(scenario, 3)) == [0]
    monkeypatch.setenv("SIMKIT_STORE_TIMEOUT", "0.2")
    store._db = LockedFor(store._db.connection, writes=10**6)
    with pytest.raises(simkit.store.StoreError, match="locked by another program"):
        store.save(simkit.simulate(scenario, seed=4), scenario.content_hash(), {})
    store.close()
