"""Outputs as a set with normal file modes, spreadsheet-safe exports, and a run store that two
processes share without computing a replication twice, whose pool workers end with their parent."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import simkit
from conftest import ROOT, SEINAJOKI
from simkit.cli import main
from simkit.io import atomic_write_csv, safe_cell, spreadsheet_safe, written_as_a_set
from simkit.planning import level_overrides, sweep
from simkit.store import RunStore

QUICK = ["--set", "scenario.days=60", "--set", "inflow.initial_clients=300", "--set", "inflow.per_week=10",
         "--set", "coaches.count=3", "--set", "te.experts=1"]
DEADLINE_SECONDS = 120  # a guard against a hung subprocess, not a timing assertion


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# -- files ------------------------------------------------------------------------------------------------
def test_run_out_is_written_as_a_set_with_normal_modes(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", SEINAJOKI, "-r", "2", "--workers", "1", "--out", out, *QUICK)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["daily.csv", "replications.csv", "run.json", "summary.csv"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o666 & ~umask}
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left
    again = invoke("run", SEINAJOKI, "-r", "2", "--workers", "1", "--seed", "7", "--out", out, *QUICK)
    assert again.exit_code == 0, again.output  # earlier results are replaced, as a set
    assert json.loads((out / "run.json").read_text())["seed"] == 7
    assert set(pd.read_csv(out / "daily.csv")["replication"]) == {0, 1}


def test_a_failure_part_way_leaves_the_earlier_results_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text('{"seed": 1}')
    (out / "daily.csv").write_text("day\n1\n")
    with pytest.raises(RuntimeError), written_as_a_set(out, ["run.json", "daily.csv"]) as folder:
        (folder / "daily.csv").write_text("day\n2\n")
        raise RuntimeError("the disk filled up")
    assert (out / "daily.csv").read_text() == "day\n1\n" and (out / "run.json").read_text() == '{"seed": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_write_error_names_the_real_path_not_the_temporary_one(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(OSError) as raised, written_as_a_set(out, ["daily.csv"]) as folder:
        (folder / "daily.csv").mkdir()  # a folder in the way of the file
        atomic_write_csv(folder / "daily.csv", pd.DataFrame({"a": [1]}))
    assert raised.value.filename == str(out / "daily.csv") and ".tmp" not in str(raised.value)
    assert not out.exists()


# -- spreadsheets -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("cell", "safe"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-5", "-5"), ("+1.5e3", "+1.5e3"),
    ("coach", "coach"), ("", ""), (3, 3), (-2.0, -2.0),
])
def test_cells_a_spreadsheet_would_run_are_neutralised(cell, safe):
    assert safe_cell(cell) == safe


def test_every_csv_export_is_neutralised(tmp_path):
    scenario = simkit.load_scenario(SEINAJOKI, [*QUICK[1::2], 'scenario.name="=1+cmd|calc"'])
    sweep(scenario, {"rules.meetings": ["2021", "nordic-2022"]}, replications=2, workers=1,
          store=tmp_path / "runs.sqlite", progress=False)
    result = invoke("runs", "export", "--store", tmp_path / "runs.sqlite", "--out", tmp_path / "all.csv")
    assert result.exit_code == 0, result.output
    names = set(pd.read_csv(tmp_path / "all.csv")["scenario_name"])
    assert names == {"'=1+cmd|calc"}
    frame = pd.DataFrame({"=a": ["@x", "ok"]}, index=["-y", "z"])
    assert spreadsheet_safe(frame).to_dict() == {"'=a": {"'-y": "'@x", "z": "ok"}}


# -- dated changes ----------------------------------------------------------------------------------------
def test_a_valid_sweep_value_works_when_a_dated_change_sets_the_same_key(tmp_path):
    """Seinäjoki raises statements.coach_share to 1.0 on a date; a point at 0.8 (+0.3) keeps the
    dated value at the top of the range instead of refusing 1.3."""
    scenario = simkit.load_scenario(SEINAJOKI)
    shifted = level_overrides(scenario, {"statements.coach_share": 0.8})
    assert [e["set"]["statements.coach_share"] for e in shifted["events"] if "statements.coach_share" in e["set"]] \
        == [1.0]
    lowered = level_overrides(scenario, {"statements.coach_share": 0.0})
    assert [e["set"]["statements.coach_share"] for e in lowered["events"] if "statements.coach_share" in e["set"]] \
        == [0.5]
    result = invoke("sweep", SEINAJOKI, "--grid", "statements.coach_share=0.8", "-r", "2", "--workers", "1",
                    "--store", tmp_path / "runs.sqlite", *QUICK)
    assert result.exit_code == 0, result.output


def test_the_largest_seed_runs_and_is_stored(tmp_path):
    largest = 2**63 - 1
    result = invoke("sweep", SEINAJOKI, "--grid", "coaches.count=4", "-r", "2", "--seed", largest, "--workers", "1",
                    "--store", tmp_path / "runs.sqlite", *QUICK, "--set", "events=[]")
    assert result.exit_code == 0, result.output
    listed = invoke("runs", "list", "--store", tmp_path / "runs.sqlite")
    assert listed.exit_code == 0 and listed.output.count(f"  {largest}  ") == 2, listed.output


def test_an_api_seed_out_of_range_is_refused_before_any_work(small):
    with pytest.raises(simkit.ScenarioError, match="2\\*\\*63 - 1"):
        sweep(small, {"coaches.count": [3]}, replications=2, seed=2**64, store=None, progress=False)


# -- the run store ----------------------------------------------------------------------------------------
def test_a_large_caseload_is_stored_once_not_per_replication(tmp_path):
    rows = "days_since_registration\n" + "".join(f"{i % 400}\n" for i in range(3000))
    (tmp_path / "caseload.csv").write_text(rows)
    (tmp_path / "today.toml").write_text(f'extends = "{SEINAJOKI}"\nevents = []\n[scenario]\ndays = 30\n'
                                         '[inflow]\ninitial_clients_csv = "caseload.csv"\n')
    scenario = simkit.load_scenario(tmp_path / "today.toml")
    store = tmp_path / "runs.sqlite"
    sweep(scenario, {"coaches.count": [20]}, replications=3, workers=1, store=store, progress=False)
    with sqlite3.connect(store) as db:
        (empty,) = db.execute("SELECT COUNT(*) FROM replications WHERE scenario = ''").fetchone()
        (stored,) = db.execute("SELECT COUNT(*) FROM scenarios").fetchone()
    assert (empty, stored) == (3, 1)  # one scenario: the point equals the base
    with RunStore(store) as run_store:
        assert run_store.scenario(scenario.content_hash()[:12]) == scenario


def test_a_claim_of_a_dead_process_is_taken_over_and_a_live_one_is_not(tmp_path, small):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                              check=True)
    dead_pid = int(finished.stdout)
    key = (small.content_hash(), 1, 0)
    with RunStore(tmp_path / "runs.sqlite") as store:
        store._owner = ("elsewhere-or-here", os.getppid())
        with store._db:
            store._db.execute("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (*_row(key), os.uname().nodename, os.getppid(), time.time()))
        store._owner = (os.uname().nodename, os.getpid())
        assert store.claim([key]) == []  # my parent process is alive: its claim holds
        with store._db:
            store._db.execute("UPDATE claims SET pid = ?", (dead_pid,))
        assert store.claim([key]) == [key]  # its owner is gone: taken over


def _row(key):
    from simkit.store import _row_key

    return _row_key(key)


SWEEP_SCRIPT = """
import json, sys
import simkit
from simkit.planning import sweep
scenario = simkit.load_scenario(sys.argv[1], {overrides!r})
result = sweep(scenario, {{"coaches.count": [2, 3, 4]}}, replications=3, workers=1, store=sys.argv[2], progress=False)
print(json.dumps({{"computed": result.runs_computed, "reused": result.runs_reused,
                  "table": result.table.to_json()}}))
