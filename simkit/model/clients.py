"""Clients: who arrives, with which attributes, for how long, and who is a pilot client.

Everything here is drawn up front from the component streams, independently of staffing:
arrival times, attributes, spell lengths and the times of Kela questions. That is what makes
two scenarios with the same seed see the same clients (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from simkit.model.calendar import DAYS_PER_MONTH, MINUTES_PER_DAY, Calendar, WeeklyHours
from simkit.observations import Population  # plain data; drawn here
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import Timeline

ATTRIBUTES = ("resides_in_pilot_area", "kela_benefit", "under_30", "foreign_language", "foreign_citizen")


def eligible_for_pilot(resides_in_pilot_area, kela_benefit, under_30, foreign_language, foreign_citizen):
    """The pilot rule of 2021 (Act 1269/2020): is this job seeker a pilot client?

    A person living in a pilot municipality is a pilot client if they receive labour market
    subsidy or basic daily allowance from Kela, **or** are under 30, **or** have a native
    language other than Finnish, Swedish or Sámi, **or** are not a Finnish citizen. Everyone
    else stays a TE office client. Works on plain booleans and on numpy boolean arrays alike.
    """
    return resides_in_pilot_area & (kela_benefit | under_30 | foreign_language | foreign_citizen)


def municipal_client(rule: str, attributes: dict[str, np.ndarray]) -> np.ndarray:
    """Who is served by municipal coaches under a rule set: "te-only", "pilot-2021" or "te24"."""
    n = len(attributes[ATTRIBUTES[0]])
    if rule == "te-only":
        return np.zeros(n, dtype=bool)
    if rule == "te24":
        return np.ones(n, dtype=bool)
    if rule == "pilot-2021":
        return np.asarray(eligible_for_pilot(*(attributes[name] for name in ATTRIBUTES)), dtype=bool)
    raise ValueError(f"unknown pilot rule {rule!r}")


@dataclass(frozen=True)
class KelaQuestions:
    """Kela questions of municipal clients, in time order: when raised and how long they take."""

    raised: np.ndarray  # days
    handle: np.ndarray  # days
    client: np.ndarray  # index into the population
    kind: np.ndarray  # index into the scenario's question types


def draw_population(timeline: Timeline, calendar: Calendar, streams: dict[str, np.random.Generator]) -> Population:
    """Draw the initial stock and the arrivals of one replication, by the scenario in force."""
    start = timeline.periods[0]
    n_initial = start.inflow.initial_clients
    initial_rng = streams["initial_clients"]
    initial_period = np.zeros(n_initial, dtype=int)
    initial_attributes = _draw_attributes(timeline, initial_period, initial_rng)
    age, residual = _draw_in_progress_spells(start, initial_rng, n_initial)
    stock = start.inflow.initial_stock
    if stock is not None:
        age, residual = _stock_spells(start, stock, initial_rng)
        for name in ATTRIBUTES:
            given = np.array([getattr(client, name) is not None for client in stock], dtype=bool)
            values = np.array([bool(getattr(client, name)) for client in stock], dtype=bool)
            initial_attributes[name] = np.where(given, values, initial_attributes[name])
    initial_team = [client.team for client in stock] if stock is not None else [None] * n_initial

    arrivals = _draw_arrival_times(timeline, calendar, streams["arrivals"])
    arrival_day = np.floor(arrivals).astype(int)
    period = timeline.period_of_days(arrival_day)
    attributes = _draw_attributes(timeline, period, streams["attributes"], calendar.month[arrival_day])
    spells = _draw_spells(timeline, period, streams["spells"])

    clock = exit_clock(timeline, calendar)
    residual = clock.at(residual)  # spells in progress run on from day 0
    exits = clock.at(clock.of(arrivals) + spells)
    all_attributes = {name: np.concatenate([initial_attributes[name], attributes[name]]) for name in ATTRIBUTES}
    all_periods = np.concatenate([initial_period, period])
    municipal = _by_period(timeline, all_periods, lambda s, rows: municipal_client(
        s.rules.pilot, {name: values[rows] for name, values in all_attributes.items()}))
    for client, team in enumerate(initial_team):
        if team is not None:
            municipal[client] = team != "te"
    return Population(
        registration=np.concatenate([-age, arrivals]),
        exit=np.concatenate([residual, exits]),
        municipal=municipal,
        initial=np.concatenate([np.ones(n_initial, bool), np.zeros(len(arrivals), bool)]),
        attributes=all_attributes,
        initial_team=initial_team,
    )


def municipal_at(timeline: Timeline, population: Population, times: np.ndarray, clients: np.ndarray) -> np.ndarray:
    """Is each client municipal at each time? The rule in force then, applied to the client."""
    period = timeline.period_of_days(np.floor(np.maximum(times, 0.0)).astype(int))
    return _by_period(timeline, period, lambda s, rows: municipal_client(
        s.rules.pilot, {name: values[clients[rows]] for name, values in population.attributes.items()}))


def draw_kela_questions(
    timeline: Timeline,
    population: Population,
    horizon: int,
    call_hours_of: Callable[[np.ndarray | None], WeeklyHours],
    streams: dict[str, np.random.Generator],
) -> KelaQuestions:
    """Kela questions raised at ``questions_per_client_month`` by each active municipal client.

    Questions arise in the coaches' calling hours. Counts and times are drawn for every client,
    then kept for those municipal when they ask, so that a rule change keeps the questions of
    clients who stay municipal.
    """
    raised, client = draw_client_events(
        timeline, population, horizon, call_hours_of, lambda s: s.kela.questions_per_client_month,
        streams["kela_questions"],
    )
    handle_uniform = streams["handle_times"].random(len(client))
    kind_uniform = streams["question_types"].random(len(client))
    keep = municipal_at(timeline, population, raised, client)
    raised, client, handle_uniform, kind_uniform = raised[keep], client[keep], handle_uniform[keep], kind_uniform[keep]
    period = timeline.period_of_days(np.floor(raised).astype(int))
    kind = _by_period(timeline, period, lambda s, rows: _question_kind(s, kind_uniform[rows]))
    handle = _by_period(timeline, period, lambda s, rows: _handle_days(s, kind[rows], handle_uniform[rows]))
    return KelaQuestions(raised=raised, handle=handle, client=client, kind=kind)


def draw_client_events(
    timeline: Timeline,
    population: Population,
    horizon: int,
    hours_of: Callable[[np.ndarray | None], WeeklyHours],
    per_client_month: Callable[[Scenario], float],
    rng: np.random.Generator,
    client_factor: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(times, clients) in time order of events each active client raises at ``per_client_month``
    (the rate in force, times ``client_factor`` of the client), spread over the working hours
    ``hours_of(day_weights)``, so that the average per calendar month is the rate."""
    plain = hours_of(None)
    open_share = plain.open_days_in(0, horizon) / horizon
    per_open_day = timeline.per_day(horizon, per_client_month) / DAYS_PER_MONTH / open_share
    weights = np.concatenate([per_open_day, np.full(len(plain.open_day) - horizon, per_open_day[-1])])
    hours = hours_of(weights)
    start = hours.elapsed(np.clip(population.registration, 0.0, horizon))
    end = hours.elapsed(np.clip(population.exit, 0.0, horizon))
    counts = rng.poisson((end - start) * (1.0 if client_factor is None else client_factor))
    client = np.repeat(np.arange(len(population)), counts)
    times = hours.at_elapsed(start[client] + rng.random(len(client)) * (end - start)[client])
    order = np.argsort(times, kind="stable")
    return times[order], client[order]


