"""The planner's workbench (notebook 04): paired comparisons, smallest staff, export, the widget."""

from __future__ import annotations

import dataclasses
import datetime as dt

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

import simkit
from simkit import ui
from simkit.i18n import lesson_text
from simkit.ui.planning import BaseCache

pytestmark = pytest.mark.usefixtures("english_and_no_figures")


@pytest.fixture(scope="module")
def scenario():
    return ui.load("seinajoki-ilmajoki-2021", ui.FIRST_YEAR)


@pytest.fixture(scope="module")
def fewer_coaches(scenario):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIMKIT_KEPT_DRAWS_MB", "0")  # each run draws its own clients: paired by the seed alone
        return ui.compare_with_base(scenario, {"coaches.count": 16}, replications=3, seed=11, progress=False)


def test_lever_overrides_only_name_what_changed(scenario):
    assert ui.lever_overrides(scenario, coaches=scenario.coaches.count) == {}
    overrides = ui.lever_overrides(scenario, coaches=25, te_experts=scenario.te.experts, inflow_change_percent=20,
                                   contact_persons=2)
    assert overrides == {
        "coaches.count": 25,
        "kela.contact_persons": 2,
        "inflow.per_week": pytest.approx(scenario.inflow.per_week * 1.2),
        "inflow.initial_clients": round(scenario.inflow.initial_clients * 1.2),
    }


def test_staff_levers_shift_dated_staffing_changes_alike(scenario):
    with_event = ui.load("seinajoki-ilmajoki-2021", {"events": [
        {"date": scenario.scenario.start_date.replace(month=10), "name": "reorganisation",
         "set": {"coaches.count": 21, "te.experts": 2, "rules.meetings": "nordic-2022", "inflow.per_week": 100.0}}]})
    overrides = ui.lever_overrides(with_event, coaches=with_event.coaches.count - 4, inflow_change_percent=10)
    (event,) = overrides["events"]
    assert event["set"] == {"coaches.count": 17, "te.experts": 2, "rules.meetings": "nordic-2022",
                            "inflow.per_week": pytest.approx(110.0)}
    assert ui.lever_overrides(with_event, coaches=with_event.coaches.count).get("events") is None
    assert ui.lever_overrides(with_event, te_experts=0)["events"][0]["set"]["te.experts"] == 0  # never below zero


def test_comparison_is_paired_with_the_same_seed(fewer_coaches):
    table = fewer_coaches.table
    caseload = table.loc["coach.caseload_mean"]
    assert caseload["ci_low"] > 0  # fewer coaches: a clearly higher caseload
    # the TE side does not depend on the coaches: identical clients, so exactly no difference
    assert table.loc["te.caseload_mean", "mean"] == 0
    assert table.loc["te.caseload_mean", "ci_high"] - table.loc["te.caseload_mean", "ci_low"] == 0
    base = fewer_coaches.base.per_replication["coach.caseload_mean"]
    variant = fewer_coaches.variant.per_replication["coach.caseload_mean"]
    assert caseload["mean"] == pytest.approx((variant - base).mean())
    assert fewer_coaches.describe() == "coaches.count=16"


def test_readable_table_has_base_variant_and_change(fewer_coaches):
    table = fewer_coaches.table_for(["coach.caseload_mean", "te.caseload_mean"])
    assert list(table.columns) == ["Base", "Variant", "Δ", "Δ 95% CI", "unit", "⚠"]
    assert table.loc["TE experts: clients per expert (mean)", "Δ"] == "0"


def test_base_cache_runs_the_base_once(scenario):
    cache = BaseCache()
    first = ui.compare_with_base(scenario, {"coaches.count": 18}, replications=2, seed=3, progress=False, cache=cache)
    second = ui.compare_with_base(scenario, {"coaches.count": 22}, replications=2, seed=3, progress=False, cache=cache)
    assert first.base is second.base
    assert first.variant is not second.variant


def test_comparison_figure_has_titles_labels_and_legends(fewer_coaches):
    fig = ui.comparison_figure(fewer_coaches)
    left, right, waiting = fig.axes[:3]
    for ax in (left, right, waiting):
        assert ax.get_title() and ax.get_xlabel() and ax.get_legend() is not None
    assert "clients per coach" in left.get_ylabel()
    assert "coaches.count=16" in right.get_title()
    assert waiting.get_title() == "Waiting for a coach"  # a shortage shows here while the caseload sits at the cap


