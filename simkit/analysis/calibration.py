"""The published figures the bundled scenarios are calibrated to, and the figures set beside them.

Declared once here and read by ``docs/generate.py`` (docs/validation.md) and by the tests
(``tests/interface/test_calibration.py``). Sources are the sections of ``docs/sources.md``
named in each record. A calibrated scenario's mean may drift at most
:data:`TOLERANCE` from its target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simkit.analytic import little_expected_active
from simkit.scenario import Scenario, load_scenario
from simkit.scenario.bundled import SCENARIOS_DIR

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


@dataclass(frozen=True)
class Target:
    """A published figure that a scenario is calibrated to, and how the model's value is read."""

    scenario: str  # the bundled file, as "scenarios/<file>.toml"
    figure: str
    source: str
    value: float
    unit: str
    model: str  # how the model's value is computed, in words
    per_replication: Reader


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


def pilot_spells_per_month(per_replication: pd.DataFrame) -> pd.Series:
    """Pilot registrations a month: arrivals a day x pilot share x days a month."""
    return per_replication["clients.arrivals_per_day"] * per_replication["clients.share_pilot"] * DAYS_PER_MONTH


def _metric(name: str) -> Reader:
    return lambda per_replication: per_replication[name]


TARGETS: tuple[Target, ...] = (
    Target(
        NATIONAL, "All job seekers served by the pilots, end of July 2022",
        "docs/sources.md §1: TEM, Työllisyyden kuntakokeilujen tilastokatsaus heinäkuun 2022 lopulta",
        233_792, "clients", "`clients.active_pilot`", _metric("clients.active_pilot"),
    ),
    Target(
        NATIONAL, "Unemployment spells starting in the pilots, October 2022",
        "docs/sources.md §6 (derived: ≈56 % x 35,900 spells, TEM Työllisyyskatsaus Oct 2022)",
        20_000, "spells per month", "`clients.arrivals_per_day` x `clients.share_pilot` x 30.44",
        pilot_spells_per_month,
    ),
)

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
              "docs/sources.md §8: ≈4,000 staff, 50–60 % in caseload roles", 130, 160, "`coach.caseload_mean`",
              _metric("coach.caseload_mean")),
)


def pilot_inflow_arithmetic(scenario: Scenario) -> dict[str, float]:
    """Expected values from the scenario's inputs alone (no simulation).

    The five client attributes are drawn independently, so the pilot share under the 2021 rule
    is ``resides x (1 - (1-kela)(1-under_30)(1-foreign_language)(1-foreign_citizen))``; the
    arrivals (clients per day) are ``per_week / 7`` x the mean seasonality factor over the run;
    Little's law gives the active pilot clients as pilot arrivals x mean spell (days).
    """
    c = scenario.clients
    share = c.resides_in_pilot_area * (
        1 - (1 - c.kela_benefit) * (1 - c.under_30) * (1 - c.foreign_language) * (1 - c.foreign_citizen)
    )
    info = scenario.scenario
    factors = [scenario.inflow.seasonality[(info.start_date + dt.timedelta(days=d)).month - 1] for d in range(info.days)]
    arrivals = scenario.inflow.per_week / 7 * float(np.mean(factors))
    return {
        "share_pilot": share,
        "arrivals_per_day": arrivals,
        "pilot_spells_per_month": arrivals * share * DAYS_PER_MONTH,
        "active_pilot": little_expected_active(arrivals * share, scenario.spell.mean_days),
        "initial_pilot": scenario.inflow.initial_clients * share,
    }
