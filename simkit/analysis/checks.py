"""Scenario variants in which queueing theory holds exactly, for tests, docs and lessons.

The real scenarios have holidays, opening hours, impatient callers, question types and dated
events; queueing formulas have none of these. These functions strip them from any scenario, so
that the simulation can be set beside Little's law and Erlang C.
"""

from __future__ import annotations

import math

from simkit.model.calendar import MINUTES_PER_DAY
from simkit.scenario import Scenario, with_overrides

FLAT_SEASONS = [1.0] * 12

TEXTBOOK_LINE = {
    "kela.open_hours": [0.0, 24.0], "kela.open_weekdays": 7, "kela.call_hours": [0.0, 24.0],
    "kela.call_weekdays": 7, "kela.patience_minutes": math.inf, "kela.question_types": [],
    "kela.offline_hours_per_week": 0.0, "kela.handle_distribution": "exponential",
}
"""An M/M/c contact line: open and called around the clock, exponential handle times, one kind of
question, contact persons always on the line, callers who never hang up."""


def textbook_line(scenario: Scenario) -> Scenario:
    """``scenario`` with its Kela line made an M/M/c queue (:data:`TEXTBOOK_LINE`)."""
    return with_overrides(scenario, {**TEXTBOOK_LINE, "events": []})


def steady_state(scenario: Scenario, spell_distribution: str = "exponential", mean_days: float = 120.0,
                 per_week: float = 70.0, days: int = 365) -> Scenario:
    """Constant inflow (flat seasons), a steady-state initial stock and no staff: active clients
    should be arrivals per day x mean spell (Little's law)."""
    return with_overrides(scenario, {
        "events": [], "spell.distribution": spell_distribution, "spell.mean_days": mean_days, "spell.cv": 1.5,
        "inflow.seasonality": FLAT_SEASONS, "inflow.per_week": per_week,
        "inflow.initial_clients": round(per_week / 7 * mean_days), "scenario.days": days,
        "coaches.count": 0, "coaches.teams": [], "te.experts": 0, "services": [],
        "statements.per_client_month": 0.0,
    })


def erlang_c_line(scenario: Scenario, contact_persons: int, load: float, handle_minutes: float = 12.0,
                  clients: int = 20_000, days: int = 200) -> Scenario:
    """A textbook line whose questions arrive as a Poisson process at ``load`` erlangs per contact
    person: a constant stock of municipal clients (te24, spells far longer than the run, no
    coaches to keep busy)."""
    calls_per_day = load * contact_persons * MINUTES_PER_DAY / handle_minutes
    return with_overrides(textbook_line(scenario), {
        "rules.pilot": "te24", "coaches.count": 0, "coaches.teams": [], "te.experts": 0, "services": [],
        "statements.per_client_month": 0.0, "inflow.initial_clients": clients,
        "inflow.per_week": clients / 5000 * 7, "inflow.seasonality": FLAT_SEASONS,
        "spell.distribution": "exponential", "spell.mean_days": 5000.0,
        "scenario.days": days, "scenario.warmup_days": 10,
        "kela.contact_persons": contact_persons, "kela.handle_minutes": handle_minutes,
        "kela.questions_per_client_month": calls_per_day * (365.25 / 12) / clients,
    })
