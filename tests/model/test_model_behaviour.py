"""Behaviour of the model: conservation, caseload caps, waiting lists, late meetings, meeting rules."""

from __future__ import annotations

import holidays
import numpy as np
import pandas as pd
import pytest

import simkit
from simkit.model.engine import AreaModel
from simkit.model.meetings import meeting_rules


@pytest.mark.parametrize("overrides", [
    {},
    {"coaches.count": 2, "te.experts": 1},  # long waiting lists
    {"rules.pilot": "te24", "rules.meetings": "nordic-2022"},
    {"rules.pilot": "te-only", "scenario.warmup_days": 20},
    {"coaches.count": 0},  # nobody to serve pilot clients: all wait
])
def test_every_client_who_arrived_is_active_or_exited(small, overrides):
    audit = simkit.simulate(simkit.with_overrides(small, overrides), seed=3).audit
    assert audit["arrived"] == audit["active_by_records"] + audit["exited"]
    assert audit["active_by_state"] == audit["active_by_records"]
    assert audit["with_staff_by_caseloads"] == audit["with_staff_by_state"]
    assert audit["waiting_by_lists"] == audit["waiting_by_state"]
    assert audit["active_by_state"] == audit["with_staff_by_state"] + audit["waiting_by_state"]


def test_daily_stocks_follow_flows(small):
    daily = simkit.simulate(small, seed=4).daily
    active = daily["active_pilot"] + daily["active_te"]
    change = active.diff().iloc[1:]
    flows = (daily["arrivals"] - daily["exits"]).iloc[1:]
    assert (change == flows).all()


def test_caseload_never_exceeds_the_cap_and_the_rest_wait(small):
    tight = simkit.with_overrides(small, {"coaches.count": 2, "coaches.caseload_cap": 100})
    result = simkit.simulate(tight, seed=5, keep_observations=True)
    assert result.observations.pools["coach"].caseload_at_end.max() <= 100
    assert result.daily["coach_caseload_mean"].max() <= 100
    assert result.metrics["coach.caseload_p95"] <= 100
    assert result.metrics["clients.waiting_for_coach"] > 100  # ~450 pilot clients for 200 places
    assert result.daily["waiting_for_coach"].iloc[-1] > 0


def test_waiting_list_is_first_come_first_served(small):
    tight = simkit.with_overrides(small, {"coaches.count": 1, "coaches.caseload_cap": 50, "inflow.initial_clients": 0})
    stays = simkit.simulate(tight, seed=6, keep_observations=True).observations.stays
    waited = stays.municipal & np.isfinite(stays.assigned) & (stays.assigned > stays.start)
    assert waited.sum() > 20
    order = np.argsort(stays.start[waited])
    assert np.all(np.diff(stays.assigned[waited][order]) >= 0)


def test_more_coaches_mean_less_waiting_and_smaller_caseloads(small):
    few = simkit.replicate(simkit.with_overrides(small, {"coaches.count": 3}), 3, seed=1)
    many = simkit.replicate(simkit.with_overrides(small, {"coaches.count": 6}), 3, seed=1)
    assert many.metric("clients.waiting_for_coach")[0] < few.metric("clients.waiting_for_coach")[0]
    assert many.metric("coach.caseload_mean")[0] < few.metric("coach.caseload_mean")[0]
    assert many.metric("coach.first_meeting_on_time_share")[0] >= few.metric("coach.first_meeting_on_time_share")[0]


def test_late_and_missed_meetings_appear_when_coaches_are_overloaded(small):
    """Spare staff hold about every meeting owed; overloaded ones hold a share well under 1 (the
    rest missed: the old diary skipped them silently), while first meetings go first (the default
    "bump" policy) or, queued behind routine meetings ("none"), come late."""
    relaxed = simkit.simulate(simkit.with_overrides(small, {"coaches.count": 8}), seed=2).metrics
    overload = simkit.with_overrides(small, {"coaches.count": 2, "coaches.caseload_cap": 400, "rules.meetings": "nordic-2022"})
    overloaded = simkit.simulate(overload, seed=2).metrics
    queued = simkit.simulate(simkit.with_overrides(overload, {"meeting.first_meeting_policy": "none"}), seed=2).metrics
    assert relaxed["coach.late_meeting_share"] < 0.01
    assert relaxed["coach.first_meeting_on_time_share"] > 0.99
    assert relaxed["coach.meetings_held_share"] > 0.99 and relaxed["coach.meetings_missed_per_client_year"] < 0.05
    assert overloaded["coach.late_meeting_share"] > 0.3
    assert overloaded["coach.meetings_held_share"] < 0.6
    assert overloaded["coach.meetings_missed_per_client_year"] > 0.3 * overloaded["coach.meetings_owed_per_client_year"]
    assert overloaded["coach.first_meeting_on_time_share"] > 0.95
    assert queued["coach.first_meeting_on_time_share"] < 0.5
    assert overloaded["coach.utilisation"] > 0.99 and queued["coach.utilisation"] > 0.99


