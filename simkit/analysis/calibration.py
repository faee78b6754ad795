"""The published figures the bundled scenarios are calibrated to, and the figures set beside them.

Declared once here and read by ``docs/generate.py`` (docs/validation.md) and by the tests
(``tests/interface/test_calibration.py``). Sources are the sections of ``docs/sources.md``
named in each record. Each target is checked on its own date (the day or
month the figure is for) within its own tolerance (:data:`TOLERANCE` unless it says otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from simkit.scenario import Scenario, load_scenario, with_overrides
from simkit.scenario.bundled import SCENARIOS_DIR

if TYPE_CHECKING:
    from simkit.runner import Replications

TOLERANCE = 0.05  # a calibrated scenario may drift at most 5 % from its published target
DAYS_PER_MONTH = 30.44  # days in a month for "per month" figures, as the published statistics count them

NATIONAL = "scenarios/national-pilot-2022.toml"
SEINAJOKI = "scenarios/seinajoki-ilmajoki-2021.toml"
BASELINE = "scenarios/baseline-te-2020.toml"
TE24 = "scenarios/te24-seinajoki-ilmajoki-isokyro-2025.toml"

Reader = Callable[[pd.DataFrame], pd.Series]  # per-replication metrics -> per-replication model values


def scenario_file(path: str) -> Path:
    """The bundled file of a ``scenarios/...`` path (found in a source tree and an installed wheel)."""
    return SCENARIOS_DIR / Path(path).relative_to("scenarios")


def load(path: str) -> Scenario:
    """Load the bundled scenario ``scenarios/...``."""
    return load_scenario(scenario_file(path))


RunsReader = Callable[["Replications"], pd.Series]  # replications -> one model value per replication


@dataclass(frozen=True)
class Target:
    """A published figure that a scenario is calibrated to, checked on its own date, and how the
    model's value is read from the replications (one value per replication).

    ``tolerance`` is relative, or in the figure's own units when ``absolute`` (shares: 0.02 is
    2 percentage points). ``extensive``: a count that scales with the area (a scaled run's value
    is divided by the scale; shares are not)."""

    scenario: str  # the bundled file, as "scenarios/<file>.toml"
    figure: str
    source: str
    value: float
    unit: str
    model: str  # how the model's value is computed, in words
    per_replication: RunsReader
    date: str  # the day or month the figure is for, as shown in the docs
    tolerance: float = TOLERANCE
    absolute: bool = False
    extensive: bool = True

    def deviation(self, mean: float) -> float:
        """The model's mean against the figure: relative, or in the figure's units if absolute."""
        return mean - self.value if self.absolute else mean / self.value - 1

    def within(self, mean: float) -> bool:
        return abs(self.deviation(mean)) <= self.tolerance + 1e-12


@dataclass(frozen=True)
class Reference:
    """A figure the model is shown beside without being tested against it: an assumption range
    (no published value) or context (another place, year or definition). ``per_replication`` is
    None when the figure is a scenario input, not a model output."""

    scenario: str
    figure: str
    source: str
    low: float
    high: float
    model: str
    per_replication: Reader | None


def _metric(name: str) -> Reader:
    return lambda per_replication: per_replication[name]


def _daily(runs: Replications, first: str, last: str | None = None) -> pd.DataFrame:
    """The daily rows of ``first`` (to ``last``) of every replication."""
    daily = runs.daily
    dates = pd.to_datetime(daily["date"])
    return daily[(dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last or first))]


def on_date(column: str, day: str) -> RunsReader:
    """A daily column at the end of ``day``, per replication."""
    return lambda runs: _daily(runs, day).groupby("replication")[column].mean()


def share_on_date(column: str, day: str, of: str = "active_pilot") -> RunsReader:
    """A daily column as a share of another at the end of ``day``, per replication."""
    def read(runs: Replications) -> pd.Series:
        rows = _daily(runs, day).groupby("replication")[[column, of]].sum()
        return rows[column] / rows[of]
    return read


def per_month_in(column: str, first: str, last: str) -> RunsReader:
    """A daily flow over the month ``first``..``last`` as a rate per (average) month, per replication."""
    return lambda runs: _daily(runs, first, last).groupby("replication")[column].mean() * DAYS_PER_MONTH


END_OF_JULY_2022 = "2022-07-31"
TEM_JULY = "docs/sources.md §1, §6: TEM, Työllisyyden kuntakokeilujen tilastokatsaus heinäkuun 2022 lopulta"
PILOT_SHARE_OCT_2022 = 0.56  # pilots' share of the unemployed, Oct 2022 (129,500 / 232,400, docs/sources.md §1)


def _status_share(column: str, name: str, figure: int, label: str) -> Target:
    return Target(
        NATIONAL, f"Share of the pilots' job seekers {label}, 31.7.2022", TEM_JULY, figure / 233_792, "share",
        f"`{column}` / `active_pilot` (daily, end of 31.7.2022)", share_on_date(column, END_OF_JULY_2022),
        "31.7.2022", tolerance=0.02, absolute=True, extensive=False,
    )


TARGETS: tuple[Target, ...] = (
    Target(
        NATIONAL, "All job seekers served by the pilots, 31.7.2022", TEM_JULY, 233_792, "clients",
        "`active_pilot` (daily, end of 31.7.2022)", on_date("active_pilot", END_OF_JULY_2022), "31.7.2022",
        tolerance=0.02,
    ),
    Target(
        NATIONAL, "Unemployed or laid-off job seekers in the pilots, 31.7.2022", TEM_JULY, 148_628, "clients",
        "`unemployed_pilot` (daily, end of 31.7.2022)", on_date("unemployed_pilot", END_OF_JULY_2022), "31.7.2022",
    ),
    _status_share("unemployed_pilot", "unemployed", 148_628, "unemployed"),
    _status_share("in_service_pilot", "in_service", 15_236, "in employment-promoting services"),
    _status_share("in_education_pilot", "in_education", 25_790, "in education"),
    _status_share("employed_pilot", "employed", 37_500, "employed"),
    Target(
        NATIONAL, "New job searches into the pilots, October 2022",
        "docs/sources.md §6 (derived: ≈56 % x 14,000 new job searches by unemployed people, TEM Työllisyyskatsaus "
        "Oct 2022)", PILOT_SHARE_OCT_2022 * 14_000, "per month",
        "`new_job_searches_pilot` (daily) over October 2022, per day x 30.44",
        per_month_in("new_job_searches_pilot", "2022-10-01", "2022-10-31"), "October 2022",
    ),
    Target(
        NATIONAL, "Unemployment spells starting in the pilots, October 2022",
        "docs/sources.md §6 (derived: ≈56 % x 35,900 spells, TEM Työllisyyskatsaus Oct 2022)",
        PILOT_SHARE_OCT_2022 * 35_900, "per month",
        "`unemployment_spells_pilot` (daily: new job searches and returns to unemployment) over October 2022, "
        "per day x 30.44", per_month_in("unemployment_spells_pilot", "2022-10-01", "2022-10-31"), "October 2022",
    ),
)


def scaled(scenario: Scenario, scale: float) -> Scenario:
    """The scenario at ``scale`` of its size (inflow, starting stock, staff, Kela contact persons at
    least 1): the same shares, rates and rules, for tests that cannot afford the full size.
    Counts of the scaled run divided by ``scale`` estimate the full run's (shares as they are)."""
    return with_overrides(scenario, {
        "inflow.per_week": scenario.inflow.per_week * scale,
        "inflow.initial_clients": round(scenario.inflow.initial_clients * scale),
        "coaches.count": max(1, round(scenario.coaches.count * scale)),
        "te.experts": round(scenario.te.experts * scale),
        "kela.contact_persons": max(1, round(scenario.kela.contact_persons * scale)),
    })


