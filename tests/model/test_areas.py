"""Multi-area scenarios: each area its own system with its own random numbers, totals combined by rule."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import simkit
from simkit.areas import area_seed, combination
from simkit.metrics import first_meeting_cases, summarise
from simkit.model.engine import AreaModel
from simkit.scenario import ScenarioError, scenario_from_dict, with_overrides
from simkit.scenario.areas import area_alone, area_scenarios
from simkit.scenario.timeline import window_periods

SHARED = {
    "scenario": {"name": "Two areas", "days": 45, "replications": 2, "start_date": "2022-05-02"},
    "rules": {"meetings": "nordic-2022"},
    "inflow": {"per_week": 25, "initial_clients": 150},
    "coaches": {"count": 2, "caseload_cap": 90},
    "te": {"experts": 1},
    "kela": {"questions_per_client_month": 0.4},
    "statements": {"per_client_month": 0.2},
}
TWO_AREAS = {**SHARED, "areas": [
    {"name": "north", "coaches": {"count": 1}, "inflow": {"per_week": 12, "initial_clients": 60}},
    {"name": "south", "kela": {"contact_persons": 2}},
]}


@pytest.fixture(scope="module")
def two() -> simkit.Scenario:
    return scenario_from_dict(TWO_AREAS)


@pytest.fixture(scope="module")
def runs(two):
    """Each area's observations and metrics, run the way simkit.areas runs them."""
    seed, replication = 11, 1
    result = {}
    for name, area in area_scenarios(two).items():
        obs = AreaModel(area, area_seed(seed, replication, name), replication).run()
        result[name] = obs
    return seed, replication, result, simkit.simulate(two, seed, replication).metrics


def test_each_area_is_the_shared_scenario_with_its_own_keys(two):
    areas = area_scenarios(two)
    assert list(areas) == ["north", "south"]
    assert (areas["north"].coaches.count, areas["north"].inflow.per_week, areas["north"].kela.contact_persons) == (1, 12, 1)
    assert (areas["south"].coaches.count, areas["south"].inflow.per_week, areas["south"].kela.contact_persons) == (2, 25, 2)
    assert not areas["north"].areas
    assert two.value("areas.north.coaches.count") == 1 and two.value("areas.south.coaches.count") == 2


def test_an_event_naming_an_area_changes_that_area_only():
    events = [{"date": "2022-05-20", "area": "south", "set": {"coaches.count": 5}},
              {"date": "2022-05-25", "set": {"te.experts": 3}}]
    areas = area_scenarios(scenario_from_dict({**TWO_AREAS, "events": events}))
    assert [(e.date.day, e.changes) for e in areas["north"].events] == [(25, {"te.experts": 3})]
    assert [(e.date.day, e.changes) for e in areas["south"].events] == [(20, {"coaches.count": 5}),
                                                                     (25, {"te.experts": 3})]


def test_changing_one_area_leaves_the_other_bit_identical(two):
    base = simkit.simulate(two, 5, 0).metrics
    more = simkit.simulate(with_overrides(two, {"areas.south.coaches.count": 4}), 5, 0).metrics
    north = [name for name in base if name.startswith("area.north.")]
    assert north and all(repr(base[name]) == repr(more[name]) for name in north)
    assert base["area.south.coach.caseload_mean"] != more["area.south.coach.caseload_mean"]


def test_one_area_runs_as_the_same_scenario_without_areas_with_the_area_seed():
    one = scenario_from_dict({**SHARED, "areas": [{"name": "only", "coaches": {"count": 3}}]})
    plain = scenario_from_dict({**SHARED, "coaches": {**SHARED["coaches"], "count": 3}})
    area_metrics = simkit.simulate(one, 7, 2).metrics
    plain_metrics = simkit.simulate(plain, area_seed(7, 2, "only"), 2).metrics
    assert {name: area_metrics[f"area.only.{name}"] for name in plain_metrics} == plain_metrics
    same = [name for name in plain_metrics if not math.isnan(plain_metrics[name])]
    assert all(area_metrics[name] == plain_metrics[name] for name in same)  # the whole is its one area