"""


def test_two_sweeps_on_one_store_compute_each_replication_once(tmp_path):
    overrides = {"scenario.days": 120, "inflow.initial_clients": 600, "inflow.per_week": 20, "events": []}
    script = SWEEP_SCRIPT.format(overrides=overrides)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    store = tmp_path / "runs.sqlite"
    RunStore(store).close()
    sweeps = [subprocess.Popen([sys.executable, "-c", script, str(SEINAJOKI), str(store)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment) for _ in range(2)]
    outputs = [json.loads(process.communicate(timeout=DEADLINE_SECONDS)[0]) for process in sweeps]
    total = 4 * 3  # base (20 coaches) and 3 points, 3 replications each
    assert sum(output["computed"] for output in outputs) == total
    assert all(output["computed"] + output["reused"] == total for output in outputs)
    assert outputs[0]["table"] == outputs[1]["table"]
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)


def test_pool_workers_end_when_their_parent_is_killed(tmp_path):
    command = [sys.executable, "-m", "simkit.cli", "sweep", str(SEINAJOKI), "--grid", "coaches.count=16,18,20,22",
               "-r", "4", "--workers", "2", "--store", str(tmp_path / "runs.sqlite")]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers = _children(parent.pid, at_least=2)
    os.kill(parent.pid, signal.SIGKILL)  # the parent alone, as an out-of-memory killer does
    parent.wait(timeout=DEADLINE_SECONDS)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(_running(pid) for pid in workers), f"pool workers {workers} outlived their parent"


def _children(pid: int, at_least: int) -> list[int]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        try:
            children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            children = []
        if len(children) >= at_least:
            return children
        time.sleep(0.1)
    raise AssertionError("the sweep started no pool workers")


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
