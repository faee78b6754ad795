"""Spells: how long a client stays on the books, and the clock the spells run in.

A spell is drawn by inversion of its distribution (exponential or lognormal) from one uniform,
so a change of distribution keeps the coupling (common random numbers). Spells run in the
:class:`ExitClock`'s time, at the month's exit factor.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

from simkit.model.calendar import Calendar
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import Timeline


def lognormal_parameters(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of the normal behind a lognormal with this mean and coefficient of variation."""
    sigma2 = np.log1p(cv * cv)
    return float(np.log(mean) - sigma2 / 2), float(np.sqrt(sigma2))


def draw_spells(timeline: Timeline, period: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Spells from one uniform each, by inversion, so a change of distribution keeps the coupling."""
    uniforms = rng.random(len(period))
    return timeline.by_period( period, lambda s, rows: spell_days(s, uniforms[rows]))


def spell_days(scenario: Scenario, uniforms: np.ndarray) -> np.ndarray:
    spell = scenario.spell
    if spell.distribution == "exponential":
        return -spell.mean_days * np.log1p(-uniforms)
    mu, sigma = lognormal_parameters(spell.mean_days, spell.cv)
    return np.exp(mu + sigma * ndtri(uniforms))


def spell_survival(scenario: Scenario, days: np.ndarray) -> np.ndarray:
    """Chance that a spell lasts longer than ``days`` (clock-days)."""
    spell = scenario.spell
    if spell.distribution == "exponential":
        return np.exp(-days / spell.mean_days)
    mu, sigma = lognormal_parameters(spell.mean_days, spell.cv)
    return ndtr(-(np.log(np.maximum(days, 1e-9)) - mu) / sigma)


def remaining_given_age(scenario: Scenario, lasted_days: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Remaining clock-days of spells that have lasted ``lasted_days``, by inversion."""
    spell = scenario.spell
    if spell.distribution == "exponential":
        return -spell.mean_days * np.log1p(-uniforms)  # memoryless
    mu, sigma = lognormal_parameters(spell.mean_days, spell.cv)
    lasted = ndtr((np.log(np.maximum(lasted_days, 1e-9)) - mu) / sigma)
    total = np.exp(mu + sigma * ndtri(lasted + uniforms * (1.0 - lasted)))
    return np.maximum(total - lasted_days, 1e-6)


def stock_spells(scenario: Scenario, stock: list, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Age and remaining days of the clients of a caseload CSV; a blank remaining spell is drawn
    from the spell distribution given that it has already lasted the client's age."""
    age = np.array([client.days_since_registration for client in stock], dtype=float)
    given = np.array([client.remaining_days if client.remaining_days is not None else np.nan for client in stock])
    drawn = remaining_given_age(scenario, age, rng.random(len(stock)))
    return age, np.where(np.isnan(given), drawn, given)


class ExitClock:
    """Time in which spells run: on day d at ``speed[d]`` (the month's exit factor), at 1 before
    day 0 and after the calendar. A spell of s clock-days from t ends at ``at(of(t) + s)``."""

    def __init__(self, speed: np.ndarray):
        self.speed = np.asarray(speed, dtype=float)
        self.cumulative = np.concatenate([[0.0], np.cumsum(self.speed)])
        self.days = len(self.speed)

    def of(self, times: np.ndarray) -> np.ndarray:
        day = np.clip(np.floor(times).astype(int), 0, self.days - 1)
        inside = self.cumulative[day] + self.speed[day] * (times - day)
        return np.where(times < 0, times, np.where(times >= self.days, self.cumulative[-1] + times - self.days, inside))

    def at(self, clock: np.ndarray) -> np.ndarray:
        day = np.clip(np.searchsorted(self.cumulative, clock, side="right") - 1, 0, self.days - 1)
        inside = day + (clock - self.cumulative[day]) / self.speed[day]
        end = self.cumulative[-1]
        return np.where(clock < 0, clock, np.where(clock >= end, self.days + clock - end, inside))


def exit_clock(timeline: Timeline, calendar: Calendar) -> ExitClock:
    factors = np.array([s.spell.monthly_exit_factor for s in timeline.periods])
    return ExitClock(factors[timeline.period_of_days(np.arange(calendar.n_days)), calendar.month])
