"""Multi-area scenarios through the CLI, sweeps, the run store and the cost plan (simkit plan --per-area)."""

from __future__ import annotations

import json
import math
import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

import simkit
from simkit.cli import main
from simkit.planning import plan, sweep
from simkit.planning.areas import plan_cost, planned_staff
from simkit.store import RunStore
from simkit.scenario.areas import area_alone

TWO_AREAS = textwrap.dedent("""
    [scenario]
    name = "Two small areas"
    start_date = 2022-06-01
    days = 50
    replications = 3
    [rules]
    meetings = "nordic-2022"
    [inflow]
    per_week = 40
    initial_clients = 120
    [coaches]
    count = 3
    [te]
    experts = 1
    [kela]
    questions_per_client_month = 1.0

    [[areas]]
    name = "north"
    inflow.per_week = 15
    inflow.initial_clients = 60

    [[areas]]
    name = "south"
    coaches.count = 2
""")
TARGET = "coach.first_meeting_on_time_share>=0.9"


@pytest.fixture
def two_file(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(TWO_AREAS)
    return path


@pytest.fixture
def simkit_command(tmp_path):
    def run(*args: str):
        return CliRunner().invoke(main, [*args])
    return run


QUICK = {"replications": 3, "max_replications": 12, "store": None, "progress": False, "workers": 1}


def test_a_per_area_plan_meets_the_target_in_each_area_at_the_least_cost(two_file):
    scenario = simkit.load_scenario(two_file)
    result = plan_cost(scenario, ["coaches.count"], [TARGET], seed=4, **QUICK)
    assert [area.area for area in result.areas] == ["north", "south"] and result.found
    for area in result.areas:
        assert area.checks["coach.first_meeting_on_time_share"][1] >= 0.9  # met with confidence
        value = area.levers["coaches.count"]
        tried = area.options.set_index("coaches.count")["verdict"]
        assert value == 1 or (value - 1 in tried.index and "met" not in set(tried.loc[[value - 1]]))
        alone = plan(area_alone(scenario, area.area), "coaches.count", [TARGET], seed=4, **QUICK)
        assert alone.value == value  # the same search as the area planned on its own
        staffed = simkit.with_overrides(area_alone(scenario, area.area), {"coaches.count": value})
        assert area.cost_eur == pytest.approx(planned_staff(staffed)["staff.cost_eur"])
    assert result.cost_eur == pytest.approx(sum(area.cost_eur for area in result.areas))
    assert result.table.iloc[-1]["coaches.count"] == sum(a.levers["coaches.count"] for a in result.areas)


def test_areas_planned_at_once_in_two_processes_give_the_serial_plan_and_fill_the_store(two_file, tmp_path):
    scenario = simkit.load_scenario(two_file)
    serial = plan_cost(scenario, ["coaches.count"], [TARGET], seed=4, **QUICK)
    store = tmp_path / "runs.sqlite"
    parallel = plan_cost(scenario, ["coaches.count"], [TARGET], seed=4, **{**QUICK, "workers": 2, "store": store})
    assert [area.area for area in parallel.areas] == ["north", "south"]  # in the areas' order, whoever finished first
    pd.testing.assert_frame_equal(parallel.table, serial.table)
    pd.testing.assert_frame_equal(parallel.options, serial.options)
    computed = sum(search.runs_computed for area in parallel.areas for search in area.searches)
    with RunStore(store) as runs:
        assert len(runs.finished()) == computed > 0  # each area's process saved its replications
    again = plan_cost(scenario, ["coaches.count"], [TARGET], seed=4, **{**QUICK, "workers": 2, "store": store})
    assert sum(search.runs_computed for area in again.areas for search in area.searches) == 0
    pd.testing.assert_frame_equal(again.table, serial.table)


def test_several_levers_give_the_cheapest_mix_with_every_target_met(two_file):
    scenario = simkit.load_scenario(two_file)
    targets = [TARGET, "kela.answered_share>=0.7"]
    result = plan_cost(scenario, ["coaches.count", "kela.contact_persons"], targets, high=12, seed=4, **QUICK)
    for area in result.areas:
        assert area.found and area.exact
        assert all(area.checks[target.metric][1] >= target.bound for target in result.targets)
        options = area.options
        cheaper_met = options[(options["verdict"] == "met") & (options["cost_eur"] < area.cost_eur - 1e-6)]
        assert cheaper_met.empty, cheaper_met


def test_a_shared_key_planned_for_the_whole_moves_the_areas_that_do_not_set_it(two_file):
    scenario = simkit.load_scenario(two_file)
    (whole,) = plan_cost(scenario, ["coaches.count"], ["area.north.coach.first_meeting_on_time_share>=0.9"],
                         per_area=False, seed=4, **QUICK).areas
    alone = plan(area_alone(scenario, "north"), "coaches.count", [TARGET], seed=4, **QUICK)
    assert whole.area == "all areas" and whole.levers == {"coaches.count": alone.value}


def test_simkit_plan_per_area_minimise_cost_reports_areas_and_total(two_file, simkit_command, tmp_path):
    result = simkit_command("plan", str(two_file), "--vary", "coaches.count", "--per-area", "--target", TARGET,
                            "--minimise", "cost", "-r", "3", "--max-replications", "12", "--workers", "1",
                            "--store", str(tmp_path / "runs.sqlite"), "--json")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    rows = {row["area"]: row for row in output["areas"]}
    assert rows["north"]["coach.first_meeting_on_time_share ci_low"] >= 0.9
    assert set(rows) == {"north", "south", "all areas"}
    assert rows["all areas"]["cost_eur"] == pytest.approx(rows["north"]["cost_eur"] + rows["south"]["cost_eur"])
    assert output["cost_eur"] == pytest.approx(rows["all areas"]["cost_eur"])
    text = simkit_command("plan", str(two_file), "--vary", "coaches.count", "--per-area", "--target", TARGET,
                          "--area", "north", "--area", "south", "-r", "3", "--max-replications", "12", "--workers", "1",
                          "--store", str(tmp_path / "runs.sqlite"))
    assert text.exit_code == 0 and "per-area minima add up to the total minimum" in text.output


def test_run_reports_each_area_and_the_whole(two_file, simkit_command):
    result = simkit_command("run", str(two_file), "-r", "2", "--workers", "1", "--json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)["metrics"]
    for name in ("coach.caseload_mean", "staff.cost_eur", "kela.wait_minutes_mean"):
        assert {name, f"area.north.{name}", f"area.south.{name}"} <= set(metrics)
    assert metrics["area.north.staff.cost_eur"]["unit"] == "euros"


def test_a_bad_area_value_is_one_line_naming_file_area_key_and_allowed(two_file, simkit_command):
    two_file.write_text(TWO_AREAS.replace("coaches.count = 2", "coaches.count = -1"))
    result = simkit_command("validate", str(two_file))
    assert result.exit_code == 2
    assert f"{two_file}: areas[1].coaches.count = -1: input should be greater than or equal to 0" in result.output
    two_file.write_text(TWO_AREAS)
    result = simkit_command("plan", str(two_file), "--vary", "areas.east.coaches.count", "--target", TARGET)
    assert result.exit_code == 2 and "--vary areas.east.coaches.count: no area east (areas: north, south)" in result.output
    result = simkit_command("plan", str(two_file), "--vary", "coaches.count", "--per-area", "--area", "east",
                            "--target", TARGET)
    assert result.exit_code == 2 and "--area east: no such area (areas: north, south)" in result.output


def test_a_sweep_varies_one_area_and_reuses_the_store(two_file, tmp_path):
    scenario = simkit.load_scenario(two_file)
    store = tmp_path / "runs.sqlite"
    first = sweep(scenario, {"areas.south.coaches.count": [3]}, 2, seed=1, store=store, progress=False, workers=1)
    north = first.differences.query("metric == 'area.north.coach.caseload_mean'")["mean"]
    south = first.differences.query("metric == 'area.south.coach.caseload_mean'")["mean"]
    assert float(north.iloc[0]) == 0.0 and float(south.iloc[0]) < 0.0  # CRN per area: only south moves
    again = sweep(scenario, {"areas.south.coaches.count": [3]}, 2, seed=1, store=store, progress=False, workers=1)
    assert again.runs_computed == 0 and again.runs_reused == 4


def test_the_cost_figure_shows_each_area_beside_its_service_level(two_file):
    from simkit.plots_areas import area_costs

    scenario = simkit.load_scenario(two_file)
    result = plan_cost(scenario, ["coaches.count"], [TARGET], seed=4, **QUICK)
    figure = area_costs(result.table, "coach.first_meeting_on_time_share", bound=0.9)
    left, right = figure.axes
    assert [label.get_text() for label in left.get_yticklabels()] == list(
        result.table.query("area != 'all areas'").sort_values("cost_eur")["title"])
    assert "million euros" in left.get_xlabel() and right.get_xlabel() == "coach.first_meeting_on_time_share"


def test_run_text_shows_the_whole_then_a_line_per_area(two_file, simkit_command):
    result = simkit_command("run", str(two_file), "-r", "2", "--workers", "1")
    assert result.exit_code == 0, result.output
    text, _, per_area = result.output.partition("Per area")
    assert "area.north." not in text and "Clients per coach (mean)" in text
    rows = [line.split("  ")[0].strip() for line in per_area.splitlines()[2:] if line.strip()]
    assert rows == ["north", "south", "all areas"]


def test_run_out_writes_tidy_tables_with_an_area_column(two_file, simkit_command, tmp_path):
    from simkit.tidy import WHOLE_AREA

    store = str(tmp_path / "runs.sqlite")
    result = simkit_command("run", str(two_file), "-r", "2", "--workers", "1", "--json", "--store", store,
                            "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)["metrics"]
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert list(summary.columns[:2]) == ["area", "metric"] and not summary["metric"].str.startswith("area.").any()
    assert list(dict.fromkeys(summary["area"])) == [WHOLE_AREA, "north", "south"]
    for row in summary.itertuples():
        name = row.metric if row.area == WHOLE_AREA else f"area.{row.area}.{row.metric}"
        mean = metrics[name]["mean"]  # JSON: None for NaN
        assert (math.isnan(row.mean) if mean is None else mean == pytest.approx(row.mean, rel=1e-12)), name
    replications = pd.read_csv(tmp_path / "out" / "replications.csv")
    assert list(replications.columns[:2]) == ["replication", "area"] and len(replications) == 2 * 3
    south = replications.query("area == 'south' and replication == 1").iloc[0]
    assert south["staff.cost_eur"] == pytest.approx(metrics["area.south.staff.cost_eur"]["mean"] * 2
                                                    - replications.query("area == 'south' and replication == 0")
                                                    .iloc[0]["staff.cost_eur"])
    daily = pd.read_csv(tmp_path / "out" / "daily.csv")
    scenario = simkit.load_scenario(two_file)
    days = scenario.scenario.days + scenario.scenario.warmup_days
    assert list(daily.columns[:5]) == ["date", "day", "in_window", "replication", "area"]
    assert daily.groupby("area").size().to_dict() == {WHOLE_AREA: 2 * days, "north": 2 * days, "south": 2 * days}
    by_area = daily.set_index(["area", "replication", "day"])
    assert (by_area.loc[WHOLE_AREA, "arrivals"] == by_area.loc["north", "arrivals"] + by_area.loc["south", "arrivals"]).all()
    again = simkit_command("run", str(two_file), "-r", "2", "--workers", "1", "--store", store,
                           "--out", str(tmp_path / "again"))  # from the run store: each area's daily series kept
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / "daily.csv").read_bytes() == (tmp_path / "out" / "daily.csv").read_bytes()


def test_a_single_area_run_writes_no_area_column(tmp_path, simkit_command):
    alone = tmp_path / "alone.toml"
    alone.write_text(TWO_AREAS.split("[[areas]]")[0])
    result = simkit_command("run", str(alone), "-r", "2", "--workers", "1", "--no-store", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    for name, first in (("summary.csv", "metric"), ("replications.csv", "replication"), ("daily.csv", "date")):
        header = (tmp_path / "out" / name).read_text().splitlines()[0].split(",")
        assert header[0] == first and "area" not in header, name


def test_sweeps_plans_and_exports_write_the_area_in_a_column(two_file, simkit_command, tmp_path):
    from simkit.tidy import WHOLE_AREA

    store = str(tmp_path / "runs.sqlite")
    swept = simkit_command("sweep", str(two_file), "--grid", "areas.south.coaches.count=3", "-r", "2", "--workers", "1",
                           "--store", store, "--out", str(tmp_path / "sweep"))
    assert swept.exit_code == 0, swept.output
    table = pd.read_parquet(tmp_path / "sweep" / "replications.parquet")
    assert list(table.columns[:4]) == ["point", "areas.south.coaches.count", "replication", "area"]
    assert len(table) == 2 * 3 and not any(column.startswith("area.") for column in table.columns)
    pd.testing.assert_frame_equal(table, pd.read_csv(tmp_path / "sweep" / "replications.csv"), check_dtype=False)
    differences = pd.read_csv(tmp_path / "sweep" / "differences.csv").set_index(["area", "metric"])
    assert differences.loc[("north", "coach.caseload_mean"), "mean"] == 0.0  # CRN per area: only south moves
    assert differences.loc[("south", "coach.caseload_mean"), "mean"] < 0.0
    assert set(pd.read_parquet(tmp_path / "sweep" / "summary.parquet")["area"]) == {WHOLE_AREA, "north", "south"}

    planned = simkit_command("plan", str(two_file), "--vary", "coaches.count", "--target",
                             "area.north.coach.caseload_mean<=200", "-r", "2", "--max-replications", "4",
                             "--workers", "1", "--store", store, "--out", str(tmp_path / "plan"))
    assert planned.exit_code == 0, planned.output
    summary = pd.read_csv(tmp_path / "plan" / "summary.csv")
    assert list(summary.columns[:2]) == ["area", "metric"] and set(summary["area"]) == {WHOLE_AREA, "north", "south"}
    trace = pd.read_csv(tmp_path / "plan" / "trace.csv")
    assert set(trace["area"]) == {"north"} and "coach.caseload_mean.mean" in trace

    alone = tmp_path / "alone.toml"  # a single-area scenario in the same store: its rows are the whole's only
    alone.write_text(TWO_AREAS.split("[[areas]]")[0])
    assert simkit_command("run", str(alone), "-r", "2", "--workers", "1", "--store", store).exit_code == 0
    exported = simkit_command("runs", "export", "--store", store, "--out", str(tmp_path / "all.csv"))
    assert exported.exit_code == 0, exported.output
    rows = pd.read_csv(tmp_path / "all.csv")
    stored = int(exported.output.split()[0])
    assert stored >= 6 and len(rows) == 3 * (stored - 2) + 2 and rows.groupby("area").size().to_dict() == {
        WHOLE_AREA: stored, "north": stored - 2, "south": stored - 2}
    single = simkit.load_scenario(alone).content_hash()
    assert set(rows.loc[rows["scenario_hash"] == single, "area"]) == {WHOLE_AREA}
    assert set(rows.loc[rows["scenario_hash"] != single, "area"]) == {WHOLE_AREA, "north", "south"}


def test_run_by_period_of_a_multi_area_file_gives_each_period_per_area_and_whole(tmp_path, simkit_command):
    path = tmp_path / "two-events.toml"
    path.write_text(TWO_AREAS + textwrap.dedent("""
        [[events]]
        date = 2022-06-20
        area = "south"
        set = { "coaches.count" = 4 }
    """))
    result = simkit_command("run", str(path), "-r", "2", "--workers", "1", "--by-period", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "by_period.csv")
    assert {"whole window", "2022-06-01 – 2022-06-19", "2022-06-20 – 2022-07-20"} <= set(table["period"])
    assert {"all areas", "north", "south"} == set(table["area"])  # tidy: the area in a column