def test_an_area_alone_runs_exactly_as_inside_the_whole(two, runs):
    seed, replication, _, whole = runs
    alone = simkit.simulate(area_alone(two, "south"), seed, replication).metrics
    assert {name: value for name, value in alone.items() if name.startswith("area.")} == \
        {name: value for name, value in whole.items() if name.startswith("area.south.")}
    assert area_alone(two, "south").coaches.count == 2 and area_alone(two, "north").coaches.count == 1


def test_totals_are_the_hand_combined_area_metrics(runs):
    _, _, observations, whole = runs
    area = {name: {key.removeprefix(f"area.{name}."): value for key, value in whole.items()
                   if key.startswith(f"area.{name}.")} for name in observations}
    north, south = area["north"], area["south"]
    for name in ("clients.active_pilot", "clients.arrivals_per_day", "exits.per_month", "staff.person_years",
                 "staff.cost_eur", "kela.questions_per_day"):
        assert whole[name] == pytest.approx(north[name] + south[name], rel=1e-12)

    def first_meetings(obs):  # the clients whose deadline fell in the window (simkit.metrics.first_meeting_cases)
        return first_meeting_cases(obs, [list(obs.pools).index("coach")]).sum()

    def person_days(obs):
        start, end = obs.window
        return obs.pools["coach"].on_duty[start:end].sum()

    n, s = observations["north"], observations["south"]
    share = "coach.first_meeting_on_time_share"
    assert first_meetings(n) > 0 and first_meetings(s) > 0
    assert whole[share] == pytest.approx(
        (north[share] * first_meetings(n) + south[share] * first_meetings(s)) / (first_meetings(n) + first_meetings(s)))
    load = "coach.caseload_mean"
    assert whole[load] == pytest.approx(
        (north[load] * person_days(n) + south[load] * person_days(s)) / (person_days(n) + person_days(s)))
    assert min(north[load], south[load]) < whole[load] < max(north[load], south[load])


def test_every_metric_has_a_combination_rule(runs):
    _, _, _, whole = runs
    assert all(combination(name) for name in whole if not name.startswith("area."))


def test_an_area_error_names_the_area_key_value_and_what_is_allowed():
    bad = {**TWO_AREAS, "areas": [TWO_AREAS["areas"][0], {"name": "south", "coaches": {"count": -2}}]}
    with pytest.raises(ScenarioError, match=r"areas\[1\]\.coaches\.count = -2: input should be greater than or equal to 0"):
        scenario_from_dict(bad, source="two.toml")
    typo = {**TWO_AREAS, "areas": [{"name": "north", "kela": {"contact_person": 2}}]}
    with pytest.raises(ScenarioError, match=r"unknown key areas\[0\]\.kela\.contact_person \(did you mean "
                                            r"areas\[0\]\.kela\.contact_persons\?\)"):
        scenario_from_dict(typo, source="two.toml")
    with pytest.raises(ScenarioError, match="areas.east: no area of that name"):
        scenario_from_dict(TWO_AREAS, {"areas.east.coaches.count": 3})
    with pytest.raises(ScenarioError, match="shared by all areas"):
        scenario_from_dict({**SHARED, "areas": [{"name": "north", "scenario": {"days": 3}}]})
    with pytest.raises(ScenarioError, match=r"events\[0\]\.area = 'west': no such area"):
        scenario_from_dict({**TWO_AREAS, "events": [{"date": "2022-06-01", "area": "west", "set": {"te.experts": 2}}]})


def test_the_area_table_has_a_row_per_area_and_the_whole(two):
    from simkit.areas import area_table

    runs = simkit.replicate(two, 2, seed=3, workers=1)
    table = area_table(runs.summary, ["kela.wait_minutes_mean", "staff.cost_eur"], {"north": "North"})
    assert list(table["area"]) == ["north", "south", "all areas"] and list(table["title"]) == ["North", "south", "all areas"]
    summary = runs.summary
    assert table.iloc[0]["kela.wait_minutes_mean mean"] == summary.loc["area.north.kela.wait_minutes_mean", "mean"]
    assert table.iloc[2]["staff.cost_eur ci_high"] == summary.loc["staff.cost_eur", "ci_high"]