def lognormal_parameters(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of the normal behind a lognormal with this mean and coefficient of variation."""
    sigma2 = np.log1p(cv * cv)
    return float(np.log(mean) - sigma2 / 2), float(np.sqrt(sigma2))


def _by_period(timeline: Timeline, period: np.ndarray, compute: Callable[[Scenario, np.ndarray], np.ndarray]) -> np.ndarray:
    """Fill an array element-wise with ``compute(scenario of the period, rows of that period)``."""
    result = None
    for index, scenario in enumerate(timeline.periods):
        rows = np.flatnonzero(period == index)
        values = np.asarray(compute(scenario, rows))
        if result is None:
            result = np.empty(len(period), dtype=values.dtype)
        result[rows] = values
    return result


def season_mix(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(inflow factor, share under 30) for each month. Under-30s arrive with their own
    seasonality, the rest with the general one: the sum is one Poisson process whose arrivals are
    under 30 with the month's share of the two rates (the marking theorem)."""
    general = np.asarray(scenario.inflow.seasonality)
    share = scenario.clients.under_30
    if scenario.inflow.seasonality_under_30 is None:
        return general, np.full(12, share)
    youth = np.asarray(scenario.inflow.seasonality_under_30)
    factor = share * youth + (1.0 - share) * general
    with np.errstate(invalid="ignore", divide="ignore"):
        youth_share = np.where(factor > 0, share * youth / np.where(factor > 0, factor, 1.0), share)
    return factor, youth_share


def _draw_attributes(timeline: Timeline, period: np.ndarray, rng: np.random.Generator,
                     month: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Independent attributes; an arrival's chance of being under 30 follows its month's mix."""
    uniforms = rng.random((len(period), len(ATTRIBUTES)))
    shares = np.array([[getattr(s.clients, name) for name in ATTRIBUTES] for s in timeline.periods])[period]
    if month is not None and len(period):
        youth_share = np.array([season_mix(s)[1] for s in timeline.periods])
        shares[:, ATTRIBUTES.index("under_30")] = youth_share[period, month]
    below = uniforms < shares if len(period) else uniforms.astype(bool)
    return {name: below[:, i] for i, name in enumerate(ATTRIBUTES)}


def _draw_arrival_times(timeline: Timeline, calendar: Calendar, rng: np.random.Generator) -> np.ndarray:
    """A Poisson process whose rate is ``per_week / 7`` times the month's inflow factor."""
    period = timeline.period_of_days(np.arange(calendar.n_days))
    per_day = np.array([s.inflow.per_week / 7.0 for s in timeline.periods])[period]
    seasonality = np.array([season_mix(s)[0] for s in timeline.periods])[period, calendar.month]
    counts = rng.poisson(per_day * seasonality)
    days = np.repeat(np.arange(calendar.n_days, dtype=float), counts)
    return np.sort(days + rng.random(len(days)))


def _draw_spells(timeline: Timeline, period: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Spells from one uniform each, by inversion, so a change of distribution keeps the coupling."""
    uniforms = rng.random(len(period))
    return _by_period(timeline, period, lambda s, rows: _spell_days(s, uniforms[rows]))


def _spell_days(scenario: Scenario, uniforms: np.ndarray) -> np.ndarray:
    spell = scenario.spell
    if spell.distribution == "exponential":
        return -spell.mean_days * np.log1p(-uniforms)
    mu, sigma = lognormal_parameters(spell.mean_days, spell.cv)
    return np.exp(mu + sigma * ndtri(uniforms))


def _draw_in_progress_spells(scenario: Scenario, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Age and remaining spell of clients already active in a steady state on day 0.

    A spell in progress is length-biased: its total length has density ``l f(l) / mean``
    (a Gamma(2) for exponential spells, a lognormal with ``mu + sigma**2`` for lognormal ones),
    and the moment of observation falls uniformly within it.
    """
    spell = scenario.spell
    if spell.distribution == "exponential":
        total = spell.mean_days * rng.standard_gamma(2.0, n)
    else:
        mu, sigma = lognormal_parameters(spell.mean_days, spell.cv)
        total = np.exp(mu + sigma * sigma + sigma * rng.standard_normal(n))
    elapsed_share = rng.random(n)
    return elapsed_share * total, (1.0 - elapsed_share) * total


def _question_kind(scenario: Scenario, uniforms: np.ndarray) -> np.ndarray:
    """A question type for each uniform, by the types' cumulative shares."""
    shares = np.cumsum([kind.share for kind in scenario.kela.resolved_question_types()])
    return np.minimum(np.searchsorted(shares, uniforms, side="right"), len(shares) - 1)


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


def _stock_spells(scenario: Scenario, stock: list, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Age and remaining days of the clients of a caseload CSV; a blank remaining spell is drawn
    from the spell distribution given that it has already lasted the client's age."""
    age = np.array([client.days_since_registration for client in stock], dtype=float)
    given = np.array([client.remaining_days if client.remaining_days is not None else np.nan for client in stock])
    uniforms = rng.random(len(stock))
    spell = scenario.spell
    if spell.distribution == "exponential":
        drawn = -spell.mean_days * np.log1p(-uniforms)  # memoryless
    else:
        mu, sigma = lognormal_parameters(spell.mean_days, spell.cv)
        lasted = ndtr((np.log(np.maximum(age, 1e-9)) - mu) / sigma)
        total = np.exp(mu + sigma * ndtri(lasted + uniforms * (1.0 - lasted)))
        drawn = np.maximum(total - age, 1e-6)
    return age, np.where(np.isnan(given), drawn, given)


def _handle_days(scenario: Scenario, kinds: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Handle times (days) by each question's type, by inversion of its distribution."""
    handle = np.empty(len(uniforms))
    for index, kind in enumerate(scenario.kela.resolved_question_types()):
        rows = kinds == index
        mean_days = kind.handle_minutes / MINUTES_PER_DAY
        if kind.handle_distribution == "fixed":
            handle[rows] = mean_days
        elif kind.handle_distribution == "exponential":
            handle[rows] = -mean_days * np.log1p(-uniforms[rows])
        else:
            mu, sigma = lognormal_parameters(mean_days, kind.handle_cv)
            handle[rows] = np.exp(mu + sigma * ndtri(uniforms[rows]))
    return handle
