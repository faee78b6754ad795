"""Results by period: every metric for each period between dated events, beside the whole window."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

import simkit
from simkit.metrics import first_meeting_cases
from simkit.scenario.timeline import window_periods
from simkit.units import DAYS_PER_MONTH

# statements in diary order: with the diaries full under the Nordic model they wait (a figure that differs by period)
RULE_CHANGE = {"statements.per_client_month": 0.3, "statements.minutes": 20.0, "statements.coach_share": 1.0,
               "statements.priority": "diary_order", "coaches.count": 3, "coaches.caseload_cap": 160,
               "events": [{"date": "2021-06-01", "name": "Nordic model", "set": {"rules.meetings": "nordic-2022"}}]}


@pytest.fixture(scope="module")
def rule_change(small):
    scenario = simkit.with_overrides(small, RULE_CHANGE)
    return scenario, simkit.simulate(scenario, seed=4, keep_observations=True)


def test_periods_split_the_window_at_the_events(small):
    scenario = simkit.with_overrides(small, RULE_CHANGE | {"scenario.warmup_days": 30, "events": [
        {"date": "2021-01-15", "name": "before", "set": {"coaches.count": 5}},
        {"date": "2021-06-01", "name": "Nordic model", "set": {"rules.meetings": "nordic-2022"}},
        {"date": "2021-06-01", "name": "more staff", "set": {"coaches.count": 6}},
        {"date": "2022-01-01", "name": "after the end", "set": {"coaches.count": 7}}]})
    periods = window_periods(scenario)
    assert [(p.first_date, p.last_date) for p in periods] == [
        (dt.date(2021, 3, 1), dt.date(2021, 5, 31)), (dt.date(2021, 6, 1), dt.date(2021, 8, 27))]
    assert [p.start_day for p in periods] == [30, 122] and periods[-1].end_day == 30 + 180
    assert periods[0].event == "before" and periods[1].event == "Nordic model + more staff"
    assert periods[1].changes == "rules.meetings = nordic-2022; coaches.count = 6"


def test_figures_differ_before_and_after_a_rule_change(rule_change):
    _, result = rule_change
    before, after = result.period_metrics
    assert after["coach.meetings_per_client_year"] > 1.5 * before["coach.meetings_per_client_year"]
    assert after["coach.utilisation"] > before["coach.utilisation"] + 0.1
    assert after["coach.meetings_held_share"] < before["coach.meetings_held_share"] - 0.1
    assert after["statements.on_time_share"] < before["statements.on_time_share"] - 0.2  # diaries full: they wait


def test_the_weighted_mix_of_the_periods_is_the_whole(rule_change):
    scenario, result = rule_change
    obs, whole = result.observations, result.metrics
    periods = window_periods(scenario)
    windows = [replace(obs, window=(p.start_day, p.end_day)) for p in periods]
    days = np.array([p.end_day - p.start_day for p in periods])

    def mix(metric: str, weights) -> float:
        values = np.array([metrics[metric] for metrics in result.period_metrics])
        return float(np.sum(values * weights) / np.sum(weights))

    first_met = np.array([first_meeting_cases(window, [0]).sum() for window in windows])  # clients counted
    statements = np.array([m["statements.per_month"] for m in result.period_metrics]) * days / DAYS_PER_MONTH
    assert first_met.sum() == first_meeting_cases(obs, [0]).sum()
    for metric, weights in [("coach.first_meeting_on_time_share", first_met),
                            ("coach.first_meeting_unmet_share", first_met),
                            ("statements.on_time_share", statements), ("kela.payment_delay_days_mean", statements),
                            ("clients.arrivals_per_day", days), ("exits.per_month", days),
                            ("clients.active_pilot", days), ("kela.questions_per_day", days)]:
        assert mix(metric, weights) == pytest.approx(whole[metric], rel=1e-9), metric


def test_replications_by_period_is_a_tidy_table(small):
    scenario = simkit.with_overrides(small, RULE_CHANGE)
    replications = simkit.replicate(scenario, replications=2, seed=5)
    table = replications.by_period()
    assert list(table["period"].unique()) == ["whole window", "2021-03-01 – 2021-05-31", "2021-06-01 – 2021-08-27"]
    assert set(table.columns) >= {"period", "first_date", "last_date", "event", "changes", "metric", "mean", "ci_low"}
    whole = table[table["period"] == "whole window"].set_index("metric")["mean"]
    assert whole.to_dict() == pytest.approx(replications.summary["mean"].to_dict(), nan_ok=True)
    after = table[table["event"] == "Nordic model"].set_index("metric")
    assert after.loc["coach.meetings_per_client_year", "changes"] == "rules.meetings = nordic-2022"
    expected = np.mean([r.period_metrics[1]["coach.utilisation"] for r in replications.results])
    assert after.loc["coach.utilisation", "mean"] == pytest.approx(expected)


def test_simkit_run_by_period(tmp_path):
    from click.testing import CliRunner

    from simkit.cli import main

    seinajoki = "scenarios/seinajoki-ilmajoki-2021.toml"
    small = ["--set", "scenario.days=240", "--set", "inflow.initial_clients=600", "--set", "inflow.per_week=21",
             "-r", "1", "--workers", "1", "--by-period"]
    result = CliRunner().invoke(main, ["run", seinajoki, *small, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2021-10-01 – 2021-10-26: More unemployment-security tasks move to the municipality" in result.output
    table = (tmp_path / "by_period.csv").read_text(encoding="utf-8")
    assert "whole window" in table and "2021-03-01 – 2021-09-30" in table
    as_json = CliRunner().invoke(main, ["run", seinajoki, *small, "--json"])
    assert as_json.exit_code == 0 and '"by_period": [{"period": "whole window"' in as_json.output
