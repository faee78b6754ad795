"""Clients: who arrives, with which attributes, for how long, and who is a pilot client.

Everything here is drawn up front from the component streams, independently of staffing:
arrival times, attributes, spell lengths and the times of Kela questions. That is what makes
two scenarios with the same seed see the same clients (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from simkit.memo import once_per
from simkit.model.calendar import (
    DAYS_PER_MONTH,
    MINUTES_PER_DAY,
    Calendar,
    WeeklyHours,
    time_order,
)
from simkit.model.spells import (
    draw_spells,
    exit_clock,
    lognormal_parameters,
    remaining_given_age,
    spell_survival,
    stock_spells,
)
from simkit.model.status import draw_status_changes
from simkit.observations import Population  # plain data; drawn here
from simkit.scenario.schema import Clients, Scenario
from simkit.scenario.timeline import Timeline

ATTRIBUTES = ("resides_in_pilot_area", "kela_benefit", "no_benefit", "under_30", "foreign_language",
              "foreign_citizen")


def eligible_for_pilot(resides_in_pilot_area, kela_benefit, no_benefit, under_30, foreign_language, foreign_citizen):
    """The pilot rule of 2021 (Act 1269/2020 on the municipal employment pilots): a pilot client?

    A person living in a pilot municipality (the pilot areas of the act; calibration.md §1, §2) is
    a pilot client if, as TEM and HE 87/2020 put the rule (calibration.md §2):

    - they have **no right to earnings-related allowance**: on Kela's labour market subsidy or
      basic daily allowance (``kela_benefit``) **or on no unemployment benefit at all**
      (``no_benefit``, e.g. social assistance only; TEM "Local government pilots on employment",
      HE 87/2020; Helsinki's wording names social assistance and sickness allowance);
    - **or** they are under 30 (TEM, HE 87/2020: all under-30s);
    - **or** they are foreign-language speakers (native language other than Finnish, Swedish or
      Sámi) **or** immigrants (``foreign_citizen``; TEM, HE 87/2020: all immigrants and
      foreign-language speakers).

    Everyone else (over 30, Finnish-, Swedish- or Sámi-speaking Finnish citizens with a right to
    earnings-related allowance) stays a TE office client. Works on plain booleans and on numpy
    boolean arrays alike.
    """
    return resides_in_pilot_area & (kela_benefit | no_benefit | under_30 | foreign_language | foreign_citizen)


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
    """Draw the initial stock and the arrivals of one replication, by the scenario in force, each
    client's status path while on the books (:func:`draw_status_changes`) and need draw (a uniform:
    in need of supplementary conversations below the share in force, :mod:`simkit.model.rules`)."""
    start = timeline.periods[0]
    n_initial = start.inflow.initial_clients
    initial_rng = streams["initial_clients"]
    initial_period = np.zeros(n_initial, dtype=int)
    settings = [s.clients for s in timeline.periods]
    initial_attributes = draw_attributes(settings, initial_period, initial_rng)
    age, residual = _draw_in_progress_spells(timeline, calendar, initial_rng, n_initial)
    stock = start.inflow.initial_stock
    if stock is not None:
        age, residual = stock_spells(start, stock, initial_rng)
        for name in ATTRIBUTES:
            given = np.array([getattr(client, name) is not None for client in stock], dtype=bool)
            values = np.array([bool(getattr(client, name)) for client in stock], dtype=bool)
            initial_attributes[name] = np.where(given, values, initial_attributes[name])
    initial_team = [client.team for client in stock] if stock is not None else [None] * n_initial

    arrivals = _draw_arrival_times(timeline, calendar, streams["arrivals"])
    arrival_day = np.floor(arrivals).astype(int)
    period = timeline.period_of_days(arrival_day)
    youth_share = np.array([season_mix(s)[1] for s in timeline.periods])  # (periods, months)
    attributes = draw_attributes(settings, period, streams["attributes"], youth_share[period, calendar.month[arrival_day]])
    spells = draw_spells(timeline, period, streams["spells"])
    returning_share = np.array([s.inflow.returning_share for s in timeline.periods])[period]
    returning = streams["returning"].random(len(arrivals)) < returning_share

    clock = exit_clock(timeline, calendar)
    residual = clock.at(residual)  # spells in progress run on from day 0
    exits = clock.at(clock.of(arrivals) + spells)
    all_attributes = {name: np.concatenate([initial_attributes[name], attributes[name]]) for name in ATTRIBUTES}
    all_periods = np.concatenate([initial_period, period])
    municipal = timeline.by_period(all_periods, lambda s, rows: municipal_client(
        s.rules.pilot, {name: values[rows] for name, values in all_attributes.items()}))
    if stock is not None:
        for client, team in enumerate(initial_team):
            if team is not None:
                municipal[client] = team != "te"
    registration = np.concatenate([-age, arrivals])
    exit_times = np.concatenate([residual, exits])
    return Population(
        registration=registration,
        exit=exit_times,
        municipal=municipal,
        initial=np.concatenate([np.ones(n_initial, bool), np.zeros(len(arrivals), bool)]),
        attributes=all_attributes,
        initial_team=initial_team,
        new_job_search=np.concatenate([np.ones(n_initial, bool), ~returning]),
        status_changes=draw_status_changes(timeline, registration, np.minimum(exit_times, calendar.n_days),
                                           all_periods, streams["status"]),
        supplementary_need=streams["supplementary_need"].random(len(registration)),
    )


def municipal_at(timeline: Timeline, population: Population, times: np.ndarray, clients: np.ndarray) -> np.ndarray:
    """Is each client municipal at each time? The rule in force then, applied to the client."""
    period = timeline.period_of_days(np.floor(np.maximum(times, 0.0)).astype(int))
    return timeline.by_period(period, lambda s, rows: municipal_client(
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
    kind = timeline.by_period(period, lambda s, rows: _question_kind(s, kind_uniform[rows]))
    handle = timeline.by_period(period, lambda s, rows: _handle_days(s, kind[rows], handle_uniform[rows]))
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
    open_time = start[client] + rng.random(len(client)) * (end - start)[client]
    # at_elapsed keeps the order of open time: sorted first, the times come in order (and the search
    # of their days runs over sorted keys); checked, as distinct times have one order
    order = time_order(open_time)
    times = hours.at_elapsed(open_time[order])
    if not np.all(times[1:] > times[:-1]):  # ties: the stable order of the times themselves
        by_event = np.empty_like(times)
        by_event[order] = times
        order = time_order(by_event)
        times = by_event[order]
    return times, client[order]


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


def draw_attributes(settings: Sequence[Clients], period: np.ndarray, rng: np.random.Generator,
                    under_30: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Attributes of clients by the ``[clients]`` shares of their period, from four uniforms each:
    residence; benefit (Kela, none or earnings-related: exclusive); age; language and citizenship
    drawn jointly (both, language only, citizenship only or neither, with the scenario's
    overlap). ``under_30`` overrides each client's chance of being under 30 (the month's mix)."""
    residence, benefit, age, foreign = rng.random((len(period), 4)).T
    shares = np.array([_attribute_shares(clients) for clients in settings])[period].reshape(-1, 7)
    lives, kela, none, young, language, citizen_only, both = shares.T
    return {
        "resides_in_pilot_area": residence < lives,
        "kela_benefit": benefit < kela,
        "no_benefit": (benefit >= kela) & (benefit < kela + none),
        "under_30": age < (young if under_30 is None else under_30),
        "foreign_language": foreign < language,
        # both, then language only, then citizenship only: [0, both) and [language, language + citizen - both)
        "foreign_citizen": (foreign < both) | ((foreign >= language) & (foreign < language + citizen_only)),
    }


