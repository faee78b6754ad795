"""Clients: who arrives, with which attributes, for how long, and who is a pilot client.

Everything here is drawn up front from the component streams, independently of staffing:
arrival times, attributes, spell lengths and the times of Kela questions. That is what makes
two scenarios with the same seed see the same clients (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simkit.model.calendar import DAYS_PER_MONTH, Calendar, WeeklyHours
from simkit.scenario.schema import Scenario

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
class Population:
    """Every client of one replication, initial stock first, then arrivals in time order.

    Times are in days from the start of the run; initial clients registered before day 0.
    """

    registration: np.ndarray
    exit: np.ndarray
    municipal: np.ndarray
    initial: np.ndarray
    attributes: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.registration)


@dataclass(frozen=True)
class KelaQuestions:
    """Kela questions of municipal clients, in time order: when raised and how long they take."""

    raised: np.ndarray  # days
    handle: np.ndarray  # days
    client: np.ndarray  # index into the population


def draw_population(scenario: Scenario, calendar: Calendar, streams: dict[str, np.random.Generator]) -> Population:
    """Draw the initial stock and the arrivals of one replication."""
    n_initial = scenario.inflow.initial_clients
    initial_rng = streams["initial_clients"]
    initial_attributes = _draw_attributes(scenario, initial_rng, n_initial)
    age, residual = _draw_in_progress_spells(scenario, initial_rng, n_initial)

    arrivals = _draw_arrival_times(scenario, calendar, streams["arrivals"])
    attributes = _draw_attributes(scenario, streams["attributes"], len(arrivals))
    spells = _draw_spells(scenario, streams["spells"], len(arrivals))

    all_attributes = {name: np.concatenate([initial_attributes[name], attributes[name]]) for name in ATTRIBUTES}
    return Population(
        registration=np.concatenate([-age, arrivals]),
        exit=np.concatenate([residual, arrivals + spells]),
        municipal=municipal_client(scenario.rules.pilot, all_attributes),
        initial=np.concatenate([np.ones(n_initial, bool), np.zeros(len(arrivals), bool)]),
        attributes=all_attributes,
    )


def draw_kela_questions(
    scenario: Scenario,
    population: Population,
    horizon: float,
    call_hours: WeeklyHours,
    streams: dict[str, np.random.Generator],
) -> KelaQuestions:
    """Kela questions raised at ``questions_per_client_month`` by each active municipal client.

    Questions arise in the coaches' calling hours, spread uniformly over them, so that the
    average per calendar month is ``questions_per_client_month``. Counts and times are drawn for
    every client, then kept for municipal ones, so that a rule change keeps the questions of
    clients who stay municipal.
    """
    rng = streams["kela_questions"]
    start = call_hours.elapsed(np.clip(population.registration, 0.0, horizon))
    end = call_hours.elapsed(np.clip(population.exit, 0.0, horizon))
    open_share = call_hours.open_days_in(0, int(horizon)) / horizon
    per_open_day = scenario.kela.questions_per_client_month / DAYS_PER_MONTH / open_share
    counts = rng.poisson(per_open_day * (end - start))
    client = np.repeat(np.arange(len(population)), counts)
    raised = call_hours.at_elapsed(start[client] + rng.random(len(client)) * (end - start)[client])
    handle = _draw_handle_days(scenario, streams["handle_times"], len(client))
    keep = population.municipal[client]
    order = np.argsort(raised[keep], kind="stable")
    return KelaQuestions(raised=raised[keep][order], handle=handle[keep][order], client=client[keep][order])


def lognormal_parameters(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of the normal behind a lognormal with this mean and coefficient of variation."""
    sigma2 = np.log1p(cv * cv)
    return float(np.log(mean) - sigma2 / 2), float(np.sqrt(sigma2))


def _draw_attributes(scenario: Scenario, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    uniforms = rng.random((n, len(ATTRIBUTES)))
    shares = scenario.clients
    return {name: uniforms[:, i] < getattr(shares, name) for i, name in enumerate(ATTRIBUTES)}


def _draw_arrival_times(scenario: Scenario, calendar: Calendar, rng: np.random.Generator) -> np.ndarray:
    """A Poisson process whose rate is ``per_week / 7`` times the month's seasonality factor."""
    seasonality = np.asarray(scenario.inflow.seasonality)
    rates = scenario.inflow.per_week / 7.0 * seasonality[calendar.month]
    counts = rng.poisson(rates)
    days = np.repeat(np.arange(calendar.n_days, dtype=float), counts)
    return np.sort(days + rng.random(len(days)))


def _draw_spells(scenario: Scenario, rng: np.random.Generator, n: int) -> np.ndarray:
    spell = scenario.spell
    if spell.distribution == "exponential":
        return spell.mean_days * rng.standard_exponential(n)
    mu, sigma = lognormal_parameters(spell.mean_days, spell.cv)
    return np.exp(mu + sigma * rng.standard_normal(n))


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


def _draw_handle_days(scenario: Scenario, rng: np.random.Generator, n: int) -> np.ndarray:
    kela = scenario.kela
    mean_days = kela.handle_minutes / (24 * 60)
    if kela.handle_distribution == "fixed":
        return np.full(n, mean_days)
    if kela.handle_distribution == "exponential":
        return mean_days * rng.standard_exponential(n)
    mu, sigma = lognormal_parameters(mean_days, kela.handle_cv)
    return np.exp(mu + sigma * rng.standard_normal(n))
