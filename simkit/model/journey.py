"""A client's journey: register, wait for or get a person, leave; and the client table.

A registering client joins the pool that serves them (their coach team if municipal, else the
TE experts): the least-loaded person below the caseload cap takes them and books the first
meeting (:mod:`simkit.model.meetings`), or they join the pool's waiting list. An exit ends the
stay and frees a caseload place, which goes to the first client still waiting (first come,
first served). Dated events can send people off duty (their clients go to the front of the
waiting list) or change the pilot rule (active clients whose side changed move pools).

Each stay with a pool is a row of the stay table (:class:`simkit.observations.Stays`).
"""

from __future__ import annotations

import math

import numpy as np

from simkit.model.calendar import day_ends
from simkit.model.clients import municipal_client
from simkit.model.meetings import Meetings
from simkit.model.staff import NOT_BOOKED, NOT_OWED, StaffPool
from simkit.observations import ClientState, Population, Stays
from simkit.scenario.schema import Scenario

# plain ints for the hot loops (ClientState in the observations)
REGISTERED, WAITING, WITH_STAFF, EXITED = (int(state) for state in ClientState)
REGISTER, LEAVE, STATUS = 0, 1, 2  # kinds of client event


class ClientTable:
    """One entry per client (the index is the client) in parallel lists that the hot loops read.

    The components share these lists (never rebound): the journey, the meetings, the statements
    and the services.
    """

    def __init__(self, population: Population, coach_pool: list[int], te_pool: int, first_deadline: list[int],
                 owes_first_meeting: np.ndarray | None = None):
        n = len(population)
        self.registration: list[float] = population.registration.tolist()  # days
        self.municipal: list[bool] = population.municipal.tolist()  # served by coaches now
        self.coach_pool = coach_pool  # the coach pool (team) serving each client when municipal
        self.te_pool = te_pool  # index of the TE experts' pool
        self.first_deadline = first_deadline  # working days, the rule in force at registration
        self.state: list[int] = [REGISTERED] * n
        self.staff: list[int] = [-1] * n  # the person holding the client (-1: nobody)
        self.stay: list[int] = [-1] * n  # the client's open row of the stay table
        owes = ~population.initial if owes_first_meeting is None else owes_first_meeting
        self.first_done: list[bool] = (~owes).tolist()  # had the first meeting (or owes none)
        self.new_job_search: list[bool] = population.new_job_search.tolist()  # owes the intensive period
        self.supplementary_need: list[float] = population.supplementary_need.tolist()  # need draw (rules.py)
        self.status: list[int] = population.status_changes.status_at(np.arange(n), 0.0).tolist()  # JobSeekerStatus
        self.booked_day: list[int] = [NOT_BOOKED] * n  # day of the booked meeting
        self.owed_day: list[int] = [NOT_OWED] * n  # the day the meeting owed now fell due
        self.service_until: list[float] = [0.0] * n  # end of the current service (days)
        self.service_factor: list[float] = [1.0] * n  # its meeting-interval factor
        self.queued_for: list[int] = [0] * n  # services the client queues for

    def pool_index(self, client: int) -> int:
        """The pool that serves the client now."""
        return self.coach_pool[client] if self.municipal[client] else self.te_pool


def coach_team_of_clients(scenario: Scenario, population: Population) -> list[int]:
    """Index of the coach team (pool) that serves each client if municipal: the first that serves them."""
    attributes = population.attributes
    team = np.full(len(population), -1)
    teams = scenario.coaches.resolved_teams()
    for index, settings in enumerate(teams):
        serves = np.ones(len(team), bool) if settings.serves == "everyone" else attributes[settings.serves]
        team[(team < 0) & serves] = index
    by_name = {settings.name: index for index, settings in enumerate(teams)} | {"coach": len(teams) - 1}
    for client, name in enumerate(population.initial_team):
        if name in by_name:  # a caseload CSV says which team serves the client now
            team[client] = by_name[name]
    return team.tolist()


