"""``simkit report`` (simkit.cli_report): a comparison's or a plan's report from one command."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import SEINAJOKI
from openpyxl import load_workbook

from simkit.cli_report import report
from simkit.scenario import ScenarioError

QUICK = ["--set", "scenario.days=60", "--set", "scenario.warmup_days=0"]


def invoke(*args):
    return CliRunner().invoke(report, [str(arg) for arg in args])


def test_compare_writes_html_and_excel(tmp_path):
    result = invoke("compare", SEINAJOKI, "--variant", "coaches.count=12", *QUICK, "-r", "2", "--seed", "4",
                    "--html", tmp_path / "r.html", "--xlsx", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / 'r.html'}, {tmp_path / 'r.xlsx'}\n"
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "coaches.count=12" in page and ">4<" in page
    assert load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "Key results"


def test_plan_writes_the_report(tmp_path):
    result = invoke("plan", SEINAJOKI, "--vary", "coaches.count", "--target", "coach.caseload_mean<=200", *QUICK,
                    "-r", "2", "--max-replications", "2", "--low", "4", "--high", "12", "--html", tmp_path / "p.html")
    assert result.exit_code == 0, result.output
    assert "Levels evaluated" in (tmp_path / "p.html").read_text(encoding="utf-8")


def test_no_output_or_bad_input_is_refused(tmp_path):
    result = invoke("compare", SEINAJOKI, "--variant", "coaches.count=12")
    assert result.exit_code == 2 and "give --html PATH, --xlsx PATH or both" in result.output
    bad = invoke("compare", SEINAJOKI, "--variant", "coaches.count", "--html", tmp_path / "x.html")
    assert isinstance(bad.exception, ScenarioError)  # the simkit group prints it as one line, exit 2
    assert bad.exception.problems == ["--variant coaches.count: expected KEY=VALUE, e.g. coaches.count=16"]
    assert not (tmp_path / "x.html").exists()
