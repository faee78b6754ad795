"""Dated events: the scenario in force on each simulated day.

A scenario with ``[[events]]`` is a sequence of periods. Period 0 is the scenario itself (its
events removed); each event starts a new period with its dotted keys changed. Only keys that a
running model can change are allowed in events (``CHANGEABLE``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from simkit.memo import once_per
from simkit.scenario.schema import Scenario

CHANGEABLE = (
    "rules.pilot", "rules.meetings", "inflow.per_week", "inflow.seasonality", "inflow.seasonality_under_30", "clients.",
    "spell.", "coaches.count", "coaches.teams", "coaches.caseload_cap", "coaches.hours_per_week",
    "coaches.client_time_share", "te.experts", "te.caseload_cap", "te.hours_per_week",
    "te.client_time_share", "kela.contact_persons", "kela.questions_per_client_month",
    "kela.handle_minutes", "kela.handle_distribution", "kela.handle_cv", "kela.question_types",
    "kela.offline_hours_per_week",
    "calendar.summer_holiday_share", "calendar.sick_leave_share", "meeting.no_show_share", "statements.",
)


def changeable_on_a_date(key: str) -> bool:
    return any(key == allowed or (allowed.endswith(".") and key.startswith(allowed)) for allowed in CHANGEABLE)


@dataclass(frozen=True)
class Timeline:
    """The periods of a run: ``starts[i]`` is the first day (from day 0 of the run) of ``periods[i]``."""

    starts: tuple[int, ...]
    periods: tuple[Scenario, ...]

    def period_of_days(self, days: np.ndarray) -> np.ndarray:
        """Index of the period in force on each day (days from the start of the run)."""
        return np.searchsorted(np.asarray(self.starts), days, side="right") - 1

    def by_period(self, period: np.ndarray, compute) -> np.ndarray:
        """Fill an array element-wise with ``compute(scenario of the period, rows of that period)``."""
        result = None
        for index, scenario in enumerate(self.periods):
            rows = np.flatnonzero(period == index)
            values = np.asarray(compute(scenario, rows))
            if result is None:
                result = np.empty(len(period), dtype=values.dtype)
            result[rows] = values
        return result

    def per_day(self, n_days: int, value) -> np.ndarray:
        """``value(period_scenario)`` for each day of the run, as an array."""
        values = np.array([value(period) for period in self.periods])
        return values[self.period_of_days(np.arange(n_days))]


class EventError(ValueError):
    """Event ``index`` cannot be applied: ``problem`` is a message or the schema's ValidationError."""

    def __init__(self, index: int, problem: str | ValidationError):
        self.index = index
        self.problem = problem
        super().__init__(f"events[{index}]: {problem}")


def period_scenarios(scenario: Scenario) -> list[tuple[dt.date, str, Scenario]]:
    """(date, name, scenario in force) for the base and after each event, events removed; validated
    once per scenario (it is frozen), as every run of it reads them."""
    return list(once_per("periods", lambda: tuple(_validated_periods(scenario)), scenario))


def _validated_periods(scenario: Scenario) -> list[tuple[dt.date, str, Scenario]]:
    base = scenario.model_dump(mode="python", exclude={"events"})
    periods = [(dt.date.min, "start", Scenario.model_validate(base))]
    current = base
    for index, event in enumerate(scenario.events):
        for key in event.changes:
            if not changeable_on_a_date(key):
                raise EventError(index, f"{key} cannot change on a date")
        current = _with_changes(current, event.changes)
        try:
            period = Scenario.model_validate(current)
        except ValidationError as error:
            raise EventError(index, error) from None
        if _team_segments(period) != _team_segments(periods[0][2]):
            raise EventError(index, "an event may resize coach teams but not add, remove or re-purpose them")
        if _question_type_names(period) != _question_type_names(periods[0][2]):
            raise EventError(index, "an event may change question type shares and handle times, not which types there are")
        periods.append((event.date, event.name or f"event on {event.date}", period))
    return periods


def timeline(scenario: Scenario, first_date: dt.date) -> Timeline:
    """The timeline of a run whose day 0 is ``first_date``; events before it apply from day 0."""
    periods = period_scenarios(scenario)
    starts, kept = [], []
    for date, _name, period in periods:
        start = max(0, (date - first_date).days)
        if starts and start == starts[-1]:
            kept[-1] = period  # a later period starting the same day wins
            continue
        starts.append(start)
        kept.append(period)
    return Timeline(tuple(starts), tuple(kept))


@dataclass(frozen=True)
class Period:
    """A stretch of the statistics window with one set of rules in force.

    ``start_day``/``end_day``: days ``[start_day, end_day)`` from day 0 of the run (warm-up
    included); ``first_date``/``last_date``: its first and last calendar day; ``event``: the
    dated event(s) that began it ("" for the scenario as it starts); ``changes``: what they set.
    """

    start_day: int
    end_day: int
    first_date: dt.date
    last_date: dt.date
    event: str
    changes: str

    @property
    def label(self) -> str:
        return f"{self.first_date.isoformat()} – {self.last_date.isoformat()}"


def window_periods(scenario: Scenario) -> list[Period]:
    """The periods between dated events inside the statistics window, in date order; events
    before the window are in force from its first day (the first period names them)."""
    info = scenario.scenario
    first_date = info.start_date - dt.timedelta(days=info.warmup_days)
    start, end = info.warmup_days, info.warmup_days + info.days
    bounds: list[tuple[int, list[str], list[str]]] = [(start, [], [])]  # (day, event names, changes)
    for event in scenario.events:
        day = max((event.date - first_date).days, start)
        if day >= end:
            break
        changes = [f"{key} = {value}" for key, value in event.changes.items()]
        name = event.name or f"event on {event.date}"
        if day == bounds[-1][0]:
            bounds[-1][1].append(name)
            bounds[-1][2].extend(changes)
        else:
            bounds.append((day, [name], changes))
    ends = [day for day, _, _ in bounds[1:]] + [end]
    return [Period(day, stop, first_date + dt.timedelta(days=day), first_date + dt.timedelta(days=stop - 1),
                   " + ".join(names), "; ".join(changes))
            for (day, names, changes), stop in zip(bounds, ends)]


def _team_segments(scenario: Scenario) -> list[tuple[str, str]]:
    return [(team.name, team.serves) for team in scenario.coaches.resolved_teams()]


def _question_type_names(scenario: Scenario) -> list[str]:
    return [kind.name for kind in scenario.kela.resolved_question_types()]


def _with_changes(raw: dict, changes: dict) -> dict:
    result = {section: dict(values) if isinstance(values, dict) else values for section, values in raw.items()}
    for key, value in changes.items():
        section, _, leaf = key.partition(".")
        result[section] = {**result.get(section, {}), leaf: value}
    return result
