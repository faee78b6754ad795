"""A client's journey: register, wait for or get a person, leave; and the client table.

A registering client joins the pool that serves them (their coach team if municipal, else the
TE experts): the least-loaded person below the caseload cap takes them and books the first
meeting (:mod:`simkit.model.meetings`), or they join the pool's waiting list. An exit ends the
stay and frees a caseload place, which goes to the first client still waiting (first come,
first served). Dated events can send people off duty (their clients go to the front of the
waiting list) or change the pilot rule (active clients whose side changed move pools).

Each stay with a pool is a row of the stay table (:class:`simkit.observations.Stays`). The
functions are compiled (:mod:`simkit.model.compiled`); :class:`Journeys` holds the state and
offers them to Python.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from simkit.model.calendar import events_on_day
from simkit.model.client_events import LEAVE, REGISTER, ClientEvents
from simkit.model.client_table import (
    EXITED,
    WAITING,
    WITH_STAFF,
    ClientTable,
)
from simkit.model.clients import municipal_client
from simkit.model.compiled import compiled
from simkit.model.meetings import book_on_assignment, cancel, pool_of, status_changed
from simkit.model.office import Meetings, Office
from simkit.model.pool_state import (
    ON_DUTY,
    WAITING_COUNT,
    WAITING_HEAD,
    WAITING_TAIL,
)
from simkit.model.staff import StaffPool, release_client, set_on_duty, take_client, wait
from simkit.observations import Population, Stays

NEXT_EVENT, EVENTS_HANDLED, STAYS = range(3)  # JourneyState.ints
STAY_COLUMNS = ("client", "pool", "municipal", "start", "assigned", "person", "end")


class JourneyState(NamedTuple):
    """The client events in time order and the stay table (rows [0, ints[STAYS]))."""

    times: np.ndarray  # float: when
    who: np.ndarray  # int: which client
    kind: np.ndarray  # int: REGISTER, LEAVE or STATUS
    new_status: np.ndarray  # int: the status after a STATUS event
    day_ends: np.ndarray  # int [horizon]: the index just past each day's last event
    stays: np.ndarray  # float [7, capacity]: the stay table's STAY_COLUMNS
    now: np.ndarray  # float [1]: the time (days) of the event being handled
    ints: np.ndarray  # int: NEXT_EVENT, EVENTS_HANDLED, STAYS


# -- the day's client events -----------------------------------------------------------------
@compiled
def handle_day(office: Office, journey: JourneyState, day: int) -> None:
    """The day's registrations, status changes and exits, each at its own time, in time order.

    Nothing else in the model acts between two client events of the same day, so handling
    them in one step per day gives the order (and the result) of one event each.
    """
    first, last = journey.ints[NEXT_EVENT], journey.day_ends[day]
    for event in range(first, last):
        journey.now[0] = journey.times[event]
        client = journey.who[event]
        if journey.kind[event] == LEAVE:
            leave(office, journey, client)
        elif journey.kind[event] == REGISTER:
            register(office, journey, client)
        else:
            change_status(office, journey, client, journey.new_status[event])
    journey.ints[NEXT_EVENT] = last
    journey.ints[EVENTS_HANDLED] += last - first


@compiled
def register(office: Office, journey: JourneyState, client: int) -> None:
    """Join the pool that serves the client: a person below the cap takes them, or they wait."""
    pool_index = pool_of(office.clients, client)
    pool = office.pools[pool_index]
    _open_stay(office, journey, client)
    person = take_client(pool)
    if person < 0:
        office.clients.state[client] = WAITING
        wait(pool, client)
        return
    _start_with(office, journey, client, pool_index, person)


@compiled
def register_each(office: Office, journey: JourneyState, registering: np.ndarray) -> None:
    """:func:`register` each of the clients ``registering`` in turn."""
    for client in registering:
        register(office, journey, client)


@compiled
def leave(office: Office, journey: JourneyState, client: int) -> None:
    """The client's spell ends: the freed place goes to the waiting list."""
    pool_index = _leave_pool(office, journey, client)
    office.clients.state[client] = EXITED
    admit_from_waiting_list(office, journey, pool_index)


@compiled
def change_status(office: Office, journey: JourneyState, client: int, status: int) -> None:
    """The client's status changes at ``now`` (e.g. starts work, or is unemployed again: a new
    spell on the same job search); a client with a person has the next meeting booked by the
    new status."""
    office.clients.status[client] = status
    if office.clients.state[client] == WITH_STAFF:
        status_changed(office, client, journey.now[0])


