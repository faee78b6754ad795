"""The simkit command end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

import simkit
from conftest import ROOT, SEINAJOKI, TerminalStream
from simkit.cli import main

QUICK = ["--set", "scenario.days=60", "--set", "inflow.initial_clients=500", "--set", "inflow.per_week=20"]


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_run_prints_a_summary_table_for_people():
    result = invoke("run", SEINAJOKI, "-r", "3", "--workers", "1", *QUICK)
    assert result.exit_code == 0, result.output
    assert f"{simkit.load_scenario(SEINAJOKI).name}: 3 replications, seed 2021" in result.output
    lines = result.output.splitlines()
    assert lines.index("Coaches") < lines.index("TE office") < lines.index("Kela line")  # grouped by area
    caseload = next(row for row in lines if row.strip().startswith("Clients per coach (mean)"))
    assert "clients per person" in caseload and "[" in caseload
    on_time = next(row for row in lines if row.strip().startswith("First meetings on time"))
    assert "%" in on_time and "e+" not in result.output  # shares in percent, no scientific notation
    assert not any(row.startswith("coach.") for row in lines)  # labels, not dotted names
    assert "more metrics: simkit run ... --all" in lines[-1]
    every = invoke("run", SEINAJOKI, "-r", "3", "--workers", "1", "--all", *QUICK).output
    assert "more metrics" not in every and len(every.splitlines()) > len(lines)


def test_run_json_matches_the_python_api():
    result = invoke("run", SEINAJOKI, "-r", "3", "--seed", "5", "--json", *QUICK, "--set", "coaches.count=3")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["seed"] == 5 and output["replications"] == 3
    registry = {metric.name for metric in simkit.METRICS}
    assert registry <= set(output["metrics"])
    kinds = [kind.name for kind in simkit.load_scenario(SEINAJOKI).kela.question_types]
    services = [service.name for service in simkit.load_scenario(SEINAJOKI).services]
    assert set(output["metrics"]) - registry == {
        f"kela.{kind}.{metric}" for kind in kinds
        for metric in ("questions_per_day", "wait_minutes_mean", "answered_share", "answer_hours_mean")
    } | {f"services.{service}.{metric.name}" for service in services for metric in simkit.metrics.SERVICE_METRICS
         } | {f"staff.{role}.{kind}" for role in ("coach", "te", "kela") for kind in ("person_years", "cost_eur")}
    scenario = simkit.load_scenario(SEINAJOKI, [*QUICK[1::2], "coaches.count=3"])
    expected = simkit.replicate(scenario, 3, seed=5).metric("coach.caseload_mean")
    reported = output["metrics"]["coach.caseload_mean"]
    assert [reported["mean"], *reported["ci95"]] == pytest.approx(list(expected))
    assert reported["unit"] == "clients per person"


def test_run_at_a_terminal_shows_a_bar_of_the_days_simulated(monkeypatch, capsys):
    monkeypatch.setattr("simkit.views.progress.DELAY_SECONDS", 0)  # the quick run ends before the usual delay
    monkeypatch.setattr(sys, "stderr", TerminalStream())
    stderr = sys.stderr
    main.main(["run", str(SEINAJOKI), "-r", "2", "--workers", "2", "--no-store", *QUICK], standalone_mode=False)
    name = simkit.load_scenario(SEINAJOKI).name
    assert f"{name} (2 replications):   0%|" in stderr.getvalue()
    assert "| 0/120 days [" in stderr.getvalue()  # 2 x 60 days, no warm-up
    assert "2 replications" in capsys.readouterr().out
    stderr.seek(0)
    stderr.truncate()
    main.main(["run", str(SEINAJOKI), "-r", "1", "--no-store", *QUICK], standalone_mode=False)  # one: here
    assert f"{name}:   0%|" in stderr.getvalue() and "| 0/60 days [" in stderr.getvalue()


def test_run_shows_no_progress_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr("simkit.views.progress.DELAY_SECONDS", 0)
    result = invoke("run", SEINAJOKI, "-r", "1", "--no-store", *QUICK)
    assert result.exit_code == 0 and result.stderr == ""


def test_run_out_writes_result_files(tmp_path):
    result = invoke("run", SEINAJOKI, "-r", "2", "--out", tmp_path / "out", *QUICK)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out"
    assert sorted(p.name for p in folder.iterdir()) == ["daily.csv", "replications.csv", "run.json", "summary.csv"]
    run = json.loads((folder / "run.json").read_text())
    assert run["scenario"]["scenario"]["days"] == 60 and run["replications"] == 2
    assert run["overrides"] == QUICK[1::2] and run["simkit_version"]
    daily = pd.read_csv(folder / "daily.csv")
    assert len(daily) == 2 * 60 and set(daily["replication"]) == {0, 1}
    assert len(pd.read_csv(folder / "replications.csv")) == 2


@pytest.mark.parametrize("args, fragment", [
    (["run", SEINAJOKI, "--set", "coaches.count=-1"], "coaches.count = -1: input should be greater than or equal to 0"),
    (["run", SEINAJOKI, "--set", "coaches.cont=5"], "did you mean coaches.count?"),
    (["run", "no-such-file.toml"], "no-such-file.toml: no such scenario file"),
    (["validate", SEINAJOKI, "--set", "clients.under_30=1.2"], "clients.under_30 = 1.2"),
])
def test_bad_input_gives_one_line_and_exit_2(args, fragment):
    result = invoke(*args)
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_validate_folder(tmp_path):
    assert invoke("validate", ROOT / "scenarios").exit_code == 0
    (tmp_path / "bad.toml").write_text("[kela]\nopen_weekdays = 9\n")
    (tmp_path / "good.toml").write_text("[coaches]\ncount = 9\n")
    result = invoke("validate", tmp_path)
    assert result.exit_code == 2
    assert "ok: " in result.output and "kela.open_weekdays = 9" in result.output


def test_metrics_lists_every_metric_with_its_unit():
    result = invoke("metrics")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len(simkit.METRICS)
    assert "kela.wait_minutes_mean" in result.output and "minutes" in result.output


def test_installed_command_reports_errors_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[coaches]\ncount = -4\n")
    done = subprocess.run([sys.executable, "-m", "simkit", "run", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == f"simkit: error: {bad}: coaches.count = -4: input should be greater than or equal to 0"
    assert done.stdout == ""
