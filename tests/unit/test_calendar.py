"""Calendar, WeeklyHours and day_ends directly: working days, holidays, opening hours."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from simkit.model.calendar import Calendar, WeeklyHours, day_ends

DECEMBER = Calendar(dt.date(2021, 12, 1), 40)  # Wednesday 1 December 2021; 6 Dec Independence Day (Monday)


def day(date: str) -> int:
    return (dt.date.fromisoformat(date) - DECEMBER.first_date).days


def test_holidays_and_weekends_are_not_working_days():
    assert DECEMBER.weekday[day("2021-12-06")] == 0
    assert DECEMBER.is_holiday[day("2021-12-06")] and not DECEMBER.is_working_day[day("2021-12-06")]
    assert not DECEMBER.is_working_day[day("2021-12-04")]  # Saturday
    assert DECEMBER.is_working_day[day("2021-12-07")]
    assert not DECEMBER.is_working_day[[day("2021-12-24"), day("2021-12-25"), day("2021-12-26")]].any()
    without = Calendar(dt.date(2021, 12, 1), 40, public_holidays=False)
    assert without.is_working_day[day("2021-12-06")]


def test_working_days_between_counts_the_days_after_the_first():
    # Friday 3 Dec to Tuesday 7 Dec: the weekend and Independence Day do not count
    assert DECEMBER.working_days_between(day("2021-12-03"), day("2021-12-07")) == 1
    assert DECEMBER.working_days_between(day("2021-12-01"), day("2021-12-02")) == 1
    assert DECEMBER.working_days_between(day("2021-12-01"), day("2021-12-01")) == 0


def test_the_first_working_day_from_a_day():
    assert DECEMBER.working_day_from[day("2021-12-04")] == day("2021-12-07")
    assert DECEMBER.working_day_from[day("2021-12-07")] == day("2021-12-07")
    assert DECEMBER.month[day("2022-01-01")] == 0 and DECEMBER.month[0] == 11


def test_weekly_hours_open_on_weekdays_between_the_hours():
    line = WeeklyHours((8.0, 16.0), 5, DECEMBER)
    friday = day("2021-12-03")
    # before opening: the same day at 8; after closing: the next open day (Tuesday, after the holiday)
    opened = line.next_open(np.array([friday + 6 / 24, friday + 10 / 24, friday + 17 / 24]))
    np.testing.assert_allclose(opened, [friday + 8 / 24, friday + 10 / 24, day("2021-12-07") + 8 / 24])
    assert line.wait_until_open(friday + 10 / 24) == 0.0
    assert line.wait_until_open(friday + 7 / 24) == pytest.approx(1 / 24)
    assert line.open_days_in(day("2021-12-01"), day("2021-12-08")) == pytest.approx(4 * 8 / 24)


def test_weighted_open_time_maps_back_to_calendar_time():
    weights = np.linspace(0.5, 2.0, DECEMBER.n_days)
    line = WeeklyHours((8.0, 16.0), 5, DECEMBER, weights)
    times = np.array([day("2021-12-01") + 9 / 24, day("2021-12-10") + 15 / 24])
    np.testing.assert_allclose(line.at_elapsed(line.elapsed(times)), times)


def test_open_every_hour_of_every_day_is_always_open():
    assert WeeklyHours((0.0, 24.0), 7, DECEMBER).always
    assert not WeeklyHours((0.0, 24.0), 5, DECEMBER).always


def test_day_ends_split_sorted_times_by_day():
    assert day_ends(np.array([0.2, 0.9, 1.0, 2.5, 2.7]), 4) == [2, 3, 5, 5]