def test_a_team_only_one_area_has_is_reported_for_the_whole_from_that_area():
    teams = [{"name": "youth", "serves": "under_30", "count": 1}, {"name": "adults", "count": 1}]
    scenario = scenario_from_dict({**TWO_AREAS, "areas": [
        TWO_AREAS["areas"][0], {"name": "south", "coaches": {"count": 2, "teams": teams}}]})
    result = simkit.simulate(scenario, 2, 0)
    assert result.metrics["coach.youth.caseload_mean"] == result.metrics["area.south.coach.youth.caseload_mean"]
    assert "area.north.coach.youth.caseload_mean" not in result.metrics
    assert {"coach_youth_caseload_mean", "coach_caseload_mean"} <= set(result.daily.columns)
    whole = result.daily["coach_caseload_mean"].to_numpy()
    assert ((whole >= 0) | np.isnan(whole)).all()


def test_the_whole_daily_series_sums_counts_and_weights_caseloads_by_staff_on_duty(two, runs):
    from simkit.areas import DAY_LABELS, SUMMED_DAILY
    from simkit.metrics import daily_series

    seed, replication, observations, _ = runs
    whole = simkit.simulate(two, seed, replication).daily
    north, south = (daily_series(observations[name]) for name in ("north", "south"))
    assert [column for column in whole if not column.startswith("area.")] == list(north.columns)
    summed = [column for column in north if column in SUMMED_DAILY or column.endswith(("_clients", "_on_duty",
                                                                                          "_meetings", "_missed"))]
    assert {"arrivals", "exits", "active_pilot", "waiting_for_coach", "kela_questions", "coach_meetings",
            "coach_on_duty", "te_missed", "unemployed_pilot"} <= set(summed)
    for column in summed:
        assert (whole[column].to_numpy() == north[column].to_numpy() + south[column].to_numpy()).all(), column
    for column in DAY_LABELS:
        assert whole[column].equals(north[column])
    staff = [observations[name].pools["coach"].on_duty[:len(whole)] for name in ("north", "south")]
    expected = (north["coach_caseload_mean"] * staff[0] + south["coach_caseload_mean"] * staff[1]) / (staff[0] + staff[1])
    assert np.allclose(whole["coach_caseload_mean"], expected)
    # a day's mean Kela wait: the mean over both areas' calls answered at once that day, pooled by hand
    waits = {day: [] for day in range(len(whole))}
    for obs in observations.values():
        line = obs.kela
        for placed, answered, back in zip(line.placed, line.answered_at, line.called_back):
            if not np.isnan(answered) and not back and 0 <= placed < len(whole):
                waits[int(placed)].append((answered - placed) * 24 * 60)
    pooled = np.array([np.mean(values) if values else np.nan for values in waits.values()])
    assert sum(map(len, waits.values())) > 100 and np.isnan(pooled).any()
    assert np.allclose(whole["kela_wait_minutes_mean"], pooled, equal_nan=True)
    ratios = {"coach_caseload_mean", "te_caseload_mean", "kela_wait_minutes_mean"}
    assert set(north.columns) == {*DAY_LABELS, *summed, *ratios}  # every column checked above (te like coach)


def test_each_areas_daily_series_is_that_area_run_alone_day_by_day(two):
    from simkit.tidy import WHOLE_AREA, tidy_by_area

    seed, replication = 8, 2
    result = simkit.simulate(two, seed, replication)
    tidy = tidy_by_area(result.daily)
    assert list(dict.fromkeys(tidy["area"])) == [WHOLE_AREA, "north", "south"]
    whole = tidy[tidy["area"] == WHOLE_AREA].drop(columns="area").reset_index(drop=True)
    pd.testing.assert_frame_equal(whole, result.daily[whole.columns], check_exact=True)
    for name, area in area_scenarios(two).items():
        alone = simkit.simulate(area, area_seed(seed, replication, name), replication).daily
        rows = tidy[tidy["area"] == name].drop(columns="area").reset_index(drop=True)
        assert list(rows.columns) == list(alone.columns) and len(rows) == len(alone) == 45 + two.scenario.warmup_days
        pd.testing.assert_frame_equal(rows, alone, check_exact=True)
        inside = simkit.simulate(area_alone(two, name), seed, replication).daily  # the planner's one-area scenario
        pd.testing.assert_frame_equal(inside[[f"area.{name}.{column}" for column in alone.columns[3:]]],
                                      alone.iloc[:, 3:].add_prefix(f"area.{name}."), check_exact=True)


