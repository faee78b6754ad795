"""The stock's job-seeker status mix: what the scenario's inputs imply, and the model beside TEM.

TEM's statistics of the pilots at the end of July 2022 (calibration.md §1, §6) split the 233,792
job seekers into unemployed or laid off (148,628), in employment-promoting services (15,236),
in education (25,790) and employed (37,500); the remaining 2.8 % are in none of these groups.
:data:`TEM_JULY_2022` holds the four counts; :func:`tem_mix` their shares of the four (the
model's statuses cover everyone, so the remainder is spread pro rata).

:func:`expected_stock_mix` is the arithmetic behind the ``[status]`` rates of a scenario: a job
search starts unemployed and its status follows a Markov chain (rates ``Q``), independent of how
long the job search lasts; a client of age ``a`` on the books is in each status with the
probabilities ``exp(Q a)[unemployed]``, and the stock's ages follow its steady state
(:func:`simkit.model.clients.stock_age_weights`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy.optimize import brentq, least_squares

from simkit.model.calendar import Calendar
from simkit.model.clients import pilot_share, season_mix, stock_age_weights
from simkit.observations import JobSeekerStatus
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import timeline
from simkit.units import DAYS_PER_MONTH

STATUSES = tuple(status.name.lower() for status in JobSeekerStatus)  # unemployed, in_service, in_education, employed
DAILY_COLUMNS = ("unemployed_pilot", "in_service_pilot", "in_education_pilot", "employed_pilot")
TEM_JULY_2022 = {"unemployed": 148_628, "in_service": 15_236, "in_education": 25_790, "employed": 37_500}
TEM_JULY_2022_ALL = 233_792  # all job seekers served by the pilots, 31.7.2022 [calibration.md §1]
TEM_DATE = dt.date(2022, 7, 31)


def tem_mix() -> np.ndarray:
    """TEM's four groups as shares of the four (unemployed, service, education, employed)."""
    counts = np.array([TEM_JULY_2022[name] for name in STATUSES], dtype=float)
    return counts / counts.sum()


def generator(scenario: Scenario) -> np.ndarray:
    """The status chain's rate matrix (per day), statuses in :class:`JobSeekerStatus` order."""
    out, back = scenario.status.rates_per_day(), scenario.status.return_rates_per_day()
    q = np.zeros((4, 4))
    q[0, 1:] = out
    q[1:, 0] = back
    np.fill_diagonal(q, -q.sum(axis=1))
    return q


def status_probabilities(scenario: Scenario, ages: np.ndarray) -> np.ndarray:
    """P(status | days since the job search began), shape (len(ages), 4), from unemployed."""
    values, vectors = np.linalg.eig(generator(scenario))  # Q = V diag(values) V^-1
    return np.real((np.exp(np.outer(ages, values)) * vectors[0]) @ np.linalg.inv(vectors))


def stock_weights(scenario: Scenario, on: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(expected clients on the books at the start of ``on`` registered k..k+1 days before, age
    mid-day k) for the scenario in steady state (its inflow, seasonality and exit factors)."""
    plain = scenario.model_copy(update={"events": []})
    weights, _ = stock_age_weights(timeline(plain, on), Calendar(on, 1, public_holidays=False))
    return weights, np.arange(len(weights)) + 0.5


def expected_stock(scenario: Scenario, on: dt.date) -> float:
    """Expected job seekers on the books (pilot and TE) at the start of ``on``, in steady state."""
    return float(stock_weights(scenario, on)[0].sum())


def expected_pilot_stock(scenario: Scenario, on: dt.date) -> float:
    """Expected pilot job seekers at the start of ``on`` (2021 pilot rule), in steady state: each
    registration month with its own share under 30 (the youth seasonality)."""
    weights, ages = stock_weights(scenario, on)
    month = (np.datetime64(on, "D") - np.floor(ages).astype(int) - 1).astype("datetime64[M]").astype(int) % 12
    youth = season_mix(scenario)[1]
    share = np.array([pilot_share(scenario.clients.model_copy(update={"under_30": float(y)})) for y in youth])
    return float(weights @ share[month])


def expected_stock_mix(scenario: Scenario, on: dt.date) -> np.ndarray:
    """The stock's expected shares (unemployed, service, education, employed) at the start of ``on``."""
    weights, ages = stock_weights(scenario, on)
    return weights @ status_probabilities(scenario, ages) / weights.sum()


def status_rates_for_mix(scenario: Scenario, on: dt.date, mix: np.ndarray) -> tuple[float, float, float]:
    """The rates per month out of unemployment (service, education, employed) that give the stock
    ``mix`` on ``on``, the stays in each status (``status.*_months``) and the spell as they are."""
    status = scenario.status
    months = np.array([status.service_months, status.education_months, status.employed_months])

    def gap(rates: np.ndarray) -> np.ndarray:
        trial = scenario.model_copy(update={"status": status.model_copy(update=dict(zip(
            ("service_per_month", "education_per_month", "employed_per_month"), rates)))})
        return expected_stock_mix(trial, on)[1:] - mix[1:]

    stationary = mix[1:] / (mix[0] * months)  # the rates if every client's status were in equilibrium
    rates = least_squares(gap, stationary, bounds=(0.0, 10.0), xtol=1e-12, ftol=1e-12).x
    return tuple(float(rate) for rate in rates)


def employed_months_for_returns(scenario: Scenario, returns_per_month: float, stock: float,
                                mix: np.ndarray) -> float:
    """Mean months employed so that the stock's statuses give ``returns_per_month`` returns to
    unemployment: sum of (clients in status / mean stay) over service, education and employed."""
    status = scenario.status
    other = stock * (mix[1] / status.service_months + mix[2] / status.education_months)
    return brentq(lambda months: other + stock * mix[3] / months - returns_per_month, 0.1, 120.0)


def status_mix_table(daily: pd.DataFrame, on: dt.date = TEM_DATE) -> pd.DataFrame:
    """The model's stock of pilot job seekers by status at the end of ``on`` (mean over the
    replications of a daily series) beside TEM's July 2022 figures: counts and shares."""
    rows = daily[pd.to_datetime(daily["date"]).dt.date == on]
    if rows.empty:
        raise ValueError(f"{on} is not a day of the run")
    model = np.array([rows[column].mean() for column in DAILY_COLUMNS])
    tem = np.array([TEM_JULY_2022[name] for name in STATUSES], dtype=float)
    return pd.DataFrame({
        "model": model.round(0), "model_share": (model / model.sum()).round(3),
        "tem_july_2022": tem, "tem_share": (tem / TEM_JULY_2022_ALL).round(3),
    }, index=list(STATUSES))


def returns_per_month(scenario: Scenario, stock: float, mix: np.ndarray) -> float:
    """Expected returns to unemployment a month from a stock with this status mix."""
    status = scenario.status
    months = np.array([status.service_months, status.education_months, status.employed_months])
    return float(stock * (mix[1:] / months).sum())


__all__ = ["DAILY_COLUMNS", "DAYS_PER_MONTH", "STATUSES", "TEM_DATE", "TEM_JULY_2022", "TEM_JULY_2022_ALL",
           "employed_months_for_returns", "expected_pilot_stock", "expected_stock", "expected_stock_mix", "generator", "returns_per_month",
           "status_mix_table", "status_probabilities", "status_rates_for_mix", "stock_weights", "tem_mix"]