@compiled
def admit_from_waiting_list(office: Office, journey: JourneyState, pool_index: int) -> None:
    """Give waiting clients (first come, first served) the places that are free."""
    clients, pool = office.clients, office.pools[pool_index]
    ints, waiting = pool.ints, pool.waiting
    while True:
        while ints[WAITING_HEAD] < ints[WAITING_TAIL] and (
                clients.state[waiting[ints[WAITING_HEAD]]] != WAITING
                or pool_of(clients, waiting[ints[WAITING_HEAD]]) != pool_index):
            ints[WAITING_HEAD] += 1  # left, or moved to the other side, while waiting
        if ints[WAITING_HEAD] == ints[WAITING_TAIL]:
            return
        person = take_client(pool)
        if person < 0:
            return
        ints[WAITING_COUNT] -= 1
        client = waiting[ints[WAITING_HEAD]]
        ints[WAITING_HEAD] += 1
        _start_with(office, journey, client, pool_index, person)


@compiled
def _start_with(office: Office, journey: JourneyState, client: int, pool_index: int, person: int) -> None:
    clients, now = office.clients, journey.now[0]
    clients.state[client] = WITH_STAFF
    clients.staff[client] = person
    stay = clients.stay[client]
    journey.stays[4, stay] = now  # assigned
    journey.stays[5, stay] = person
    book_on_assignment(office, client, pool_index, person, math.ceil(now))


@compiled
def _leave_pool(office: Office, journey: JourneyState, client: int) -> int:
    """End the client's stay with its pool (exit or move); returns the pool."""
    clients = office.clients
    pool_index = pool_of(clients, client)
    pool = office.pools[pool_index]
    journey.stays[6, clients.stay[client]] = journey.now[0]  # end
    if clients.state[client] == WAITING:
        clients.state[client] = EXITED  # stays on the list; skipped when its turn comes
        pool.ints[WAITING_COUNT] -= 1
        return pool_index
    person = clients.staff[client]
    cancel(office, client, pool_index, person, journey.now[0])
    clients.staff[client] = -1
    release_client(pool, person)
    return pool_index


@compiled
def _open_stay(office: Office, journey: JourneyState, client: int) -> None:
    clients = office.clients
    stay = journey.ints[STAYS]
    if stay == journey.stays.shape[1]:
        raise RuntimeError("simkit: the stay table ran out of room within one day")
    clients.stay[client] = stay
    journey.ints[STAYS] = stay + 1
    journey.stays[0, stay], journey.stays[1, stay], journey.stays[2, stay] = (
        client, pool_of(clients, client), clients.municipal[client])
    journey.stays[3, stay], journey.stays[4, stay], journey.stays[5, stay], journey.stays[6, stay] = (
        journey.now[0], math.inf, -1, math.nan)


# -- dated events ----------------------------------------------------------------------------
@compiled
def send_off_duty(office: Office, journey: JourneyState, pool_index: int, count: int) -> None:
    """``count`` people of the pool ``pool_index`` stay on duty; the clients of those beyond go to the
    front of the waiting list (in client order)."""
    clients, pool = office.clients, office.pools[pool_index]
    leaving = count < pool.ints[ON_DUTY]
    set_on_duty(pool, count)
    if not leaving:
        return
    ints, orphans = pool.ints, 0
    for client in range(len(clients.staff)):
        orphans += _orphan(clients, client, pool_index, count)
    if ints[WAITING_TAIL] + orphans > len(pool.waiting):
        raise RuntimeError("simkit: a waiting list ran out of room for the clients of staff going off duty")
    if ints[WAITING_HEAD] < orphans:  # make room at the front (the engine made room at the end)
        for at in range(ints[WAITING_TAIL] - 1, ints[WAITING_HEAD] - 1, -1):
            pool.waiting[at + orphans] = pool.waiting[at]
        ints[WAITING_HEAD] += orphans
        ints[WAITING_TAIL] += orphans
    for client in range(len(clients.staff) - 1, -1, -1):  # the last first, each to the front
        if _orphan(clients, client, pool_index, count):
            _leave_pool(office, journey, client)
            _open_stay(office, journey, client)
            clients.state[client] = WAITING
            ints[WAITING_HEAD] -= 1
            pool.waiting[ints[WAITING_HEAD]] = client
            ints[WAITING_COUNT] += 1


@compiled
def _orphan(clients: ClientTable, client: int, pool_index: int, count: int) -> bool:
    """Is the client with a person of the pool ``pool_index`` who is not among the first ``count``?"""
    return (clients.staff[client] >= count and clients.state[client] == WITH_STAFF
            and pool_of(clients, client) == pool_index)