def test_export_writes_csv_and_png_and_refuses_to_overwrite(fewer_coaches, tmp_path):
    paths = ui.export_comparison(fewer_coaches, tmp_path, "cmp")
    csv, png = paths
    table = pd.read_csv(csv, index_col=0)
    assert table.loc["coach.caseload_mean", "mean"] == pytest.approx(fewer_coaches.table.loc["coach.caseload_mean", "mean"])
    assert set(table["variant"]) == {"coaches.count=16"}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    before = csv.read_bytes()
    with pytest.raises(FileExistsError):
        ui.export_comparison(fewer_coaches, tmp_path, "cmp")
    assert csv.read_bytes() == before
    ui.export_comparison(fewer_coaches, tmp_path, "cmp", overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmp.csv", "cmp.png"]  # no temporary files left


def test_smallest_staff_is_the_fewest_meeting_every_target(scenario):
    search = ui.smallest_staff(scenario, targets=["coach.caseload_mean<=120"], low=15, high=30, replications=3,
                               max_replications=6, seed=2021, progress=False)
    assert search.smallest is not None
    met = search.evaluated.set_index("level")["met"]
    assert met[search.smallest]
    assert not met.get(search.smallest - 1, False)
    assert str(search.smallest) in search.text()


def test_smallest_staff_says_when_nothing_in_range_meets(scenario):
    search = ui.smallest_staff(scenario, targets=["coach.caseload_mean<=50"], low=10, high=12, replications=2,
                               max_replications=2, seed=1, progress=False)
    assert search.smallest is None
    assert "No staff count in 10–12" in search.text()


def test_workbench_slider_reruns_the_variant():
    bench = ui.Workbench("seinajoki-ilmajoki-2021", replications=2, seed=4)
    first = bench.update()
    assert first.overrides == {}
    bench.coaches.value = 15  # what a user does; the slider's observer calls update()
    assert bench.comparison.overrides["coaches.count"] == 15
    assert bench.comparison.describe() == "coaches.count=15"
    assert bench.comparison.table.loc["coach.caseload_mean", "mean"] > 0
    bench.inflow.value = 20
    assert "inflow.per_week" in bench.comparison.overrides


@pytest.mark.parametrize("name", ["seinajoki-ilmajoki-2021", "baseline-te-2020"])
def test_workbench_sliders_start_at_the_scenarios_own_values(name):
    bench = ui.Workbench(name, replications=2, seed=4)
    scenario = ui.load(name)
    assert (bench.coaches.value, bench.te_experts.value, bench.contact_persons.value, bench.inflow.value) == (
        scenario.coaches.count, scenario.te.experts, scenario.kela.contact_persons, 0)
    assert bench.overrides() == {}


def test_smallest_staff_shifts_dated_staffing_changes(scenario):
    autumn = scenario.scenario.start_date.replace(month=10)
    with_event = ui.load("seinajoki-ilmajoki-2021", {**ui.FIRST_YEAR, "events": [
        {"date": autumn, "name": "one more coach", "set": {"coaches.count": scenario.coaches.count + 1}}]})
    search = ui.smallest_staff(with_event, targets=["coach.caseload_mean<=120"], low=16, high=30, replications=2,
                               max_replications=2, seed=9, progress=False)
    assert search.plan is not None  # plan() itself shifts the dated change (simkit.planning.level_overrides)
    level = int(search.evaluated["level"].iloc[0])
    runs = simkit.replicate(simkit.with_overrides(with_event, ui.staff_overrides(with_event, {"coaches.count": level})),
                            2, 9)
    assert search.evaluated["mean"].iloc[0] == pytest.approx(runs.per_replication["coach.caseload_mean"].mean())
    met = search.evaluated.set_index("level")["met"]
    assert search.smallest is not None and met[search.smallest] and not met.get(search.smallest - 1, False)


def test_workbench_finds_the_smallest_coaches_for_its_targets():
    bench = ui.Workbench("on-time-but-no-time", replications=2, seed=3)
    assert bench.find_smallest("coach.caseload_mean<=nonsense") is None
    search = bench.find_smallest("coach.caseload_mean<=200")
    assert search is bench.search and search.smallest is not None
    scenario = bench.scenario
    last = scenario.scenario.start_date + dt.timedelta(days=scenario.scenario.days - 1)
    assert search.searched().startswith(f"Searched over {scenario.scenario.start_date} – {last} with "
                                        f"{len(scenario.events)} dated change(s)")
    assert "ui.FIRST_YEAR" not in search.searched()  # a year without dated changes: no hint
    whole_file = dataclasses.replace(search, period=(dt.date(2021, 3, 1), dt.date(2023, 6, 30), 2))
    assert whole_file.searched().endswith("may need fewer: later reforms, such as the Nordic model, add meetings.")
    assert "ensimmäinen vuosi" in whole_file.searched("fi") and "första året" in whole_file.searched("sv")
    assert search.evaluated.set_index("level").loc[search.smallest, "met"]
    fig = ui.search_figure(search)
    assert fig.axes[0].get_title() and "(clients per person)" in fig.axes[0].get_ylabel()


def test_workbench_opens_a_scenario_file_the_user_saved(tmp_path, monkeypatch):
    """Notebook 05 saves under my-scenarios/; notebook 04's workbench opens that file by its path."""
    monkeypatch.chdir(tmp_path)
    text = ui.scenario_path("seinajoki-ilmajoki-2021").read_text(encoding="utf-8")
    text = text.replace("days = 852", "days = 60", 1).replace("count = 20 ", "count = 24 ", 1)
    saved = tmp_path / "my-scenarios" / "nordic-24.toml"
    saved.parent.mkdir()
    saved.write_text(text, encoding="utf-8")
    bench = ui.Workbench("my-scenarios/nordic-24.toml", replications=2, seed=4, export_folder=tmp_path / "out")
    assert ("my-scenarios/nordic-24.toml", "my-scenarios/nordic-24.toml") in bench.scenario_picker.options
    assert ("seinajoki-ilmajoki-2021", "seinajoki-ilmajoki-2021") in bench.scenario_picker.options
    assert bench.scenario.coaches.count == bench.coaches.value == 24
    assert [path.name for path in bench.export()] == ["comparison-nordic-24.csv", "comparison-nordic-24.png"]
    html, workbook = bench.report()
    assert (html.name, workbook.name) == ("report-nordic-24.html", "report-nordic-24.xlsx")
    assert "nordic-24.toml" in html.read_text(encoding="utf-8") and workbook.stat().st_size > 0
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(text, encoding="utf-8")
    assert ui.Workbench(str(elsewhere), replications=2).scenario_picker.value == str(elsewhere)
    with pytest.raises(FileNotFoundError, match="no-such.toml"):
        ui.Workbench("my-scenarios/no-such.toml")


def test_two_answers_reads_both_periods_and_the_meeting_rules_from_the_scenarios(scenario):
    from simkit.model.meetings import meeting_rules
    from simkit.ui.planning_lessons import searched_period

    whole = ui.load("seinajoki-ilmajoki-2021")
    scripted = ui.StaffSearch(vary="coaches.count", targets=(), smallest=None, evaluated=pd.DataFrame(), low=1, high=2,
                              period=searched_period(scenario))
    on_whole = dataclasses.replace(scripted, smallest=27, period=searched_period(whole))
    values = ui.two_answers(scripted, on_whole, whole)
    assert (values["first_answer"], values["whole_answer"]) == ("–", 27)
    assert (values["first_days"], values["first_from"]) == (scenario.scenario.days, scenario.scenario.start_date)
    assert (values["whole_from"], values["whole_to"]) == searched_period(whole)[:2]
    assert values["whole_to"] - values["whole_from"] == dt.timedelta(days=whole.scenario.days - 1)
    assert values["events"] == len(whole.events) > 0
    reform = next(event for event in whole.events if event.changes.get("rules.meetings") == "nordic-2022")
    assert values["reform_date"] == reform.date
    assert (values["meetings_before"], values["meetings_after"]) == (
        meeting_rules("2021").meetings_in_first_year(), meeting_rules("nordic-2022").meetings_in_first_year())
    assert values["meetings_after"] > values["meetings_before"]
    for language in ("en", "fi", "sv"):
        assert str(values["meetings_after"]) in lesson_text("04.two_answers", language, **values)


def test_the_2025_and_2026_rules_in_person_years(small):
    """The lesson's table: the same clients under the 2025 rules and the 2026 rules at three need
    shares. Person-years fall as the share falls, and they are the meetings owed at a coach's client
    minutes per person-year (37.5 h x 60 % a week over the working weeks less public holidays here)."""
    from simkit.ui.planning_lessons import owed_coach_person_years

    nordic = simkit.with_overrides(small, {"rules.meetings": "nordic-2022"})
    table = ui.rules_person_years(nordic, shares=(0.0, 0.5, 1.0), replications=1, seed=3)
    assert table["rules"].tolist() == ["nordic-2022"] + ["he108-2026"] * 3
    years = table["person_years"].tolist()
    assert years[0] >= years[3] > years[2] > years[1] > 0.0 and table["change"].iloc[0] == 0.0
    run = simkit.simulate(nordic, seed=3, keep_observations=True)
    metrics = run.metrics
    owed = metrics["coach.meetings_owed_per_client_year"] * metrics["coach.caseload_mean"] * metrics["staff.coach.person_years"]
    minutes_per_year = 37.5 * 0.6 * 60 * 365 / 7 * (1 - 10 / 261)  # about 10 weekday public holidays a year
    assert owed_coach_person_years(run.observations) == pytest.approx(owed * 45.0 / minutes_per_year, rel=0.03)
    assert years[0] == pytest.approx(owed_coach_person_years(run.observations))
    values = ui.rules_findings(table)
    assert values["fewer"] == pytest.approx(years[0] - years[2]) and values["share"] == "50%"
    for language in ("en", "fi", "sv"):
        assert ui.number(values["he108_years"]) in lesson_text("04.rules_2026_notice", language, **{
            name: ui.number(value) if isinstance(value, float) else value for name, value in values.items()})
