"""The simulation calendar: days, weekdays, Finnish public holidays, working days and months.

Time in the model is measured in days (floats); day 0 starts at midnight of the first
simulated date (the start of the warm-up). Working days are Monday to Friday, less Finnish
public holidays (from the ``holidays`` package) when the scenario counts them.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import holidays
import numpy as np

from simkit.model.compiled import compiled
from simkit.units import DAYS_PER_MONTH, MINUTES_PER_DAY, WORKING_DAYS_PER_WEEK

__all__ = ["DAYS_PER_MONTH", "MINUTES_PER_DAY", "WORKING_DAYS_PER_WEEK", "Calendar", "WeeklyHours", "day_ends",
           "time_order"]


@dataclass(frozen=True)
class Calendar:
    """Day-indexed facts for ``n_days`` days from ``first_date``."""

    first_date: dt.date
    n_days: int
    public_holidays: bool = True
    weekday: np.ndarray = field(init=False, repr=False)  # 0 = Monday
    is_holiday: np.ndarray = field(init=False, repr=False)
    is_working_day: np.ndarray = field(init=False, repr=False)
    working_days_through: np.ndarray = field(init=False, repr=False)  # working days in [0, d]
    working_day_from: np.ndarray = field(init=False, repr=False)  # the first working day >= d (n_days: none)
    month: np.ndarray = field(init=False, repr=False)  # 0 = January

    def __post_init__(self) -> None:
        days = np.arange(self.n_days)
        weekday = (self.first_date.weekday() + days) % 7
        dates = self.dates()
        month = dates.astype("datetime64[M]").astype(int) % 12
        holiday = np.zeros(self.n_days, dtype=bool)
        if self.public_holidays and self.n_days:
            holiday = np.isin(dates, finnish_holidays(self.first_date.year, self.date_of(self.n_days - 1).year))
        working = (weekday < WORKING_DAYS_PER_WEEK) & ~holiday
        object.__setattr__(self, "weekday", weekday)
        object.__setattr__(self, "is_holiday", holiday)
        object.__setattr__(self, "is_working_day", working)
        object.__setattr__(self, "working_days_through", np.cumsum(working))
        after = np.where(working, days, self.n_days)
        object.__setattr__(self, "working_day_from", np.minimum.accumulate(after[::-1])[::-1])
        object.__setattr__(self, "month", month)

    def date_of(self, day: int) -> dt.date:
        return self.first_date + dt.timedelta(days=int(day))

    def dates(self) -> np.ndarray:
        return np.datetime64(self.first_date, "D") + np.arange(self.n_days)

    def working_days_between(self, from_day: int, to_day: int) -> int:
        """Working days in (from_day, to_day]: 1 for a meeting on the next working day."""
        before = self.working_days_through[from_day] if from_day >= 0 else 0
        return int(self.working_days_through[to_day] - before)


@functools.cache
def finnish_holidays(first_year: int, last_year: int) -> np.ndarray:
    """The Finnish public holidays of the years ``first_year..last_year`` (read-only)."""
    dates = np.array(sorted(holidays.Finland(years=range(first_year, last_year + 1))), dtype="datetime64[D]")
    dates.flags.writeable = False
    return dates


class WeeklyHours:
    """Hours ``[first_hour, last_hour)`` on the first ``weekdays`` days of each week (0 = Monday),
    closed on public holidays unless open all 7 days.

    Serves both the line's opening hours and the coaches' calling hours. ``elapsed`` and
    ``at_elapsed`` map calendar time to and from open time weighted by ``day_weights`` (by
    default plain days of open hours since day 0), so that events spread over open time at a
    rate that changes from day to day can be drawn.
    """

    def __init__(
        self,
        hours: tuple[float, float],
        weekdays: int,
        calendar: Calendar,
        day_weights: np.ndarray | None = None,
    ):
        self.first = hours[0] / 24.0
        self.length = (hours[1] - hours[0]) / 24.0
        open_day = calendar.weekday < weekdays
        if weekdays < 7:
            open_day &= ~calendar.is_holiday
        self.open_day = open_day
        self.always = bool(open_day.all()) and self.length == 1.0
        self._weight = np.ones(calendar.n_days) if day_weights is None else np.asarray(day_weights, dtype=float)
        open_length = np.where(open_day, self.length, 0.0)
        self._open_at_day = np.concatenate([[0.0], np.cumsum(open_length)])
        self._elapsed_at_day = np.concatenate([[0.0], np.cumsum(open_length * self._weight)])
        self.next_open_day = _next_true_after(open_day)

    def next_open(self, times: np.ndarray) -> np.ndarray:
        """For each time (days), itself if open then, else the next opening time."""
        day = np.floor(times).astype(int)
        into_day = times - day - self.first
        today = self.open_day[day]
        before = today & (into_day < 0.0)
        after = ~today | (into_day >= self.length)
        return np.where(before, day + self.first, np.where(after, self.next_open_day[day] + self.first, times))

    def wait_until_open(self, time: float) -> float:
        """Days from ``time`` until open (0.0 if open, or opening within a microsecond)."""
        return until_open(self.open_day, self.next_open_day, self.first, self.length, time)

    def elapsed(self, times: np.ndarray) -> np.ndarray:
        """Weighted open time from day 0 to each time."""
        day = np.floor(times).astype(int)
        within = np.clip(times - day - self.first, 0.0, self.length) * self.open_day[day]
        return self._elapsed_at_day[day] + within * self._weight[day]

    def at_elapsed(self, open_time: np.ndarray) -> np.ndarray:
        """The calendar time at which ``open_time`` of weighted open time has passed."""
        day_end = self._elapsed_at_day[1:]
        day = np.minimum(np.searchsorted(day_end, open_time, side="left"), len(day_end) - 1)
        weight = np.where(self._weight[day] > 0, self._weight[day], 1.0)
        return day + self.first + (open_time - self._elapsed_at_day[day]) / weight

    def open_days_in(self, start_day: int, end_day: int) -> float:
        """Days of open time (unweighted) in [start_day, end_day)."""
        return float(self._open_at_day[end_day] - self._open_at_day[start_day])

    def open_days_per_day(self, n_days: int) -> np.ndarray:
        """Days of open time on each day."""
        return np.diff(self._open_at_day[: n_days + 1])


@compiled
def until_open(open_day: np.ndarray, next_open_day: np.ndarray, first: float, length: float, time: float) -> float:
    """Days from ``time`` until hours ``[first, first + length)`` (days) of the days ``open_day`` open
    (``next_open_day[d]``: the next open day after d); 0.0 if open, or opening within a microsecond."""
    day = int(time)
    into_day = time - day - first
    if open_day[day]:
        if into_day < 0.0:
            return -into_day if -into_day > 1e-11 else 0.0
        if into_day < length:
            return 0.0
    return next_open_day[day] + first - time


def _next_true_after(flags: np.ndarray) -> np.ndarray:
    """For each index d, the smallest index > d where ``flags`` is true (len(flags) if none)."""
    positions = np.flatnonzero(flags)
    index = np.searchsorted(positions, np.arange(len(flags)), side="right")
    padded = np.append(positions, len(flags))
    return padded[index]


@compiled
def events_on_day(ends: np.ndarray, day: int) -> int:
    """How many events fall on ``day``, given their :func:`day_ends`."""
    return ends[day] - (ends[day - 1] if day > 0 else 0)


def day_ends(times: np.ndarray, n_days: int) -> list[int]:
    """For each day d < ``n_days``, the index just past the last of the sorted ``times`` before
    the day's end (``times < d + 1``): the events of day d are ``[day_ends[d-1], day_ends[d])``."""
    return np.searchsorted(times, np.arange(1, n_days + 1), side="left").tolist()


def time_order(times: np.ndarray) -> np.ndarray:
    """``np.argsort(times, kind="stable")``, faster: times already in order keep it, distinct times
    have one order (which the faster unstable sort finds); only ties (or NaN) need the stable sort."""
    if np.all(times[1:] >= times[:-1]):
        return np.arange(len(times))
    order = np.argsort(times)
    ordered = times[order]
    if np.isnan(ordered[-1]) or np.any(ordered[1:] == ordered[:-1]):
        return np.argsort(times, kind="stable")
    return order

