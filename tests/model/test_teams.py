"""Coach teams serving segments (youth, integration, adults) and their metrics."""

from __future__ import annotations

import numpy as np
import pytest

import simkit
from simkit.model.engine import AreaModel
from simkit.scenario import ScenarioError

TEAMS = [
    {"name": "youth", "serves": "under_30", "count": 1, "caseload_cap": 60},
    {"name": "integration", "serves": "foreign_language", "count": 1},
    {"name": "adults", "count": 3},
]


@pytest.fixture(scope="module")
def teams(small):
    return simkit.with_overrides(small, {"coaches.count": 5, "coaches.teams": TEAMS})


def test_each_client_goes_to_the_first_team_that_serves_them(teams):
    observations = simkit.simulate(teams, seed=1, keep_observations=True).observations
    stays, attributes = observations.stays, observations.population.attributes
    names = list(observations.pools)
    assert names == ["coach.youth", "coach.integration", "coach.adults", "te"]
    coach_stays = stays.municipal
    clients = stays.client[coach_stays]
    pool = stays.pool[coach_stays]
    under_30 = attributes["under_30"][clients]
    language = attributes["foreign_language"][clients]
    assert np.all(pool[under_30] == 0)
    assert np.all(pool[~under_30 & language] == 1)
    assert np.all(pool[~under_30 & ~language] == 2)


def test_team_metrics_sit_beside_the_totals(teams):
    metrics = simkit.simulate(teams, seed=2).metrics
    for team in ("youth", "integration", "adults"):
        assert f"coach.{team}.caseload_mean" in metrics and f"coach.{team}.utilisation" in metrics
    assert metrics["coach.youth.caseload_p95"] <= 60
    per_team = [metrics[f"coach.{t}.caseload_mean"] * c for t, c in (("youth", 1), ("integration", 1), ("adults", 3))]
    assert sum(per_team) / 5 == pytest.approx(metrics["coach.caseload_mean"])
    runs = simkit.replicate(teams, 2, seed=2)
    assert runs.summary.loc["coach.youth.caseload_mean", "unit"] == "clients per person"


def test_a_small_youth_team_makes_young_clients_wait(teams):
    result = simkit.simulate(teams, seed=3)
    metrics = result.metrics
    assert metrics["coach.youth.caseload_p95"] == 60  # full
    assert metrics["clients.waiting_for_coach"] > 20
    assert metrics["coach.adults.first_meeting_on_time_share"] > 0.9
    assert (result.daily["coach_youth_caseload_mean"] <= 60).all()


def test_without_teams_there_is_one_coach_pool(small):
    result = simkit.simulate(small, seed=1, keep_observations=True)
    assert list(result.observations.pools) == ["coach", "te"]
    assert not any(name.startswith(("coach.", "te.")) and name.count(".") > 1 for name in result.metrics)  # no team metrics


@pytest.mark.parametrize("teams, fragment", [
    ([{"name": "youth", "serves": "under_30", "count": 2}, {"name": "adults", "count": 2}],
     "coaches.count = 5 but the teams add up to 4"),
    ([{"name": "youth", "serves": "under_30", "count": 5}], 'the last team must serve "everyone"'),
    ([{"name": "a", "count": 2}, {"name": "a", "count": 3}], "team names must differ"),
    ([{"name": "Youth Team", "count": 5}], "coaches.teams[0].name"),
    ([{"name": "youth", "serves": "teens", "count": 5}], "coaches.teams[0].serves"),
])
def test_bad_teams_are_explained(small, teams, fragment):
    with pytest.raises(ScenarioError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        simkit.with_overrides(small, {"coaches.count": 5, "coaches.teams": teams})


def test_events_may_resize_teams_but_not_change_them(small):
    base = {"coaches.count": 5, "coaches.teams": TEAMS}
    resized = [dict(TEAMS[0], count=2), TEAMS[1], dict(TEAMS[2], count=2)]
    ok = simkit.with_overrides(small, base | {"events": [{"date": "2021-05-03", "set": {"coaches.teams": resized}}]})
    assert AreaModel(ok, seed=1).on_duty["coach.youth"][-1] == 2
    with pytest.raises(ScenarioError, match="may resize coach teams but not add"):
        simkit.with_overrides(small, base | {"events": [{"date": "2021-05-03", "set": {
            "coaches.teams": [{"name": "all", "count": 5}]}}]})