@compiled
def move_sides(office: Office, journey: JourneyState, movers: np.ndarray, municipal: np.ndarray) -> None:
    """Active clients whose side changed with the pilot rule move to the other pool."""
    clients = office.clients
    for k in range(len(movers)):
        client = movers[k]
        _leave_pool(office, journey, client)
        clients.municipal[client] = municipal[k]
        clients.first_done[client] = True  # an existing client: the next periodic meeting
        register(office, journey, client)


class Journeys:
    """Registrations, assignments, exits and waiting lists of every pool (the compiled functions
    above, on :attr:`state`). ``now`` is the time (days) of the event being handled."""

    def __init__(self, clients: ClientTable, pools: list[StaffPool], meetings: Meetings, events: ClientEvents):
        self.clients = clients
        self.pools = pools
        self.meetings = meetings
        self.state = JourneyState(times=events.times, who=events.who, kind=events.kind, new_status=events.new_status,
                                  day_ends=events.day_ends, stays=np.zeros((7, len(clients.state) + 1024)),
                                  now=np.zeros(1), ints=np.zeros(3, dtype=np.int64))

    @property
    def now(self) -> float:
        return float(self.state.now[0])

    @now.setter
    def now(self, time: float) -> None:
        self.state.now[0] = time

    @property
    def events_handled(self) -> int:
        return int(self.state.ints[EVENTS_HANDLED])

    def events_on(self, day: int) -> int:
        """How many client events day ``day`` has."""
        return int(events_on_day(self.state.day_ends, day))

    def make_room(self, stays: int) -> None:
        """Room in the stay table for ``stays`` more rows."""
        table, used = self.state.stays, int(self.state.ints[STAYS])
        if table.shape[1] - used < stays:
            bigger = np.zeros((7, max(2 * table.shape[1], used + stays)))
            bigger[:, :used] = table[:, :used]
            self.state = self.state._replace(stays=bigger)

    def register_initial_clients(self, population: Population) -> None:
        """The clients registered before day 0 join their pools, the longest registered first."""
        initial = np.flatnonzero(population.initial)
        for pool in self.pools:
            pool.make_room(len(initial))
        self.make_room(len(initial))
        register_each(self.meetings.office, self.state, initial[np.argsort(population.registration[initial],
                                                                           kind="stable")].astype(np.int64))
        self.state.ints[EVENTS_HANDLED] += len(initial)

    def register(self, client: int) -> None:
        register(self.meetings.office, self.state, client)

    def leave(self, client: int) -> None:
        leave(self.meetings.office, self.state, client)

    def change_status(self, client: int, status: int) -> None:
        change_status(self.meetings.office, self.state, client, status)

    def admit_from_waiting_list(self, pool: StaffPool) -> None:
        """Give the pool's free places to its waiting clients (a dated event: places may free in bulk)."""
        pool.make_room(2 * pool.waiting_count)
        self.make_room(pool.waiting_count)
        admit_from_waiting_list(self.meetings.office, self.state, self.pools.index(pool))

    # -- dated events ------------------------------------------------------------------------
    def set_on_duty(self, pool: StaffPool, count: int) -> None:
        """People beyond ``count`` leave: their clients go to the front of the waiting list."""
        active = int(np.count_nonzero(self.clients.state == WITH_STAFF))
        pool.make_room(active)
        self.make_room(active)
        send_off_duty(self.meetings.office, self.state, self.pools.index(pool), count)

    def move_to_their_side(self, rule: str, attributes: dict[str, np.ndarray]) -> None:
        """After a change of the pilot rule, active clients whose side changed move to the other pool."""
        clients = self.clients
        active = np.flatnonzero(np.isin(clients.state, (WAITING, WITH_STAFF)))
        now_municipal = municipal_client(rule, {name: values[active] for name, values in attributes.items()})
        moving = now_municipal != clients.municipal[active]
        for pool in self.pools:
            pool.make_room(2 * int(moving.sum()))
        self.make_room(int(moving.sum()))
        move_sides(self.meetings.office, self.state, active[moving].astype(np.int64), now_municipal[moving])

    # -- what was observed -------------------------------------------------------------------
    def stay_table(self, exits: np.ndarray) -> Stays:
        """Every stay; one still open at the end ends at the client's exit (maybe after the horizon)."""
        table = self.state.stays[:, :self.state.ints[STAYS]]
        columns = dict(zip(STAY_COLUMNS, table.copy()))
        for name in ("client", "pool", "person"):
            columns[name] = columns[name].astype(int)
        columns["municipal"] = columns["municipal"].astype(bool)
        open_stays = np.isnan(columns["end"])
        columns["end"][open_stays] = exits[columns["client"][open_stays]]
        return Stays(**columns)
