"""The bundled multi-area scenarios add up to the national figures they are built from (no simulation)."""

from __future__ import annotations

import datetime

import pytest

import simkit
from simkit.analysis.status import (
    TEM_JULY_2022_ALL,
    expected_pilot_stock,
    expected_stock,
    expected_stock_mix,
    tem_mix,
)
from simkit.planning.areas import planned_staff
from simkit.scenario import SCENARIOS_DIR
from simkit.scenario.areas import area_scenarios
from simkit.units import DAYS_PER_MONTH


@pytest.fixture(scope="module")
def pilots() -> dict[str, simkit.Scenario]:
    return area_scenarios(simkit.load_scenario(SCENARIOS_DIR / "national-pilot-2022-areas.toml"))


@pytest.fixture(scope="module")
def te24() -> simkit.Scenario:
    return simkit.load_scenario(SCENARIOS_DIR / "te24-2025.toml")


def test_the_25_pilots_hold_the_national_scenarios_totals(pilots):
    national = simkit.load_scenario(SCENARIOS_DIR / "national-pilot-2022.toml")
    assert len(pilots) == 25
    areas = list(pilots.values())
    assert sum(a.inflow.initial_clients for a in areas) == national.inflow.initial_clients
    assert sum(a.inflow.per_week for a in areas) == pytest.approx(national.inflow.per_week, abs=1.0)
    assert sum(a.coaches.count for a in areas) == national.coaches.count
    assert sum(a.te.experts for a in areas) == national.te.experts
    assert 26 <= sum(a.kela.contact_persons for a in areas) <= 40  # calibration.md §5: 26–40 in total
    for area in areas:  # every area shares the national calibration: the same mean spell, rules and mix
        assert (area.spell, area.rules, area.clients) == (national.spell, national.rules, national.clients)


@pytest.mark.parametrize("name, job_seekers", [("helsinki", 45_901), ("pirkanmaa", 28_399), ("vantaa_kerava", 21_210)])
def test_the_largest_pilots_have_their_published_july_2022_stocks(pilots, name, job_seekers):
    """Each area's expected pilot stock at the end of 31.7.2022 (steady state: it grows in July) is its
    published share of the national one, and so within the national calibration's 2 % of its published stock."""
    national = simkit.load_scenario(SCENARIOS_DIR / "national-pilot-2022.toml")
    end_of_july = datetime.date(2022, 8, 1)  # at the start of 1.8 = at the end of 31.7
    area_stock = expected_pilot_stock(pilots[name], end_of_july)
    share = job_seekers / TEM_JULY_2022_ALL
    assert area_stock / expected_pilot_stock(national, end_of_july) == pytest.approx(share, rel=1e-4)  # per_week to 0.1
    assert area_stock == pytest.approx(job_seekers, rel=0.02)  # national target 233,792 ± 2 % [calibration.md §1]
    assert pilots[name].inflow.initial_clients == pytest.approx(share * national.inflow.initial_clients, abs=1.0)


def test_the_45_areas_hold_the_national_stock_and_inflow(te24):
    """Job-seeker status, as the national file: the inflow is TEM's new job searches, the time on the books
    keeps the stock at its start in steady state, and the status rates give TEM's July mix on 31.7.2025."""
    areas = list(area_scenarios(te24).values())
    assert len(areas) == 45
    stock = round(320_280 / 0.636)  # unemployed July 2025 [8] / unemployed share of job seekers [1]
    assert sum(a.inflow.initial_clients for a in areas) == stock
    per_week = sum(a.inflow.per_week for a in areas)
    october = per_week / 7 * te24.inflow.seasonality[9] * DAYS_PER_MONTH
    assert october == pytest.approx(14_000, rel=1e-3)  # new job searches a month, October [6]
    national = simkit.with_overrides(te24, {"inflow.per_week": per_week})
    assert expected_stock(national, te24.scenario.start_date) == pytest.approx(stock, rel=1e-3)  # Little's law by month
    mix = expected_stock_mix(national, datetime.date(2025, 8, 1))  # at the end of 31.7.2025
    assert mix == pytest.approx(tem_mix(), abs=0.001)  # TEM's July mix [1, 6]
    assert all((a.spell, a.status, a.inflow.returning_share) == (te24.spell, te24.status, 0.2) for a in areas)
    assert {a.rules.pilot for a in areas} == {"te24"} and {a.te.experts for a in areas} == {0}
    assert area_scenarios(te24)["helsinki"].inflow.initial_clients == 70_000  # areas.md row 1
    assert all(a.title for a in te24.areas)


def test_the_45_areas_staff_and_cost(te24):
    staff = planned_staff(te24)
    coaches = sum(a.coaches.count for a in area_scenarios(te24).values())
    years = te24.scenario.days / 365  # person-years are for the statistics window (2025–2026: two each)
    assert staff["staff.coach.person_years"] == pytest.approx(coaches * years)
    persons = sum(a.kela.contact_persons for a in area_scenarios(te24).values())
    assert 45 <= persons <= 80  # ≈1 per area, more in the largest [5]
    assert staff["staff.person_years"] == pytest.approx((coaches * 1.818 + persons) * years)  # overheads 0.818 per coach
    assert staff["staff.cost_eur"] == pytest.approx(staff["staff.person_years"] * 60_000)
