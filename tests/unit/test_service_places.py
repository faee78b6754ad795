"""A service's places directly: places never exceeded, first come first served, ineligible clients
dropped, a service that ends with the spell (the compiled functions of simkit.model.services)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from simkit.model.calendar import Calendar
from simkit.model.client_table import ClientTable
from simkit.model.journey import EXITED, WITH_STAFF
from simkit.model.office import Meetings
from simkit.model.services import REFERRALS, ServicesState, admit, refer
from simkit.model.staff import StaffPool
from simkit.observations import Population, StatusChanges

CALENDAR = Calendar(dt.date(2021, 3, 1), 60)


def trial(small, exits: list[float], places: int = 1, duration_days: float = 10.0):
    """Clients with a coach, each ending their spell at ``exits``, and one service (a work trial)."""
    n = len(exits)
    population = Population(
        registration=np.zeros(n), exit=np.asarray(exits), municipal=np.ones(n, bool), initial=np.ones(n, bool),
        attributes={}, initial_team=[None] * n, new_job_search=np.ones(n, bool),
        status_changes=StatusChanges(np.empty(0, int), np.empty(0), np.empty(0, int)),
        supplementary_need=np.zeros(n),
    )
    table = ClientTable.of(population, coach_pool=[0] * n, te_pool=1, first_deadline=[10] * n)
    table.state[:] = WITH_STAFF
    minutes = np.where(CALENDAR.is_working_day, 90.0, 0.0)
    meetings = Meetings(table, [StaffPool(name, 1, 1, 9, 45.0, minutes) for name in ("coach", "te")], CALENDAR,
                        np.random.default_rng(1))
    meetings.set_rules(small)
    rows = 8
    state = ServicesState(
        places=np.array([places]), duration_days=np.array([duration_days]), meeting_interval_factor=np.array([2.0]),
        first_row=np.array([0, rows]), times=np.zeros(0), who=np.zeros(0, np.int64),
        day_ends=np.zeros((1, 60), np.int64), client=np.zeros(rows, np.int64), referred=np.zeros(rows),
        started=np.zeros(rows), ended=np.zeros(rows), queue=np.zeros(rows, np.int64), in_service=np.zeros(rows),
        exits=population.exit.astype(float), ints=np.zeros((4, 1), np.int64),
    )
    return table, meetings.office, state


def started_at(state: ServicesState) -> list[float]:
    return state.started[:state.ints[REFERRALS, 0]].tolist()


def test_one_place_goes_to_the_first_referred_until_they_finish(small):
    table, office, state = trial(small, exits=[100.0, 100.0, 100.0])
    for client in (0, 1, 2):
        table.queued_for[client] += 1
        refer(state, 0, client, 0.5 + client / 10)
    admit(office, state, 0, 1)
    assert state.started[0] == 1.0 and state.ended[0] == 11.0 and math.isnan(state.started[1])
    assert table.service_until[0] == 11.0 and table.service_factor[0] == 2.0 and table.queued_for[0] == 0
    admit(office, state, 0, 5)
    assert math.isnan(state.started[1])  # the place is taken until day 11
    admit(office, state, 0, 11)
    assert state.started[1] == 11.0 and state.ended[1] == 21.0 and math.isnan(state.started[2])
    assert table.queued_for.tolist() == [0, 0, 1]


def test_a_service_ends_when_the_spell_does(small):
    _, office, state = trial(small, exits=[4.0])
    refer(state, 0, 0, 0.2)
    admit(office, state, 0, 1)
    assert state.ended[0] == 4.0


def test_a_client_no_longer_eligible_is_dropped_and_the_next_gets_the_place(small):
    table, office, state = trial(small, exits=[100.0, 3.0, 100.0])
    for client in (0, 1, 2):
        table.queued_for[client] += 1
        refer(state, 0, client, 0.5)
    admit(office, state, 0, 1)
    table.state[1] = EXITED  # left while queued
    admit(office, state, 0, 11)
    assert started_at(state)[2] == 11.0 and math.isnan(started_at(state)[1])
    assert state.ended[1] == 3.0  # queued until the spell ended
    assert table.queued_for.tolist() == [0, 0, 0]


def test_places_are_never_exceeded(small):
    _, office, state = trial(small, exits=[100.0] * 6, places=2)
    for client in range(6):
        refer(state, 0, client, 0.1 * client)
    for day in range(1, 40):
        admit(office, state, 0, day)
        begun = np.nan_to_num(state.started[:6], nan=np.inf)
        assert np.sum((begun <= day) & (state.ended[:6] > day)) <= 2
    assert np.all(np.diff(state.started[:6]) >= 0)  # first come, first served
