"""The planner's reports (simkit.views.report): a self-contained HTML page and an Excel workbook."""

from __future__ import annotations

import io
import re

import pytest
from conftest import SEINAJOKI
from openpyxl import load_workbook

import simkit
from simkit.planning import level_overrides, plan
from simkit.views.report import (
    comparison_report,
    plan_report,
    scenario_sources,
    write_report,
)

pytestmark = pytest.mark.usefixtures("english_and_no_figures")

HOSTILE = "=HYPERLINK(\"http://example.invalid\") <script>alert(1)</script>"


@pytest.fixture(scope="module")
def comparison():
    base_scenario = simkit.with_overrides(simkit.load_scenario(SEINAJOKI), {
        "scenario.days": 60, "scenario.warmup_days": 0, "scenario.name": HOSTILE})
    overrides = level_overrides(base_scenario, {"coaches.count": 12})
    base = simkit.replicate(base_scenario, 2, seed=5)
    variant = simkit.replicate(simkit.with_overrides(base_scenario, overrides), 2, seed=5)
    return comparison_report(base, variant, overrides, source=SEINAJOKI)


def test_html_report_is_self_contained_and_names_seed_version_and_sources(comparison):
    page = comparison.html()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", page)  # no external asset, only data: URIs
    assert page.count("data:image/png;base64,") == 3
    assert "<script>" not in page and "&lt;script&gt;" in page
    for fact in ("seed", "5", simkit.__version__, "model fingerprint", "2 replications"):
        assert f">{fact}<" in page or fact in page
    assert "seinajoki-ilmajoki-2021.toml" in page and "Sources of simkit&#x27;s figures" in page  # file and its sources
    assert "Coaches: clients per coach (mean)" in page and "coaches.count=12" in page


def test_workbook_has_the_tables_and_neutralises_formulas(comparison):
    book = load_workbook(io.BytesIO(comparison.workbook()))
    assert book.sheetnames == ["Key results", "Base", "Variant", "Changes (variant - base)", "Run", "Scenario"]
    run = {row[0]: row[1] for row in book["Run"].iter_rows(min_row=2, values_only=True)}
    assert run["seed"] == "5" and run["simkit version"] == simkit.__version__
    assert run["scenario"] == "'" + HOSTILE  # a text a spreadsheet would run as a formula starts with '
    base = {row[0]: row for row in book["Base"].iter_rows(min_row=2, values_only=True)}
    assert isinstance(base["coach.caseload_mean"][2], float)  # numbers stay numbers
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(cell, str) and cell.startswith(("=", "@", "+")) for cell in row)


def test_plan_report_shows_the_levels_and_the_answer(tmp_path):
    scenario = simkit.with_overrides(simkit.load_scenario(SEINAJOKI), {"scenario.days": 60, "scenario.warmup_days": 0})
    result = plan(scenario, "coaches.count", ["coach.caseload_mean<=200"], replications=2, max_replications=2,
                  low=4, high=20, seed=3, workers=1, store=None, progress=False)
    report = plan_report(result, source=SEINAJOKI)
    assert f"is {result.value}" in report.summary
    assert next(iter(report.tables)) == "Levels evaluated" and len(report.figures) == 1
    paths = write_report(report, tmp_path / "plan.html", tmp_path / "plan.xlsx")
    assert [path.name for path in paths] == ["plan.html", "plan.xlsx"]
    assert "Levels evaluated" in load_workbook(tmp_path / "plan.xlsx").sheetnames


def test_sources_follow_extends():
    sources = scenario_sources(simkit.scenario.bundled_scenarios()["understaffed-coach-team"])
    assert list(sources) == ["understaffed-coach-team.toml", "seinajoki-ilmajoki-2021.toml", "docs/sources.md"]
    assert scenario_sources(None) == {}
