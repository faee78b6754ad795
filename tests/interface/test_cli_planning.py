"""The planning commands: simkit sweep, simkit plan and simkit runs list|show|export."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SEINAJOKI
from simkit.cli import main

SMALL = ["--set", "scenario.days=120", "--set", "inflow.per_week=21", "--set", "inflow.initial_clients=600",
         "--set", "coaches.count=4", "--set", "te.experts=2", "--workers", "1"]


@pytest.fixture
def simkit_command(tmp_path):
    """Run ``simkit ARGS`` on the small area with a store in tmp_path; returns the click result."""
    def run(*args: str):
        return CliRunner().invoke(main, [*args, "--store", str(tmp_path / "runs.sqlite")])
    return run


def sweep_args(*extra: str) -> list[str]:
    return ["sweep", str(SEINAJOKI), *SMALL, "--grid", "coaches.count=4:6", "--grid", "kela.contact_persons=1,2",
            "-r", "3", *extra]


def plan_args(*extra: str) -> list[str]:
    return ["plan", str(SEINAJOKI), *SMALL, "--vary", "coaches.count", "--target", "coach.caseload_mean<=60",
            "--target", "coach.first_meeting_on_time_share>=0.5", *extra]


def test_sweep_prints_each_point_against_the_base_and_writes_csv_and_parquet(simkit_command, tmp_path):
    result = simkit_command(*sweep_args("--out", str(tmp_path / "out")))
    assert result.exit_code == 0, result.output
    assert "6 points x 3 replications" in result.stdout
    assert "coaches.count=6, kela.contact_persons=2" in result.stdout and "vs base" in result.stdout
    table = pd.read_parquet(tmp_path / "out" / "replications.parquet")
    assert len(table) == 6 * 3
    differences = pd.read_csv(tmp_path / "out" / "differences.csv")
    assert {"point", "coaches.count", "kela.contact_persons", "metric", "base_mean", "mean", "ci_low",
            "ci_high"} <= set(differences.columns)


def test_sweep_json_has_every_metric_with_its_paired_difference(simkit_command):
    result = simkit_command(*sweep_args("--json"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["grid"] == {"coaches.count": [4, 5, 6], "kela.contact_persons": [1, 2]}
    caseload = report["points"][0]["metrics"]["coach.caseload_mean"]
    assert caseload["difference"] == 0.0 and caseload["difference_ci95"] == [0.0, 0.0]  # the point is the base


def test_a_second_sweep_reuses_the_store(simkit_command):
    simkit_command(*sweep_args())
    again = simkit_command(*sweep_args())
    assert "(0 runs computed, 18 reused from the store)" in again.stdout


def test_plan_prints_the_chosen_value_its_intervals_and_the_search(simkit_command, tmp_path):
    result = simkit_command(*plan_args("--out", str(tmp_path / "plan")))
    assert result.exit_code == 0, result.output
    chosen = json.loads((tmp_path / "plan" / "plan.json").read_text())
    assert f"Smallest coaches.count meeting every target with 95% confidence: {chosen['value']}" in result.stdout
    assert "coach.caseload_mean <= 60" in result.stdout and "met" in result.stdout
    assert "Search (values in the order tried):" in result.stdout
    assert f"Runs: {chosen['runs_computed']} computed, 0 reused" in result.stdout
    assert len(pd.read_csv(tmp_path / "plan" / "trace.csv")) == len(chosen["trace"])
    assert f"Every metric at coaches.count = {chosen['value']}:" in result.stdout
    assert set(chosen["metrics"]) == set(pd.read_csv(tmp_path / "plan" / "summary.csv")["metric"])


@pytest.mark.parametrize(("args", "message"), [
    (plan_args("--target", "coach.caseload_men<=60"),
     "simkit: error: --target coach.caseload_men<=60: unknown metric coach.caseload_men"
     " (did you mean coach.caseload_mean?)\n"),
    (["plan", str(SEINAJOKI), "--vary", "coaches.cout", "--target", "coach.caseload_mean<=60"],
     "simkit: error: --vary coaches.cout: unknown key coaches.cout (did you mean coaches.count?)\n"),
    (sweep_args("--grid", "coaches.count=30:10"),
     "simkit: error: --grid coaches.count=30:10: a range is START:STOP[:STEP] with numbers,"
     " STOP >= START and STEP > 0\n"),
    (sweep_args("--metric", "coach.youth.caseload_mean"),
     "simkit: error: --metric coach.youth.caseload_mean: this scenario has no metric coach.youth.caseload_mean"
     " (its runs are stored)\n"),
    (sweep_args("--metric", "coach.caseload"),
     "simkit: error: --metric coach.caseload: unknown metric coach.caseload (did you mean coach.caseload_p95?)\n"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(simkit_command, args, message):
    result = simkit_command(*args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_runs_list_show_and_export_read_the_store(simkit_command, tmp_path):
    simkit_command(*sweep_args())
    listed = simkit_command("runs", "list")
    assert listed.exit_code == 0, listed.output
    rows = listed.stdout.splitlines()[1:]
    assert len(rows) == 6 and all(row.split()[2] == "3" for row in rows)
    assert "[coaches.count=6, kela.contact_persons=2]" in listed.stdout
    shown = simkit_command("runs", "show", rows[0].split()[0])
    assert shown.exit_code == 0, shown.output
    assert "3 replications, seed 2021" in shown.stdout and "coach.caseload_mean" in shown.stdout
    exported = simkit_command("runs", "export", "--out", str(tmp_path / "all.parquet"))
    assert exported.stdout == f"18 replications written to {tmp_path / 'all.parquet'}\n"
    assert len(pd.read_parquet(tmp_path / "all.parquet")) == 18


def test_runs_of_other_model_code_are_counted_but_not_listed_or_shown(simkit_command, monkeypatch):
    simkit_command(*sweep_args())
    hash_prefix = simkit_command("runs", "list").stdout.splitlines()[1].split()[0]
    monkeypatch.setattr("simkit.store.model_fingerprint", lambda: "a-newer-model")
    listed = simkit_command("runs", "list")
    assert listed.stdout.splitlines()[1:] == [
        "(18 more replications came from other model code: not listed, never reused)"
    ]
    shown = simkit_command("runs", "show", hash_prefix)
    assert shown.exit_code == 2 and "came from other model code; run them again" in shown.stderr


def test_runs_on_a_missing_store_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["runs", "list", "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