def test_utilisation_never_exceeds_one_under_overload(small):
    metrics = simkit.simulate(simkit.with_overrides(small, {"coaches.count": 1, "coaches.caseload_cap": 1000}), seed=1).metrics
    assert 0.9 < metrics["coach.utilisation"] <= 1.0


def test_meeting_hours_add_up(small):
    """Hours per client-month x client-months = utilisation x available hours (two code paths)."""
    result = simkit.simulate(small, seed=8)
    metrics, scenario = result.metrics, small
    days = scenario.scenario.days
    dates = result.daily.loc[result.daily["in_window"], "date"]
    finnish_holidays = holidays.Finland(years=range(dates.dt.year.min(), dates.dt.year.max() + 1))
    working_days = int((dates.dt.day_of_week.lt(5) & ~dates.dt.date.isin(list(finnish_holidays))).sum())
    available = scenario.coaches.count * scenario.coaches.hours_per_week * scenario.coaches.client_time_share / 5 * working_days
    client_months = metrics["coach.caseload_mean"] * scenario.coaches.count * days / (365.25 / 12)
    assert metrics["coach.hours_per_client_month"] * client_months == pytest.approx(metrics["coach.utilisation"] * available)
    meetings = result.daily.loc[result.daily["in_window"], "coach_meetings"].sum()
    assert meetings * scenario.meeting.minutes / 60 == pytest.approx(metrics["coach.utilisation"] * available)


def test_meeting_rules_give_the_published_rhythm():
    assert meeting_rules("2021").meetings_in_first_year() == 5  # 1 initial + 4 quarterly (calibration §4)
    assert 10 <= meeting_rules("nordic-2022").meetings_in_first_year() <= 12  # about 10–12 in year one
    assert meeting_rules("2021").first_meeting_working_days == 10
    assert meeting_rules("nordic-2022").first_meeting_working_days == 5


def test_nordic_model_gives_more_meetings_per_client(small):
    ample = {"coaches.count": 12}
    before = simkit.simulate(simkit.with_overrides(small, ample), seed=1).metrics
    nordic = simkit.simulate(simkit.with_overrides(small, ample | {"rules.meetings": "nordic-2022"}), seed=1).metrics
    assert nordic["coach.meetings_per_client_year"] > 1.5 * before["coach.meetings_per_client_year"]
    assert nordic["coach.hours_per_client_month"] > before["coach.hours_per_client_month"]


def test_rule_sets_move_clients_between_te_and_municipality(small):
    te_only = simkit.simulate(simkit.with_overrides(small, {"rules.pilot": "te-only"}), seed=1).metrics
    te24 = simkit.simulate(simkit.with_overrides(small, {"rules.pilot": "te24"}), seed=1).metrics
    pilot = simkit.simulate(small, seed=1).metrics
    assert te_only["clients.share_pilot"] == 0 and te_only["clients.active_pilot"] == 0
    assert te_only["kela.questions_per_day"] == 0
    assert te24["clients.share_pilot"] == 1 and te24["clients.active_te"] == 0
    shares = small.clients
    either_foreign = shares.foreign_language + shares.foreign_citizen - shares.foreign_both
    expected = shares.resides_in_pilot_area * (1 - (1 - shares.kela_benefit - shares.no_benefit)
                                               * (1 - shares.under_30) * (1 - either_foreign))
    assert pilot["clients.share_pilot"] == pytest.approx(expected, abs=0.04)


def test_kela_questions_follow_the_rate_per_client(small):
    runs = simkit.replicate(small, 4, seed=2)
    questions = runs.per_replication["kela.questions_per_day"]
    expected = small.kela.questions_per_client_month * runs.per_replication["clients.active_pilot"] / (365.25 / 12)
    assert questions.mean() == pytest.approx(expected.mean(), rel=0.05)


def test_kela_line_open_hours_are_respected(small):
    observations = simkit.simulate(small, seed=1, keep_observations=True).observations
    line = observations.kela
    answered = line.answered_at[~np.isnan(line.answered_at)]
    hours = (answered - np.floor(answered)) * 24
    weekdays = pd.DatetimeIndex(observations.dates[np.floor(answered).astype(int)]).day_of_week
    assert answered.size > 0
    assert np.all((hours >= 8.0 - 1e-9) & (hours < 16.0)) and np.all(weekdays < 5)


