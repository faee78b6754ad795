"""The draws kept for the next run of the same clients (simkit.model.draws): no draw reads what the
key leaves out, a run leaves the draws as they were, and a run on kept draws gives the numbers of
a run that drew afresh."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pandas as pd
import pytest

import simkit
from simkit.model import draws as draws_module
from simkit.model.draws import NOT_DRAWN_FROM, Draws, clients_key, forget_draws
from simkit.model.engine import AreaModel
from tests.conftest import SEINAJOKI
from tests.model.test_teams import TEAMS

# A value for each part of NOT_DRAWN_FROM that differs from the bundled file's (a section: several keys of it)
OTHER_VALUES = {
    "coaches": {"coaches.count": 9, "coaches.client_time_share": 0.45, "coaches.hours_per_week": 30.0,
                "coaches.caseload_cap": 60},
    "coaches.teams": {"coaches.count": 5, "coaches.teams": TEAMS},  # (on the file without its events, which set
    # coaches.count: TEAMS add up to 5)
    "te": {"te.experts": 1, "te.client_time_share": 0.8, "te.hours_per_week": 20.0, "te.caseload_cap": 90},
    "meeting": {"meeting.minutes": 60.0, "meeting.early_days": 2, "meeting.no_show_share": 0.1,
                "meeting.rebook_days": 9, "meeting.first_meeting_policy": "reserve",
                "meeting.first_meeting_reserve_share": 0.3, "meeting.supplementary_need_share": 0.2},
    "costs": {"costs.eur_per_person_year": 75000, "costs.coach": 65000, "costs.te_expert": 62000,
              "costs.kela_contact_person": 58000, "costs.overheads": [{"name": "management", "share": 0.2}]},
    "expect": {"expect": []},
    "kela.contact_persons": {"kela.contact_persons": 4},
    "scenario.name": {"scenario.name": "another name"},
    "scenario.description": {"scenario.description": "another story"},
    "scenario.replications": {"scenario.replications": 7},
    "scenario.seed": {"scenario.seed": 99},
}


@pytest.fixture(scope="module")
def nordic_period() -> simkit.Scenario:
    """The 2021 file's first 480 days: statements, services, Kela questions, two dated events."""
    return simkit.load_scenario(SEINAJOKI, {"scenario.days": 480})


def fresh_draws(scenario: simkit.Scenario, seed: int = 3, replication: int = 1) -> Draws:
    forget_draws()
    return AreaModel(scenario, seed, replication).draws


def arrays(value: object, path: str = "") -> dict[str, np.ndarray]:
    """Every numpy array in ``value`` by its path (records, mappings, tuples)."""
    if isinstance(value, np.ndarray):
        return {path: value}
    if dataclasses.is_dataclass(value):
        items = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        items = value._asdict()
    elif isinstance(value, dict):
        items = value
    else:
        return {}
    return {key: array for name, item in items.items() for key, array in arrays(item, f"{path}.{name}").items()}


def checksums(value: object) -> dict[str, str]:
    return {path: hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()
            for path, array in arrays(value).items()}


def test_every_part_left_out_of_the_key_has_a_changed_value_here():
    assert {part for part in OTHER_VALUES if part != "coaches.teams"} == set(NOT_DRAWN_FROM)


@pytest.mark.parametrize("part", list(OTHER_VALUES))
def test_no_draw_reads_the_parts_left_out_of_the_key(nordic_period, part):
    """Drawn afresh, a scenario that differs only in a part left out of the key draws the same clients,
    questions, statements and client events: so kept draws serve it exactly."""
    scenario = simkit.with_overrides(nordic_period, {"events": []}) if part == "coaches.teams" else nordic_period
    changed = simkit.with_overrides(scenario, OTHER_VALUES[part])
    assert changed.content_hash() != scenario.content_hash()
    assert clients_key(changed) == clients_key(scenario)
    base, other = arrays(fresh_draws(scenario)), arrays(fresh_draws(changed))
    assert base.keys() == other.keys() and len(base) > 20
    for path in base:
        np.testing.assert_array_equal(base[path], other[path], err_msg=path)


@pytest.mark.parametrize("overrides", [{"inflow.per_week": 31.0}, {"rules.pilot": "te24"},
                                       {"statements.per_client_month": 0.4}, {"scenario.days": 470}])
def test_a_part_the_draws_read_changes_the_key(nordic_period, overrides):
    changed = simkit.with_overrides(nordic_period, overrides)
    assert clients_key(changed) != clients_key(nordic_period)
    assert AreaModel(changed, 3, 1).draws is not AreaModel(nordic_period, 3, 1).draws


def test_a_run_leaves_the_draws_as_they_were(nordic_period):
    model = AreaModel(nordic_period, 3, 1)
    before = checksums(model.draws)
    model.run()
    assert checksums(model.draws) == before


def test_a_run_on_kept_draws_gives_the_numbers_of_a_fresh_run(nordic_period):
    """A staffing sweep's second point runs on the first point's draws, with the same numbers as when
    it draws them itself; another replication or seed draws its own."""
    fewer = simkit.with_overrides(nordic_period, {"coaches.count": 14, "kela.contact_persons": 2})
    simkit.simulate(nordic_period, seed=3, replication=1)
    kept = AreaModel(nordic_period, 3, 1).draws
    assert AreaModel(fewer, 3, 1).draws is kept
    assert AreaModel(fewer, 3, 2).draws is not kept and AreaModel(fewer, 4, 1).draws is not kept
    on_kept = simkit.simulate(fewer, seed=3, replication=1)
    forget_draws()
    afresh = simkit.simulate(fewer, seed=3, replication=1)
    assert on_kept.metrics == pytest.approx(afresh.metrics, nan_ok=True, rel=0, abs=0)
    pd.testing.assert_frame_equal(on_kept.daily, afresh.daily)


def draw_bytes(draws: Draws) -> int:
    return sum(array.nbytes for array in draws_module.arrays_in(draws))


def test_kept_draws_stay_within_their_megabytes(nordic_period, monkeypatch):
    one = draw_bytes(AreaModel(nordic_period, 3, 1).draws)
    monkeypatch.setenv("SIMKIT_KEPT_DRAWS_MB", str(2.5 * one / 2**20))
    forget_draws()
    for replication in range(4):
        AreaModel(nordic_period, 3, replication)
    assert [key[2] for key in draws_module._KEPT] == [2, 3]  # the latest two (a third would pass the bound)


def test_no_draws_are_kept_with_zero_megabytes(nordic_period, monkeypatch):
    monkeypatch.setenv("SIMKIT_KEPT_DRAWS_MB", "0")
    first = AreaModel(nordic_period, 3, 1).draws
    assert AreaModel(nordic_period, 3, 1).draws is not first and not draws_module._KEPT


def test_a_bad_bound_is_a_one_line_error(nordic_period, monkeypatch):
    monkeypatch.setenv("SIMKIT_KEPT_DRAWS_MB", "lots")
    with pytest.raises(simkit.ScenarioError, match=r"\$SIMKIT_KEPT_DRAWS_MB = 'lots': expected a number of megabytes"):
        AreaModel(nordic_period, 3, 1)


def test_nobody_can_change_kept_draws_through_a_result(nordic_period):
    """A user editing a result's observations in place would change the clients of the next run."""
    observations = simkit.simulate(nordic_period, seed=3, replication=1, keep_observations=True).observations
    for array in (observations.population.exit, observations.population.attributes["under_30"],
                  observations.kela.raised):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[1]