def test_an_area_without_a_team_has_no_value_in_that_teams_daily_columns():
    from simkit.tidy import tidy_by_area

    teams = [{"name": "youth", "serves": "under_30", "count": 1}, {"name": "adults", "count": 1}]
    scenario = scenario_from_dict({**TWO_AREAS, "areas": [
        TWO_AREAS["areas"][0], {"name": "south", "coaches": {"count": 2, "teams": teams}}]})
    tidy = tidy_by_area(simkit.simulate(scenario, 2, 0).daily)
    north = tidy[tidy["area"] == "north"]
    alone = simkit.simulate(area_scenarios(scenario)["north"], area_seed(2, 0, "north"), 0).daily
    missing = [column for column in tidy if column not in alone and column != "area"]
    assert missing and all(column.startswith(("coach_youth", "coach_adults")) for column in missing)
    assert north[missing].isna().all().all()
    pd.testing.assert_frame_equal(north[alone.columns].reset_index(drop=True), alone, check_exact=True)


def test_an_area_metric_has_its_metrics_unit_and_label_with_the_area():
    from simkit.registry import lookup, metric_unit

    assert metric_unit("area.helsinki.coach.youth.caseload_mean") == "clients per person"
    assert metric_unit("area.helsinki.staff.cost_eur") == "euros"
    assert metric_unit("area.salo.staff.coach.person_years") == "person-years"
    assert lookup("area.helsinki.coach.youth.caseload_mean").qualifier == "helsinki, youth"
    assert lookup("area.helsinki") is None and lookup("area.helsinki.no_such_metric") is None


def test_every_day_of_every_area_is_reported_and_changes_no_number(two):
    from simkit.runner import simulated_days

    warm = with_overrides(two, {"scenario.warmup_days": 10})
    calls: list[int] = []
    result = simkit.simulate(warm, 3, 1, on_day=calls.append)
    assert calls == [1] * (2 * (10 + 45)) and simulated_days(warm) == 110
    alone = simkit.simulate(warm, 3, 1)
    assert pd.Series(result.metrics).equals(pd.Series(alone.metrics))  # NaN where NaN, every other bit alike
    assert result.daily.equals(alone.daily) and result.audit == alone.audit


def test_figures_by_period_of_a_multi_area_run_are_each_areas_figures_over_the_period_combined():
    events = [{"date": "2022-05-20", "area": "south", "set": {"coaches.count": 4}}]
    scenario = scenario_from_dict({**TWO_AREAS, "events": events})
    periods = window_periods(scenario)
    assert len(periods) == 2  # before and from the south's event (the north has no event of its own)
    result = simkit.simulate(scenario, 3, 1)
    assert len(result.period_metrics) == 2
    for period, figures in zip(periods, result.period_metrics):
        window = (period.start_day, period.end_day)
        for name, area in area_scenarios(scenario).items():
            obs = AreaModel(area, area_seed(3, 1, name), 1).run()
            alone = summarise(replace(obs, window=window))
            assert {key: value for key, value in figures.items() if key.startswith(f"area.{name}.")} == \
                pytest.approx({f"area.{name}.{key}": value for key, value in alone.items()}, nan_ok=True)
        parts = sum(figures[f"area.{name}.clients.arrivals_per_day"] for name in ("north", "south"))
        assert figures["clients.arrivals_per_day"] == pytest.approx(parts, rel=1e-12)  # a sum in each period
    table = simkit.replicate(scenario, 2, seed=3, workers=1).by_period()
    assert set(table["period"]) == {"whole window", *(period.label for period in periods)}
