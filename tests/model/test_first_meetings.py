"""Honest first-meeting metrics: every client whose deadline fell in the window counts, the unmet too."""

from __future__ import annotations

import math

import numpy as np
import pytest

import simkit
from simkit.metrics import first_meeting_cases


def test_a_team_that_meets_nobody_is_never_on_time(small):
    """No coach: every pilot client whose deadline fell in the window is unmet (not a blank)."""
    scenario = simkit.with_overrides(small, {"coaches.count": 0})
    result = simkit.simulate(scenario, seed=1, keep_observations=True)
    metrics, obs = result.metrics, result.observations
    assert metrics["coach.first_meeting_on_time_share"] == 0.0
    assert metrics["coach.first_meeting_unmet_share"] == 1.0
    assert math.isnan(metrics["coach.first_meeting_working_days"])
    first, pop = obs.first_meetings, obs.population
    start, end = obs.window
    expected = pop.municipal & ~pop.initial & (first.deadline_day >= start) & (first.deadline_day < end) & (
        pop.exit >= first.deadline_day)
    assert (first_meeting_cases(obs, [0]) == expected).all() and expected.sum() > 100


def test_the_denominator_counts_the_unmet_but_not_those_who_left_before_the_deadline(small):
    scenario = simkit.with_overrides(small, {"coaches.count": 3, "coaches.caseload_cap": 145})
    result = simkit.simulate(scenario, seed=2, keep_observations=True)
    metrics, obs = result.metrics, result.observations
    first, pop = obs.first_meetings, obs.population
    counted = first_meeting_cases(obs, [0])
    met, deadline = first.met_day, first.deadline_day
    assert not (counted & (met < 0) & (pop.exit < deadline)).any()  # left unmet before the deadline
    unmet = counted & (met < 0)
    assert unmet.sum() > 20  # still waiting at the end, or gone unmet after the deadline
    assert (pop.exit[unmet] >= deadline[unmet]).all()
    on_time = counted & (met >= 0) & (met <= deadline)
    assert metrics["coach.first_meeting_on_time_share"] == pytest.approx(on_time.sum() / counted.sum())
    assert metrics["coach.first_meeting_unmet_share"] == pytest.approx(unmet.sum() / counted.sum())
    # the share among the met only (the old figure) flatters the team
    assert metrics["coach.first_meeting_on_time_share"] < on_time.sum() / (counted & (met >= 0)).sum() - 0.03


def test_deadlines_are_the_rules_working_days(small):
    """The deadline day is the 10th working day after registration (2021 rules); a first meeting is
    on time exactly when held by it."""
    obs = simkit.simulate(small, seed=3, keep_observations=True).observations
    first, pop = obs.first_meetings, obs.population
    met = first.met_day >= 0
    assert (first.deadline_day[pop.initial] == -1).all()
    on_time_by_day = first.met_day[met] <= first.deadline_day[met]
    assert (on_time_by_day == (first.met_working_days[met] <= 10)).all()
    pool = obs.pools["coach"]
    assert (first.met_day[pool.first_client] == pool.first_day).all()
    assert (np.isin(np.flatnonzero(met), np.concatenate([p.first_client for p in obs.pools.values()]))).all()
