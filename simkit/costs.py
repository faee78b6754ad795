"""People and money: person-years of each role in the statistics window and their cost.

A person-year is one person on the staff for 365 calendar days (holidays and sick leave
included: they are paid), so a pool of 10 all through a 365-day window is 10 person-years.
Coaches, TE experts and Kela contact persons are counted from the staff on duty each day
(dated changes included); [[costs.overheads]] add roles without a caseload as a share of the
caseload staff's person-years (coaches and TE experts) and/or a head count. Each role's cost
is its person-years x its euros per person-year ([costs]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the scenario's [costs], for the metrics (no engine module: docs/architecture.md)
    from simkit.scenario.schema import Scenario

DAYS_PER_PERSON_YEAR = 365.0
CASELOAD_POOLS = ("coach", "te")


def staff_metrics(scenario: Scenario, on_duty: Mapping[str, np.ndarray], window: tuple[int, int]) -> dict[str, float]:
    """``staff.<role>.person_years``, ``staff.<role>.cost_eur`` and their totals ``staff.person_years``
    and ``staff.cost_eur``; ``on_duty`` is people on duty per day by pool ("coach" or "coach.<team>",
    "te", "kela"), ``window`` the statistics window [start, end) in days."""
    start, end = window
    days = {"coach": 0.0, "te": 0.0, "kela": 0.0}
    for pool, per_day in on_duty.items():
        days[pool.partition(".")[0]] += float(np.sum(per_day[start:end]))
    person_years = {pool: pool_days / DAYS_PER_PERSON_YEAR for pool, pool_days in days.items()}
    costs = scenario.costs
    caseload_years = sum(person_years[pool] for pool in CASELOAD_POOLS)
    window_years = (end - start) / DAYS_PER_PERSON_YEAR
    euros = {"coach": costs.coach, "te": costs.te_expert, "kela": costs.kela_contact_person}
    for overhead in costs.overheads:
        person_years[overhead.name] = overhead.share * caseload_years + overhead.persons * window_years
        euros[overhead.name] = overhead.eur_per_person_year
    cost = {role: years * (euros[role] if euros[role] is not None else costs.eur_per_person_year)
            for role, years in person_years.items()}
    values = {}
    for role, years in person_years.items():
        values[f"staff.{role}.person_years"] = years
        values[f"staff.{role}.cost_eur"] = cost[role]
    return {"staff.person_years": sum(person_years.values()), "staff.cost_eur": sum(cost.values()), **values}
