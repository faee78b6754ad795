"""Job-seeker status on the books, new job searches against returns, and the metrics by status."""

from __future__ import annotations

import numpy as np
import pytest

import simkit
from simkit.model.draws import forget_draws
from simkit.model.engine import AreaModel
from simkit.observations import JobSeekerStatus


@pytest.fixture(scope="module")
def with_status():
    """The small area with the four statuses, everyone served by idle coaches, no services."""
    from conftest import small_scenario
    return simkit.with_overrides(small_scenario(), {
        "status.service_per_month": 0.1, "status.education_per_month": 0.1, "status.employed_per_month": 0.2,
        "status.service_months": 3.0, "status.education_months": 6.0, "status.employed_months": 4.0,
        "rules.pilot": "te24", "coaches.count": 12,
    })


def first_meetings_of_arrivals(scenario: simkit.Scenario) -> int:
    observations = simkit.simulate(scenario, seed=3, keep_observations=True).observations
    return sum(len(pool.first_day) for pool in observations.pools.values())


@pytest.mark.parametrize("rules, owed_by_returns", [("nordic-2022", False), ("2021", True)])
def test_a_return_within_six_months_owes_no_initial_interview_under_the_nordic_model(with_status, rules,
                                                                                       owed_by_returns):
    """Nordic model: a new initial interview only after 6 months since the previous job search
    (calibration.md §4). Everyone returning: no first meetings at all; nobody: one per arrival."""
    base = simkit.with_overrides(with_status, {"rules.meetings": rules, "status.contact_days": 60})
    new = first_meetings_of_arrivals(simkit.with_overrides(base, {"inflow.returning_share": 0.0}))
    returning = first_meetings_of_arrivals(simkit.with_overrides(base, {"inflow.returning_share": 1.0}))
    assert new > 300
    assert returning == (new if owed_by_returns else 0)


def test_the_status_columns_add_up_to_the_active_clients(with_status):
    daily = simkit.simulate(with_status, seed=1).daily
    parts = daily[["unemployed_pilot", "in_service_pilot", "in_education_pilot", "employed_pilot"]].sum(axis=1)
    np.testing.assert_array_equal(parts, daily["active_pilot"])
    assert (daily["unemployed_pilot"] < daily["active_pilot"]).all()
    assert (daily["in_service_pilot"] > 0).all() and (daily["employed_pilot"] > 0).all()


def test_unemployment_spells_are_new_job_searches_plus_returns_to_unemployment(with_status):
    result = simkit.simulate(with_status, seed=1, keep_observations=True)
    population, (start, end) = result.observations.population, result.observations.window
    changes = population.status_changes
    returns = ((changes.status == JobSeekerStatus.UNEMPLOYED) & (changes.time >= start) & (changes.time < end)).sum()
    months = (end - start) / (365.25 / 12)
    metrics = result.metrics
    assert metrics["clients.unemployment_spells_per_month_pilot"] * months == pytest.approx(
        metrics["clients.new_job_searches_per_month_pilot"] * months + returns)
    assert metrics["clients.new_job_searches_per_month_pilot"] == pytest.approx(
        metrics["clients.arrivals_per_day"] * 365.25 / 12)


def test_the_unemployed_caseload_is_part_of_the_caseload(with_status):
    metrics = simkit.simulate(with_status, seed=1).metrics
    assert 0.3 * metrics["coach.caseload_mean"] < metrics["coach.caseload_unemployed_mean"] < metrics["coach.caseload_mean"]
    no_status = simkit.simulate(simkit.with_overrides(with_status, {"status.service_per_month": 0.0,
                                                                    "status.education_per_month": 0.0,
                                                                    "status.employed_per_month": 0.0}), seed=1).metrics
    assert no_status["coach.caseload_unemployed_mean"] == pytest.approx(no_status["coach.caseload_mean"])


def test_status_paths_do_not_depend_on_staffing(with_status):
    """Common random numbers: fewer coaches, the same clients with the same status paths."""
    fewer = simkit.with_overrides(with_status, {"coaches.count": 2})
    a = AreaModel(with_status, seed=5).population
    forget_draws()  # drawn again, not kept from the first (simkit.model.draws)
    b = AreaModel(fewer, seed=5).population
    for name in ("client", "time", "status"):
        np.testing.assert_array_equal(getattr(a.status_changes, name), getattr(b.status_changes, name))
    np.testing.assert_array_equal(a.new_job_search, b.new_job_search)


def test_a_status_path_starts_unemployed_and_alternates(with_status):
    population = AreaModel(with_status, seed=2).population
    changes = population.status_changes
    order = np.lexsort((changes.time, changes.client))
    client, status, time = changes.client[order], changes.status[order], changes.time[order]
    first = np.append(True, client[1:] != client[:-1])
    assert (status[first] != JobSeekerStatus.UNEMPLOYED).all(), "the first change leaves unemployment"
    same = ~first
    assert ((status[same] == JobSeekerStatus.UNEMPLOYED) != (status[np.flatnonzero(same) - 1] == JobSeekerStatus.UNEMPLOYED)).all()
    assert (time > population.registration[client]).all() and (time < population.exit[client]).all()
