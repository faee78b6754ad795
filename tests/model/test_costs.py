"""People and money: person-years from the staff on duty, euros per person-year by role, overheads."""

from __future__ import annotations

import pytest

import simkit
from simkit.planning.areas import planned_staff
from simkit.scenario import scenario_from_dict

BASE = {
    "scenario": {"days": 73, "start_date": "2022-03-01"},
    "inflow": {"per_week": 10, "initial_clients": 80},
    "coaches": {"count": 4},
    "te": {"experts": 2},
    "kela": {"contact_persons": 1},
}


def test_person_years_are_staff_days_over_365_and_cost_is_person_years_times_euros():
    scenario = scenario_from_dict({**BASE, "costs": {
        "eur_per_person_year": 50_000, "te_expert": 70_000,
        "overheads": [{"name": "management", "share": 0.25, "persons": 1, "eur_per_person_year": 90_000},
                      {"name": "employer_services", "share": 0.5}],
    }})
    metrics = simkit.simulate(scenario, 3, 0).metrics
    years = 73 / 365  # a 73-day window is 0.2 person-years per person
    assert metrics["staff.coach.person_years"] == pytest.approx(4 * years)
    assert metrics["staff.te.person_years"] == pytest.approx(2 * years)
    assert metrics["staff.kela.person_years"] == pytest.approx(1 * years)
    caseload_years = 6 * years
    assert metrics["staff.management.person_years"] == pytest.approx(0.25 * caseload_years + 1 * years)
    assert metrics["staff.employer_services.person_years"] == pytest.approx(0.5 * caseload_years)
    assert metrics["staff.coach.cost_eur"] == pytest.approx(4 * years * 50_000)
    assert metrics["staff.te.cost_eur"] == pytest.approx(2 * years * 70_000)
    assert metrics["staff.management.cost_eur"] == pytest.approx((0.25 * caseload_years + years) * 90_000)
    roles = ("coach", "te", "kela", "management", "employer_services")
    assert metrics["staff.person_years"] == pytest.approx(sum(metrics[f"staff.{r}.person_years"] for r in roles))
    assert metrics["staff.cost_eur"] == pytest.approx(sum(metrics[f"staff.{r}.cost_eur"] for r in roles))


def test_dated_staff_changes_count_from_their_date():
    scenario = scenario_from_dict({**BASE, "events": [{"date": "2022-04-01", "set": {"coaches.count": 10}}]})
    metrics = simkit.simulate(scenario, 3, 0).metrics
    assert metrics["staff.coach.person_years"] == pytest.approx((31 * 4 + 42 * 10) / 365)


def test_the_default_cost_is_the_sourced_60000_euros_a_person_year():
    metrics = simkit.simulate(scenario_from_dict(BASE), 3, 0).metrics
    assert metrics["staff.cost_eur"] == pytest.approx(metrics["staff.person_years"] * 60_000)


def test_a_staffing_option_costs_the_same_planned_as_simulated():
    scenario = scenario_from_dict({**BASE, "events": [{"date": "2022-04-01", "set": {"te.experts": 5}}],
                                   "areas": [{"name": "a"}, {"name": "b", "coaches": {"count": 7}}]})
    simulated = simkit.simulate(scenario, 1, 0).metrics
    planned = planned_staff(scenario)
    assert planned == pytest.approx({name: simulated[name] for name in planned})


def test_an_overhead_cannot_take_a_pool_name():
    with pytest.raises(simkit.ScenarioError, match="taken by the staff pools"):
        scenario_from_dict({**BASE, "costs": {"overheads": [{"name": "coach", "persons": 2}]}})