# Figures with no published value: the model is shown against the assumption range, not tested.
ASSUMPTION_RANGES: tuple[Reference, ...] = (
    Reference(SEINAJOKI, "Pilot job seekers in Seinäjoki–Ilmajoki", "docs/sources.md §7: NOT FOUND; assumption 2,200–3,000",
              2_200, 3_000, "`clients.active_pilot`", _metric("clients.active_pilot")),
    Reference(SEINAJOKI, "Coaches in Seinäjoki–Ilmajoki (input, not output)", "docs/sources.md §7: NOT FOUND; assumption 15–25",
              15, 25, "`coaches.count` (input)", None),
)

# Published or derived figures set beside the model for context, without calibrating to them.
CONTEXT: tuple[Reference, ...] = (
    Reference(BASELINE, "Clients per TE expert, Uusimaa TE office 2018 (136 unemployed; 276 counting services)",
              "docs/sources.md §3: Talouselämä 2018", 136, 276, "`te.caseload_mean`", _metric("te.caseload_mean")),
    Reference(BASELINE, "Share of new unemployed interviewed in time, March 2017 (≈1/3, nationally)",
              "docs/sources.md §4: Kaleva 3/2017", 0.33, 0.33, "`te.first_meeting_on_time_share`",
              _metric("te.first_meeting_on_time_share")),
    Reference(NATIONAL, "Job seekers per TE-system user in the pilots (233,792 / 1,000–1,600 users), derived",
              "docs/sources.md §3: TEM July 2022 + HE 17/2022", 146, 234, "`coach.caseload_mean`",
              _metric("coach.caseload_mean")),
    Reference(TE24, "Unemployed per coach after TE24, derived",
              "docs/sources.md §8: ≈4,000 staff, 50–60 % in caseload roles", 130, 160,
              "`coach.caseload_unemployed_mean`", _metric("coach.caseload_unemployed_mean")),
)


def national_arithmetic(scenario: Scenario) -> dict[str, float]:
    """What the national scenario's inputs give before any simulation (simkit.analysis.status):
    the pilot share of registrations in October (2021 rule, joint foreign draws), the pilot new
    job searches a month in October, the pilots' steady-state stock and its status mix on
    31.7.2022 (and a year later: no drift), the starting stock, and the returns to unemployment a
    month in October."""
    from simkit.analysis import status
    from simkit.model.clients import pilot_share, season_mix

    share = pilot_share(scenario.clients)
    end_of_july, october = dt.date(2022, 8, 1), dt.date(2022, 10, 16)
    october_stock = status.expected_pilot_stock(scenario, october)
    return {
        "share_pilot": share,
        "new_job_searches_october": scenario.inflow.per_week / 7 * season_mix(scenario)[0][9] * share * DAYS_PER_MONTH,
        "pilot_stock_31_7_2022": status.expected_pilot_stock(scenario, end_of_july),
        "pilot_stock_31_7_2023": status.expected_pilot_stock(scenario, dt.date(2023, 8, 1)),
        "initial_clients": status.expected_stock(scenario, scenario.scenario.start_date),
        "returns_october": status.returns_per_month(scenario, october_stock,
                                                     status.expected_stock_mix(scenario, october)),
        **dict(zip(("unemployed", "in_service", "in_education", "employed"),
                   status.expected_stock_mix(scenario, end_of_july))),
    }


def status_mix_beside_tem(runs: Replications, on: dt.date = dt.date(2022, 7, 31)) -> pd.DataFrame:
    """The pilots' job seekers by status at the end of ``on`` (mean over the replications) beside
    TEM's figures of 31.7.2022: counts and shares (for lesson 01 and docs/validation.md)."""
    from simkit.analysis.status import status_mix_table

    return status_mix_table(runs.daily, on)
