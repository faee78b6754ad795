"""The daily series (simkit.metrics.daily_series, daily.csv, the figures' bands) is a true view of
the same run as the summary: day by day its stocks add up, its last day is the model's final
state, and its means over the window are the summary's time-weighted means. Checked with a
waiting list, coach teams, absences (summer holidays, sick leave) and dated changes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from conftest import SEINAJOKI

import simkit

TEAMS = [
    {"name": "youth", "serves": "under_30", "count": 1, "caseload_cap": 60},
    {"name": "adults", "count": 3},
]


def _first_year_short_of_coaches():
    """Seinäjoki's first year with its dated changes (21 coaches from October), but 14 coaches at
    the start: a waiting list from the first weeks; its holidays and sick leave stay."""
    return simkit.with_overrides(simkit.load_scenario(SEINAJOKI), {"scenario.days": 365, "coaches.count": 14})


def _teams_with_a_resize(small):
    """Two coach teams, the youth team too small (a waiting list of young clients), resized in May."""
    resized = [dict(TEAMS[0], count=2), dict(TEAMS[1], count=2)]
    return simkit.with_overrides(small, {
        "coaches.count": 4, "coaches.teams": TEAMS, "calendar.summer_holiday_share": 0.3,
        "calendar.sick_leave_share": 0.05, "events": [{"date": "2021-05-03", "set": {"coaches.teams": resized}}]})


@pytest.fixture(scope="module", params=["short of coaches", "teams"])
def run(request):
    from conftest import small_scenario

    scenario = _first_year_short_of_coaches() if request.param == "short of coaches" else _teams_with_a_resize(
        small_scenario())
    return simkit.simulate(scenario, seed=5, keep_observations=True)


def test_there_is_a_waiting_list_and_the_dated_change_shows_in_the_staff_on_duty(run):
    daily = run.daily.set_index("date")
    assert daily["waiting_for_coach"].max() > 20
    assert run.scenario.calendar.summer_holiday_share > 0 and run.scenario.calendar.sick_leave_share > 0
    change = run.scenario.events[0]
    column = "coach_youth_on_duty" if "coaches.teams" in change.changes else "coach_on_duty"
    before, after = daily[column].loc[:str(change.date - dt.timedelta(days=1))], daily[column].loc[str(change.date):]
    assert before.iloc[-1] < after.iloc[0]


def test_every_active_pilot_client_waits_or_has_a_coach_every_day(run):
    daily = run.daily
    assert (daily["active_pilot"] == daily["waiting_for_coach"] + daily["coach_clients"]).all()
    assert (daily["active_te"] == daily["waiting_for_te"] + daily["te_clients"]).all()
    teams = [pool.removeprefix("coach.") for pool in run.observations.pools if pool.startswith("coach.")]
    if teams:
        assert (sum(daily[f"coach_{team}_clients"] for team in teams) == daily["coach_clients"]).all()


def test_caseload_is_clients_with_a_coach_over_coaches_on_duty_and_never_above_the_cap(run):
    daily = run.daily
    on_duty = daily["coach_on_duty"] > 0
    assert np.allclose(daily.loc[on_duty, "coach_caseload_mean"],
                       daily.loc[on_duty, "coach_clients"] / daily.loc[on_duty, "coach_on_duty"])
    cap = max(team.caseload_cap for team in run.scenario.coaches.resolved_teams())
    people = max(int(run.observations.pools[pool].on_duty.max()) for pool in run.observations.pools if pool.startswith("coach"))
    assert daily["coach_clients"].max() <= cap * people * len(run.scenario.coaches.resolved_teams())


def test_the_last_day_is_the_models_final_state(run):
    last = run.daily.iloc[-1]
    pools = run.observations.pools
    for group, names in (("coach", [name for name in pools if name.startswith("coach")]), ("te", ["te"])):
        assert last[f"{group}_clients"] == sum(pools[name].caseload_at_end.sum() for name in names)
        waiting = "waiting_for_coach" if group == "coach" else "waiting_for_te"
        assert last[waiting] == sum(pools[name].waiting_at_end for name in names)
    assert last["active_pilot"] + last["active_te"] == run.audit["active_by_state"]


def test_the_series_means_over_the_window_are_the_summarys_time_weighted_means(run):
    window = run.daily[run.daily["in_window"]]
    metrics = run.metrics
    for column, metric in (("active_pilot", "clients.active_pilot"), ("active_te", "clients.active_te"),
                           ("waiting_for_coach", "clients.waiting_for_coach")):
        assert window[column].mean() == pytest.approx(metrics[metric], rel=0.01, abs=0.5), column
    assert window["coach_clients"].sum() / window["coach_on_duty"].sum() == pytest.approx(
        metrics["coach.caseload_mean"], rel=0.01)
    assert window["coach_meetings"].sum() / (len(window) / 365.25 * 12) == pytest.approx(
        metrics["coach.meetings_per_client_year"] * metrics["coach.caseload_mean"]
        * window["coach_on_duty"].mean() / 12, rel=0.02)


def test_a_full_caseload_stays_at_the_cap_while_clients_wait():
    """The reported bug: 14 coaches at the cap of 150 and a waiting list; the daily caseload fell
    from 150 to 87 because clients who left the waiting list without a coach were subtracted."""
    scenario = simkit.with_overrides(simkit.load_scenario(SEINAJOKI), {"scenario.days": 365, "events": [],
                                                                        "coaches.count": 14})
    result = simkit.simulate(scenario)
    window = result.daily[result.daily["in_window"]]
    assert result.metrics["coach.caseload_mean"] == pytest.approx(150)
    assert window["coach_caseload_mean"].min() == pytest.approx(150, abs=0.5)
