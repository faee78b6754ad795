"""A client's journey directly: the cap, the waiting list (first come, first served), the first
meeting booked on assignment, and a leaving client's meeting cancelled."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import simkit
from simkit.model.calendar import Calendar
from simkit.model.client_events import client_events
from simkit.model.client_table import ClientTable
from simkit.model.journey import WAITING, WITH_STAFF, Journeys
from simkit.model.office import Meetings
from simkit.model.staff import NOT_BOOKED, StaffPool
from simkit.observations import JobSeekerStatus, Population, StatusChanges

CALENDAR = Calendar(dt.date(2021, 3, 1), 120)  # Monday 1 March 2021


def area(small, clients: int, cap: int):
    """One coach (``cap`` clients, two meetings a working day) and a TE pool; everyone municipal."""
    population = Population(
        registration=np.arange(clients) / 10 + 0.05, exit=np.full(clients, 1000.0),
        municipal=np.ones(clients, bool), initial=np.zeros(clients, bool),
        attributes={}, initial_team=[None] * clients, new_job_search=np.ones(clients, bool),
        status_changes=StatusChanges(np.empty(0, int), np.empty(0), np.empty(0, int)),
        supplementary_need=np.zeros(clients),
    )
    minutes = np.where(CALENDAR.is_working_day, 90.0, 0.0)
    pools = [StaffPool(name, 1, 1, cap, 45.0, minutes) for name in ("coach", "te")]
    table = ClientTable.of(population, coach_pool=[0] * clients, te_pool=1, first_deadline=[10] * clients)
    meetings = Meetings(table, pools, CALENDAR, np.random.default_rng(1))
    meetings.set_rules(small)
    return table, pools[0], Journeys(table, pools, meetings, client_events(population, horizon=5))


def test_clients_beyond_the_cap_wait_and_get_places_first_come_first_served(small):
    table, coach, journeys = area(small, clients=4, cap=2)
    for client in range(4):
        journeys.register(client)
    assert table.state.tolist() == [WITH_STAFF, WITH_STAFF, WAITING, WAITING]
    assert list(coach.waiting) == [2, 3] and coach.waiting_count == 2
    journeys.leave(1)
    assert table.state[2] == WITH_STAFF and table.state[3] == WAITING
    journeys.leave(3)  # leaves while waiting: nobody to admit when a place frees
    journeys.leave(0)
    assert coach.waiting_count == 0 and coach.caseload == [1]


def test_a_new_client_has_the_first_meeting_on_the_first_day_with_room(small):
    table, coach, journeys = area(small, clients=3, cap=5)
    journeys.now = 0.5  # Monday noon: the first meetings from Tuesday, two a day
    for client in range(3):
        journeys.register(client)
    assert table.booked_day.tolist() == [1, 1, 2]
    assert coach.meetings_on[1] == [0, 1]


def test_a_leaving_client_frees_the_meeting_time(small):
    table, _, journeys = area(small, clients=3, cap=5)
    journeys.now = 0.5
    for client in range(2):
        journeys.register(client)
    journeys.leave(0)
    assert table.booked_day[0] == NOT_BOOKED
    journeys.register(2)
    assert table.booked_day[2] == 1  # the minutes client 0 had on Tuesday


def test_the_stay_table_has_one_row_per_stay(small):
    _, _, journeys = area(small, clients=3, cap=1)
    for client, now in zip(range(3), (0.1, 0.2, 0.3)):
        journeys.now = now
        journeys.register(client)
    journeys.now = 0.4
    journeys.leave(0)
    stays = journeys.stay_table(exits=np.full(3, 1000.0))
    np.testing.assert_allclose(stays.start, [0.1, 0.2, 0.3])
    np.testing.assert_allclose(stays.assigned, [0.1, 0.4, np.inf])
    np.testing.assert_allclose(stays.end, [0.4, 1000.0, 1000.0])
    assert list(stays.person) == [0, 0, -1]


def test_a_periodic_meeting_is_booked_no_earlier_than_early_days_before_it_is_due(small):
    table, coach, journeys = area(small, clients=1, cap=5)
    table.first_done[0] = True  # an existing client: the next periodic meeting (2021 rules: every 3 months)
    journeys.meetings.book_next(0, coach, 0, from_day=1)
    due = int(np.floor(0.05 + 365.25 / 4))  # registered at 0.05, due 3 months later
    earliest = due - small.meeting.early_days
    assert table.booked_day[0] == CALENDAR.working_day_from[earliest] >= earliest
    assert table.owed_day[0] == due and coach.counts["due_owed"][due] == 1


@pytest.mark.parametrize("rules", ["nordic-2022", "he108-2026"])
def test_under_the_nordic_model_an_unemployed_client_owes_the_intensive_rhythm_and_an_employed_one_does_not(
        small, rules):
    """Two clients past their initial interview on day 0: the unemployed one's next job-search
    conversation is due two weeks after registration; the one who starts work is owed only the
    lighter contact, ``status.contact_days`` later (the conversation it was owed is no longer owed)."""
    nordic = simkit.with_overrides(small, {"rules.meetings": rules, "status.contact_days": 60,
                                           "meeting.early_days": 0})
    table, coach, journeys = area(nordic, clients=2, cap=5)
    table.first_done[:] = [True, True]
    for client in range(2):
        journeys.register(client)
    journeys.change_status(1, int(JobSeekerStatus.EMPLOYED))
    assert table.owed_day.tolist() == [14, 60] and coach.counts["due_owed"][14] == 1 and coach.counts["due_owed"][60] == 1
    assert table.booked_day.tolist() == [CALENDAR.working_day_from[14], CALENDAR.working_day_from[60]]
    journeys.now = 20.5
    journeys.change_status(1, int(JobSeekerStatus.UNEMPLOYED))  # unemployed again: the job search's plan
    assert table.owed_day[1] == 28 and coach.counts["due_owed"][60] == 0


def test_under_the_2021_rules_status_changes_nothing(small):
    table, _, journeys = area(small, clients=2, cap=5)
    table.first_done[:] = [True, True]
    for client in range(2):
        journeys.register(client)
    journeys.change_status(1, int(JobSeekerStatus.EMPLOYED))
    assert table.booked_day[0] == table.booked_day[1] and table.owed_day[0] == table.owed_day[1]
    assert table.status.tolist() == [int(JobSeekerStatus.UNEMPLOYED), int(JobSeekerStatus.EMPLOYED)]