def test_short_patience_turns_calls_into_callbacks(small):
    busy = {"kela.questions_per_client_month": 1.0}
    patient = simkit.simulate(simkit.with_overrides(small, busy | {"kela.patience_minutes": float("inf")}), seed=1).metrics
    hasty = simkit.simulate(simkit.with_overrides(small, busy | {"kela.patience_minutes": 1.0}), seed=1).metrics
    assert patient["kela.answered_share"] == 1.0 and patient["kela.callbacks_per_day"] == 0
    assert hasty["kela.answered_share"] < 0.8 and hasty["kela.callbacks_per_day"] > 0
    assert hasty["kela.wait_minutes_mean"] <= 1.0 + 1e-9


def test_warm_up_is_excluded_from_statistics(small):
    result = simkit.simulate(simkit.with_overrides(small, {"scenario.warmup_days": 30}), seed=1)
    daily = result.daily
    assert len(daily) == 210 and (~daily["in_window"]).sum() == 30
    assert daily.loc[daily["in_window"], "date"].iloc[0].date() == small.scenario.start_date
    window_arrivals = daily.loc[daily["in_window"], "arrivals"].sum()
    assert result.metrics["clients.arrivals_per_day"] == pytest.approx(window_arrivals / 180)


@pytest.mark.parametrize("rules, per_year", [("2021", 4.0), ("nordic-2022", 8.0)])
def test_long_term_clients_get_exactly_the_rules_rhythm(small, rules, per_year):
    """Clients a long way into their spells, who seldom leave, with idle coaches: 2021 rules give
    a meeting every 3 months (4 a year); the Nordic model adds 2 supplementary meetings each half
    year (8 a year). Held early or on time, never twice for one due date."""
    settled = simkit.with_overrides(small, {
        "rules.meetings": rules, "coaches.count": 20, "inflow.per_week": 0.0, "inflow.initial_clients": 400,
        "spell.distribution": "exponential", "spell.mean_days": 2000.0, "scenario.days": 730,
    })
    metrics = simkit.simulate(settled, seed=1).metrics
    assert metrics["coach.meetings_per_client_year"] == pytest.approx(per_year, rel=0.04)
    assert metrics["coach.late_meeting_share"] < 0.01
    on_the_day = simkit.simulate(simkit.with_overrides(settled, {"meeting.early_days": 0}), seed=1).metrics
    assert on_the_day["coach.meetings_per_client_year"] == pytest.approx(per_year, rel=0.04)
    assert on_the_day["coach.late_meeting_share"] < 0.01


def test_under_30s_can_have_a_seasonality_of_their_own(small):
    """The June youth surge: under-30s arrive with their own monthly factors, the rest with the
    general ones (one Poisson process, each arrival under 30 with the month's share)."""
    youth = [1.0] * 5 + [2.0] + [1.0] * 6
    scenario = simkit.with_overrides(small, {
        "inflow.seasonality": [1.0] * 12, "inflow.seasonality_under_30": youth, "inflow.per_week": 140.0,
        "inflow.initial_clients": 0, "clients.under_30": 0.2, "coaches.count": 0, "te.experts": 0,
    })
    population = AreaModel(scenario, seed=3).population
    month = (np.datetime64("2021-03-01") + np.floor(population.registration).astype(int)).astype("datetime64[M]")
    june = month == np.datetime64("2021-06")
    may = month == np.datetime64("2021-05")
    under_30 = population.attributes["under_30"]
    assert under_30[june].mean() == pytest.approx(0.4 / 1.2, abs=0.03)  # 0.2 x 2 / (0.2 x 2 + 0.8)
    assert under_30[may].mean() == pytest.approx(0.2, abs=0.03)
    assert june.sum() / 30 == pytest.approx(20 * 1.2, rel=0.08)  # per day: 140 / 7 x (0.2 x 2 + 0.8)


def test_a_slower_july_holds_exits_back(small):
    scenario = simkit.with_overrides(small, {
        "spell.distribution": "exponential", "scenario.days": 365, "inflow.seasonality": [1.0] * 12,
        "spell.monthly_exit_factor": [1.0] * 6 + [0.5] + [1.0] * 5, "coaches.count": 0, "te.experts": 0,
    })
    daily = simkit.simulate(scenario, seed=4).daily
    month = daily["date"].dt.month
    per_day = (daily["exits"] / (daily["active_pilot"] + daily["active_te"]).shift(1)).groupby(month).mean()
    assert per_day[7] == pytest.approx(0.5 * per_day[[5, 9, 10]].mean(), rel=0.15)
    flat = simkit.simulate(simkit.with_overrides(scenario, {"spell.monthly_exit_factor": [1.0] * 12}), seed=4).metrics
    slow = simkit.simulate(scenario, seed=4).metrics
    assert slow["clients.mean_days_in_service"] > flat["clients.mean_days_in_service"]
