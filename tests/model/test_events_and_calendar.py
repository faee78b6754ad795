"""Dated events, the calendar (public holidays, summer holidays, sick leave) and no-shows."""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pytest

import simkit
from simkit.model.engine import AreaModel
from simkit.scenario import ScenarioError


def with_events(scenario, *events, **overrides):
    return simkit.with_overrides(scenario, {"events": list(events), **overrides})


def on(daily: pd.DataFrame, date: str) -> pd.Series:
    return daily.loc[daily["date"] == pd.Timestamp(date)].iloc[0]


def assert_conserved(audit: dict) -> None:
    assert audit["arrived"] == audit["active_by_records"] + audit["exited"]
    assert audit["active_by_state"] == audit["active_by_records"]
    assert audit["with_staff_by_caseloads"] == audit["with_staff_by_state"]
    assert audit["waiting_by_lists"] == audit["waiting_by_state"]


# -- events -----------------------------------------------------------------------------------
def test_pilot_start_moves_eligible_te_clients_to_coaches(small):
    before_pilot = with_events(
        small, {"date": dt.date(2021, 4, 1), "name": "pilot starts", "set": {"rules.pilot": "pilot-2021"}},
        **{"rules.pilot": "te-only", "te.experts": 6, "coaches.count": 6},
    )
    result = simkit.simulate(before_pilot, seed=1)
    daily = result.daily
    assert on(daily, "2021-03-31")["active_pilot"] == 0
    share_after = on(daily, "2021-04-01")["active_pilot"] / (on(daily, "2021-04-01")[["active_pilot", "active_te"]].sum())
    c = small.clients
    eligible = 1 - (1 - c.kela_benefit - c.no_benefit) * (1 - c.under_30) * (
        1 - (c.foreign_language + c.foreign_citizen - c.foreign_both))
    assert share_after == pytest.approx(eligible, abs=0.05)
    assert on(daily, "2021-04-02")["coach_caseload_mean"] > 50
    assert_conserved(result.audit)


def test_te24_moves_every_te_client_and_expert(small):
    te24 = with_events(small, {"date": dt.date(2021, 6, 1), "set": {"rules.pilot": "te24", "te.experts": 0, "coaches.count": 6}})
    result = simkit.simulate(te24, seed=2)
    daily = result.daily
    assert on(daily, "2021-05-31")["active_te"] > 100
    after = daily[daily["date"] >= pd.Timestamp("2021-06-01")]
    assert (after["active_te"] == 0).all() and after["te_caseload_mean"].isna().all()
    total = daily["active_pilot"] + daily["active_te"]
    assert on(daily, "2021-06-01")["active_pilot"] == pytest.approx(on(daily, "2021-05-31")["active_pilot"] + on(daily, "2021-05-31")["active_te"], abs=15)
    assert (total.diff().iloc[1:] == (daily["arrivals"] - daily["exits"]).iloc[1:]).all()
    assert_conserved(result.audit)


def test_fewer_coaches_put_their_clients_on_the_waiting_list(small):
    cut = with_events(small, {"date": dt.date(2021, 5, 3), "set": {"coaches.count": 2}}, **{"coaches.caseload_cap": 150})
    result = simkit.simulate(cut, seed=3, keep_observations=True)
    daily = result.daily
    assert on(daily, "2021-05-02")["waiting_for_coach"] == 0
    assert on(daily, "2021-05-03")["waiting_for_coach"] > 100
    assert daily["coach_caseload_mean"].max() <= 150
    assert result.observations.pools["coach"].caseload_at_end[2:].sum() == 0  # nobody left with the coaches who went
    assert_conserved(result.audit)


def test_nordic_model_event_raises_the_meeting_rhythm(small):
    ample = {"coaches.count": 12}
    switch = with_events(small, {"date": dt.date(2021, 5, 3), "set": {"rules.meetings": "nordic-2022"}}, **ample)
    daily = simkit.simulate(switch, seed=4).daily
    working = daily["coach_meetings"] > 0
    before = daily.loc[working & (daily["date"] < pd.Timestamp("2021-05-03")), "coach_meetings"].mean()
    after = daily.loc[working & (daily["date"] >= pd.Timestamp("2021-07-01")), "coach_meetings"].mean()
    assert after > 1.5 * before


def test_more_contact_persons_shorten_the_wait(small):
    busy = {"kela.questions_per_client_month": 1.0, "kela.patience_minutes": float("inf")}
    more = with_events(small, {"date": dt.date(2021, 5, 3), "set": {"kela.contact_persons": 3}}, **busy)
    daily = simkit.simulate(more, seed=5).daily
    wait = daily["kela_wait_minutes_mean"]
    assert wait[daily["date"] < pd.Timestamp("2021-05-03")].mean() > 3 * wait[daily["date"] >= pd.Timestamp("2021-05-10")].mean()
    metrics = simkit.simulate(more, seed=5).metrics
    assert 0 < metrics["kela.utilisation"] < 1


def test_inflow_change_on_a_date(small):
    surge = with_events(small, {"date": dt.date(2021, 6, 1), "set": {"inflow.per_week": 70.0}})
    daily = simkit.simulate(surge, seed=6).daily
    before = daily.loc[daily["date"] < pd.Timestamp("2021-06-01"), "arrivals"].mean()
    after = daily.loc[daily["date"] >= pd.Timestamp("2021-06-01"), "arrivals"].mean()
    assert after / before == pytest.approx(70 / 21 * 1.0, rel=0.25)


