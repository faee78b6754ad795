"""Starting from today's caseload: a CSV of the clients active on day 0."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEINAJOKI

import simkit
from simkit.model.engine import AreaModel
from simkit.scenario import ScenarioError

TEAMS = """
[coaches]
count = 5

[[coaches.teams]]
name = "youth"
serves = "under_30"
count = 2

[[coaches.teams]]
name = "adults"
count = 3
"""


def scenario_with(tmp_path, csv_text: str, extra: str = TEAMS):
    (tmp_path / "caseload.csv").write_text(csv_text, encoding="utf-8")
    (tmp_path / "today.toml").write_text(
        f'extends = "{SEINAJOKI}"\nevents = []\n[scenario]\ndays = 60\n'
        f'[inflow]\ninitial_clients_csv = "caseload.csv"\nper_week = 10.0\n{extra}', encoding="utf-8")
    return simkit.load_scenario(tmp_path / "today.toml")


def test_the_caseload_csv_is_the_day_0_stock(tmp_path):
    rows = "days_since_registration,team,under_30,kela_benefit,remaining_days\n" + "".join(
        f"{10 + i},{'youth' if i % 3 == 0 else 'adults' if i % 3 == 1 else 'te'},{int(i % 3 == 0)},1,{50 + i}\n"
        for i in range(90))
    scenario = scenario_with(tmp_path, rows)
    assert scenario.inflow.initial_clients == 90
    observations = simkit.simulate(scenario, seed=1, keep_observations=True).observations
    population, stays = observations.population, observations.stays
    initial = np.flatnonzero(population.initial)
    np.testing.assert_allclose(-population.registration[initial], 10 + np.arange(90))
    np.testing.assert_allclose(population.exit[initial], 50 + np.arange(90))
    first_stay = {client: pool for client, pool in zip(stays.client.tolist(), stays.pool.tolist()) if client < 90}
    names = list(observations.pools)
    for client in range(90):
        expected = ("coach.youth", "coach.adults", "te")[client % 3]
        assert names[first_stay[client]] == expected


def test_blank_remaining_spells_are_drawn_given_the_age(tmp_path):
    rows = "days_since_registration\n" + "10\n" * 2000 + "600\n" * 2000
    lognormal = scenario_with(tmp_path, rows, extra="")
    remaining = AreaModel(lognormal, seed=2).population.exit[:4000]
    young, old = remaining[:2000], remaining[2000:]
    assert np.median(old) > np.median(young)  # a long spell so far predicts a long rest (lognormal)
    exponential = simkit.with_overrides(lognormal, {"spell.distribution": "exponential"})
    remaining = AreaModel(exponential, seed=2).population.exit[:4000]
    assert remaining[:2000].mean() == pytest.approx(exponential.spell.mean_days, rel=0.08)
    assert remaining[2000:].mean() == pytest.approx(exponential.spell.mean_days, rel=0.08)  # memoryless


@pytest.mark.parametrize("csv_text, fragment", [
    ("days_since_registration,under_3\n5,1\n", "unknown column 'under_3' (did you mean under_30?)"),
    ("days_since_registration\n-4\n", "row 2, column days_since_registration = \"-4\""),
    ("days_since_registration,kela_benefit\n5,maybe\n", "row 2, column kela_benefit = \"maybe\": input should be a valid boolean"),
    ("days_since_registration,remaining_days\n5,0\n", "row 2, column remaining_days = \"0\""),
    ("days_since_registration,team\n5,yuoth\n", "team 'yuoth' is none of"),
])
def test_bad_caseload_rows_are_named(tmp_path, csv_text, fragment):
    with pytest.raises(ScenarioError) as raised:
        scenario_with(tmp_path, csv_text)
    assert fragment in str(raised.value)


def test_missing_caseload_file_is_named(tmp_path):
    (tmp_path / "today.toml").write_text('[inflow]\ninitial_clients_csv = "absent.csv"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="absent.csv: no such caseload file"):
        simkit.load_scenario(tmp_path / "today.toml")