class Journeys:
    """Registrations, assignments, exits and waiting lists of every pool.

    ``now`` is the time (days) of the event being handled; the engine sets it.
    """

    def __init__(self, clients: ClientTable, pools: list[StaffPool], meetings: Meetings,
                 population: Population, horizon: int):
        self.clients = clients
        self.pools = pools
        self.meetings = meetings
        self.now = 0.0
        self._columns: dict[str, list] = {
            key: [] for key in ("client", "pool", "municipal", "start", "assigned", "person", "end")
        }
        self._times, self._who, self._kind, self._status, self._day_ends = _client_events(population, horizon)
        self._next_event = 0
        self.events_handled = 0

    def register_initial_clients(self, population: Population) -> None:
        """The clients registered before day 0 join their pools, the longest registered first."""
        initial = np.flatnonzero(population.initial)
        for client in initial[np.argsort(population.registration[initial], kind="stable")].tolist():
            self.register(client)
            self.events_handled += 1

    def handle_day(self, day: int) -> None:
        """The day's registrations, status changes and exits, each at its own time, in time order.

        Nothing else in the model acts between two client events of the same day, so handling
        them in one step per day gives the order (and the result) of one event each.
        """
        first, last = self._next_event, self._day_ends[day]
        times, who, kind, status = self._times, self._who, self._kind, self._status
        for event in range(first, last):
            self.now = times[event]
            if kind[event] == LEAVE:
                self.leave(who[event])
            elif kind[event] == REGISTER:
                self.register(who[event])
            else:
                self.change_status(who[event], status[event])
        self._next_event = last
        self.events_handled += last - first

    # -- one client ------------------------------------------------------------------------
    def register(self, client: int) -> None:
        """Join the pool that serves the client: a person below the cap takes them, or they wait."""
        pool = self.pools[self.clients.pool_index(client)]
        self._open_stay(client)
        person = pool.take_client()
        if person < 0:
            self.clients.state[client] = WAITING
            pool.waiting.append(client)
            pool.waiting_count += 1
            return
        self._start_with(client, pool, person)

    def leave(self, client: int) -> None:
        """The client's spell ends: the freed place goes to the waiting list."""
        pool = self._leave_pool(client)
        self.clients.state[client] = EXITED
        self.admit_from_waiting_list(pool)

    def change_status(self, client: int, status: int) -> None:
        """The client's status changes at ``now`` (e.g. starts work, or is unemployed again: a new
        spell on the same job search); a client with a person has the next meeting booked by the
        new status."""
        self.clients.status[client] = status
        if self.clients.state[client] == WITH_STAFF:
            self.meetings.status_changed(client, self.now)

    def admit_from_waiting_list(self, pool: StaffPool) -> None:
        """Give waiting clients (first come, first served) the places that are free."""
        clients, waiting = self.clients, pool.waiting
        state, pools = clients.state, self.pools
        while True:
            while waiting and (state[waiting[0]] != WAITING or pools[clients.pool_index(waiting[0])] is not pool):
                waiting.popleft()  # left, or moved to the other side, while waiting
            if not waiting:
                return
            person = pool.take_client()
            if person < 0:
                return
            pool.waiting_count -= 1
            self._start_with(waiting.popleft(), pool, person)

    def _start_with(self, client: int, pool: StaffPool, person: int) -> None:
        clients, now = self.clients, self.now
        clients.state[client] = WITH_STAFF
        clients.staff[client] = person
        stay = clients.stay[client]
        self._columns["assigned"][stay] = now
        self._columns["person"][stay] = person
        self.meetings.book_on_assignment(client, pool, person, math.ceil(now))

    def _leave_pool(self, client: int) -> StaffPool:
        """End the client's stay with its pool (exit or move); returns the pool."""
        clients = self.clients
        pool = self.pools[clients.pool_index(client)]
        self._columns["end"][clients.stay[client]] = self.now
        if clients.state[client] == WAITING:
            clients.state[client] = EXITED  # stays in the deque; skipped when its turn comes
            pool.waiting_count -= 1
            return pool
        person = clients.staff[client]
        self.meetings.cancel(client, pool, person, self.now)
        clients.staff[client] = -1
        pool.release_client(person)
        return pool

    def _open_stay(self, client: int) -> None:
        clients, columns = self.clients, self._columns
        clients.stay[client] = len(columns["client"])
        for key, value in (("client", client), ("pool", clients.pool_index(client)),
                           ("municipal", clients.municipal[client]), ("start", self.now),
                           ("assigned", math.inf), ("person", -1), ("end", math.nan)):
            columns[key].append(value)

    # -- dated events ----------------------------------------------------------------------
    def set_on_duty(self, pool: StaffPool, count: int) -> None:
        """People beyond ``count`` leave: their clients go to the front of the waiting list."""
        leaving = count < pool.on_duty
        pool.set_on_duty(count)
        if not leaving:
            return
        clients = self.clients
        orphans = [c for c, person in enumerate(clients.staff)
                   if person >= count and clients.state[c] == WITH_STAFF
                   and self.pools[clients.pool_index(c)] is pool]
        for client in reversed(orphans):
            self._leave_pool(client)
            self._open_stay(client)
            clients.state[client] = WAITING
            pool.waiting.appendleft(client)
            pool.waiting_count += 1

    def move_to_their_side(self, rule: str, attributes: dict[str, np.ndarray]) -> None:
        """After a change of the pilot rule, active clients whose side changed move to the other pool."""
        clients = self.clients
        active = np.flatnonzero(np.isin(np.asarray(clients.state), (WAITING, WITH_STAFF)))
        now_municipal = municipal_client(rule, {name: values[active] for name, values in attributes.items()})
        for client, municipal in zip(active.tolist(), now_municipal.tolist()):
            if municipal != clients.municipal[client]:
                self._leave_pool(client)
                clients.municipal[client] = municipal
                clients.first_done[client] = True  # an existing client: the next periodic meeting
                self.register(client)

    # -- what was observed -----------------------------------------------------------------
    def stay_table(self, exits: np.ndarray) -> Stays:
        """Every stay; one still open at the end ends at the client's exit (maybe after the horizon)."""
        columns = {key: np.asarray(values) for key, values in self._columns.items()}
        open_stays = np.isnan(columns["end"])
        columns["end"][open_stays] = exits[columns["client"][open_stays]]
        return Stays(**columns)


def _client_events(population: Population, horizon: int
                   ) -> tuple[list[float], list[int], list[int], list[int], list[int]]:
    """Registrations of arrivals, status changes on the books and exits of everyone before the
    horizon, in time order (kind REGISTER, STATUS or LEAVE; the new status of a change), and for
    each day the index just past its last event."""
    arrivals = np.flatnonzero(~population.initial)
    changes = population.status_changes
    on_books = changes.time > 0.0  # a change before day 0 is the initial client's status on day 0
    clients = np.concatenate([arrivals, np.arange(len(population)), changes.client[on_books]])
    times = np.concatenate([population.registration[arrivals], population.exit, changes.time[on_books]])
    kind = np.concatenate([np.full(len(arrivals), REGISTER), np.full(len(population), LEAVE),
                           np.full(int(on_books.sum()), STATUS)])
    status = np.concatenate([np.zeros(len(arrivals) + len(population), int), changes.status[on_books]])
    keep = times < horizon
    order = np.argsort(times[keep], kind="stable")
    times, clients, kind, status = times[keep][order], clients[keep][order], kind[keep][order], status[keep][order]
    return times.tolist(), clients.tolist(), kind.tolist(), status.tolist(), day_ends(times, horizon)