def pilot_share(clients: Clients) -> float:
    """Expected share of registrations who are pilot clients under the 2021 rule, by these shares:
    residents with no right to earnings-related allowance, or under 30, or foreign by language or
    citizenship (the four groups independent of each other, language and citizenship joint)."""
    earnings_related = 1.0 - clients.kela_benefit - clients.no_benefit
    not_foreign = 1.0 - (clients.foreign_language + clients.foreign_citizen - clients.foreign_both)
    return clients.resides_in_pilot_area * (1.0 - earnings_related * (1.0 - clients.under_30) * not_foreign)


def _attribute_shares(clients) -> tuple[float, ...]:
    """(resides, kela, no benefit, under 30, foreign language, foreign citizen but not language, both)."""
    return (clients.resides_in_pilot_area, clients.kela_benefit, clients.no_benefit, clients.under_30,
            clients.foreign_language, clients.foreign_citizen - clients.foreign_both, clients.foreign_both)


def _draw_arrival_times(timeline: Timeline, calendar: Calendar, rng: np.random.Generator) -> np.ndarray:
    """A Poisson process whose rate is ``per_week / 7`` times the month's inflow factor."""
    period = timeline.period_of_days(np.arange(calendar.n_days))
    per_day = np.array([s.inflow.per_week / 7.0 for s in timeline.periods])[period]
    seasonality = np.array([season_mix(s)[0] for s in timeline.periods])[period, calendar.month]
    counts = rng.poisson(per_day * seasonality)
    days = np.repeat(np.arange(calendar.n_days, dtype=float), counts)
    return np.sort(days + rng.random(len(days)))