def test_staffing_events_keep_common_random_numbers(small):
    base = simkit.simulate(small, seed=7).daily
    moved = simkit.simulate(with_events(small, {"date": dt.date(2021, 5, 3), "set": {"coaches.count": 2}}), seed=7).daily
    pd.testing.assert_series_equal(base["arrivals"], moved["arrivals"])
    pd.testing.assert_series_equal(base["kela_questions"], moved["kela_questions"])


def test_events_before_the_run_apply_from_day_0_and_after_it_never(small):
    early = with_events(small, {"date": dt.date(2020, 1, 1), "set": {"coaches.count": 3}},
                        {"date": dt.date(2030, 1, 1), "set": {"coaches.count": 1}})
    model = AreaModel(early, seed=1)
    assert model.on_duty["coach"][0] == 3 and model.on_duty["coach"][model.horizon - 1] == 3


@pytest.mark.parametrize("changes, fragment", [
    ({"meeting.minutes": 30}, "events[0] (2021-05-03): meeting.minutes cannot change on a date"),
    ({"coaches.count": -2}, "events[0] (2021-05-03): coaches.count = -2: input should be greater than or equal to 0"),
    ({"coaches.cont": 2}, "events[0] (2021-05-03): unknown key coaches.cont (did you mean coaches.count?)"),
    ({"rules.pilot": "pilot"}, "rules.pilot = \"pilot\""),
])
def test_bad_events_are_named(tmp_path, changes, fragment):
    path = tmp_path / "events.toml"
    items = ", ".join(f'"{k}" = {v!r}'.replace("'", '"') for k, v in changes.items())
    path.write_text(f"[[events]]\ndate = 2021-05-03\nset = {{ {items} }}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        simkit.load_scenario(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert fragment in str(raised.value)


def test_events_out_of_order_are_refused():
    with pytest.raises(ScenarioError, match="events must be listed in date order"):
        simkit.scenario_from_dict({"events": [{"date": "2022-01-01", "set": {}}, {"date": "2021-01-01", "set": {}}]})


# -- calendar ---------------------------------------------------------------------------------
def test_no_meetings_and_no_kela_answers_on_public_holidays(small):
    year = simkit.with_overrides(small, {"scenario.days": 365})
    result = simkit.simulate(year, seed=1, keep_observations=True)
    observations, daily = result.observations, result.daily
    for holiday in ["2021-05-13", "2021-06-25", "2021-12-06", "2021-12-24"]:  # Ascension, Midsummer Eve, Independence, Christmas Eve
        assert on(daily, holiday)["coach_meetings"] == 0
    answered = observations.kela.answered_at[~np.isnan(observations.kela.answered_at)]
    answered_days = set(np.floor(answered).astype(int).tolist())
    finnish = holidays.Finland(years=range(2021, 2023))
    holiday_days = {day for day, date in enumerate(pd.DatetimeIndex(observations.dates).date) if date in finnish}
    assert len(holiday_days) > 5
    assert not answered_days & holiday_days
    without = simkit.simulate(simkit.with_overrides(year, {"calendar.public_holidays": False}), seed=1).daily
    assert on(without, "2021-12-06")["coach_meetings"] > 0


def meetings_per_working_day(scenario, month: int) -> float:
    """Coach meetings per working day of ``month`` (in the statistics window)."""
    daily = simkit.simulate(scenario, seed=2).daily
    in_month = daily[(daily["date"].dt.month == month) & (daily["coach_meetings"] > 0)]
    return in_month["coach_meetings"].mean()


def test_summer_holidays_and_sick_leave_cut_meeting_time(small):
    """Two overloaded coaches: 37.5 h x 0.6 / 5 = 270 minutes a day = 6 meetings of 45 minutes each;
    half the staff away takes half the time (minutes, in proportion)."""
    overloaded = simkit.with_overrides(small, {"coaches.count": 2, "coaches.caseload_cap": 400, "scenario.days": 200,
                                               "rules.meetings": "nordic-2022"})
    assert meetings_per_working_day(overloaded, month=7) == pytest.approx(12, rel=0.02)
    summer = simkit.with_overrides(overloaded, {"calendar.summer_holiday_share": 0.5})
    assert meetings_per_working_day(summer, month=7) == pytest.approx(6, rel=0.02)
    assert meetings_per_working_day(summer, month=6) == pytest.approx(12, rel=0.02)
    sick = simkit.with_overrides(overloaded, {"calendar.sick_leave_share": 0.5})
    assert meetings_per_working_day(sick, month=6) == pytest.approx(6, rel=0.02)


def test_no_shows_lose_the_slot_and_rebook(small):
    ample = simkit.with_overrides(small, {"coaches.count": 12, "meeting.no_show_share": 0.3})
    result = simkit.simulate(ample, seed=3, keep_observations=True)
    coach = result.observations.pools["coach"]
    attempts = coach.held.sum() + coach.no_shows.sum()
    assert attempts > 1500
    assert coach.no_shows.sum() / attempts == pytest.approx(0.3, abs=0.04)  # about 3.5 standard errors
    without = simkit.simulate(simkit.with_overrides(ample, {"meeting.no_show_share": 0.0}), seed=3).metrics
    with_no_shows = result.metrics
    assert with_no_shows["coach.first_meeting_working_days"] > without["coach.first_meeting_working_days"] + 1