STOCK_AGE_YEARS = 60  # the oldest registration a starting stock reaches back to (its tail is negligible)


def stock_age_weights(timeline: Timeline, calendar: Calendar) -> tuple[np.ndarray, np.ndarray]:
    """(expected clients on day 0 registered k..k+1 days before it, clock-days from mid-day k to
    day 0) for k = 0, 1, ...: the stock in steady state under the first period's inflow,
    its seasonality and the monthly exit factors of the months before the start (the same
    calendar months repeating). Their sum is the expected stock."""
    scenario = timeline.periods[0]
    ages = np.arange(int(STOCK_AGE_YEARS * 365.25))
    first = np.datetime64(calendar.first_date, "D")
    month = ((first - ages - 1).astype("datetime64[M]").astype(int) % 12)
    factor = season_mix(scenario)[0]
    inflow = scenario.inflow.per_week / 7.0 * factor[month]
    speed = np.asarray(scenario.spell.monthly_exit_factor)[month]
    clock_age = np.cumsum(speed) - speed / 2.0
    return inflow * spell_survival(scenario, clock_age), clock_age


def _draw_in_progress_spells(timeline: Timeline, calendar: Calendar, rng: np.random.Generator,
                             n: int) -> tuple[np.ndarray, np.ndarray]:
    """Age (days) and remaining spell (clock-days from day 0) of ``n`` clients already active on
    day 0, in the steady state of :func:`stock_age_weights`: the age by its weight, the remaining
    spell from the spell distribution given that it has lasted the clock-age."""
    cumulative, clock_age = once_per(f"stock ages on {calendar.first_date}",
                                     lambda: _stock_age_shares(timeline, calendar), timeline.periods[0])
    day = np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), len(cumulative) - 1)
    age = day + 0.5
    return age, remaining_given_age(timeline.periods[0], clock_age[day], rng.random(n))


def _stock_age_shares(timeline: Timeline, calendar: Calendar) -> tuple[np.ndarray, np.ndarray]:
    """(cumulative share of the stock by age, clock-age) of :func:`stock_age_weights`, for the first
    period's scenario (the same in every replication)."""
    weights, clock_age = stock_age_weights(timeline, calendar)
    if not weights.sum() > 0:  # no inflow to be in steady state with: the stock of a unit inflow
        weights = spell_survival(timeline.periods[0], clock_age)
    return np.cumsum(weights) / weights.sum(), clock_age


def _question_kind(scenario: Scenario, uniforms: np.ndarray) -> np.ndarray:
    """A question type for each uniform, by the types' cumulative shares."""
    shares = np.cumsum([kind.share for kind in scenario.kela.resolved_question_types()])
    return np.minimum(np.searchsorted(shares, uniforms, side="right"), len(shares) - 1)


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
