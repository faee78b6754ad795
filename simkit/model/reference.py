"""The reference model: one SimPy process per client, written to be read.

A client's journey is one generator (:meth:`ReferenceArea.journey`): register with the coaches
(a pilot client) or the TE experts by the rule in force, wait for a place on a caseload, be
called in on each meeting day the diary holds for them, and leave when the spell ends. The
office (:meth:`ReferenceArea.office`) works through each day in a fixed order:

1. dated events take effect (rules, staff, caseload caps, the Kela staff);
2. each pool (the coach teams, then the TE experts) calls in the clients booked for today, in
   the order they were booked; each is met (or does not come) and books the next meeting;
3. the statements raised today are written; 4. services admit those referred yesterday;
5. the rest of the day: registrations and exits, each at its own time.

The Kela line (:class:`simkit.model.reference_kela.KelaLine`) runs beside it. Every rule is one
method below. The numbers are drawn up front from the same streams as the fast engine
(:mod:`simkit.model.pilot`), so the two give identical records, replication by replication:
``tests/model/test_reference_equivalence.py`` checks that. Slow on purpose: every search is a
plain loop. See ``docs/reference-model.md``.
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from simkit.model.clients import municipal_client
from simkit.model.meetings import scenario_meeting_rules
from simkit.model.reference_diary import OwedMeetings
from simkit.model.reference_kela import KelaLine
from simkit.model.reference_office import OfficeWork
from simkit.model.reference_parts import (
    EXITED,
    NOT_BOOKED,
    NOT_OWED,
    WAITING,
    WITH_STAFF,
    Client,
    Places,
    Pool,
    ReferenceRecords,
    draw,
    first_meeting_due,
    new_clients,
    new_pools,
    pool_settings,
)
from simkit.model.staff import minutes_used
from simkit.scenario.schema import Scenario

NO_SHOW_BLOCK = 4096  # the no-show stream is drawn in blocks, each used from its last number
STAY_COLUMNS = ("client", "pool", "municipal", "start", "assigned", "person", "end")


class ReferenceArea(OwedMeetings, OfficeWork):
    """One replication of a scenario: the clients' processes, the office's day and the Kela line."""

    def __init__(self, scenario: Scenario, seed: int, replication: int = 0):
        info = scenario.scenario
        self.horizon = info.warmup_days + info.days
        self.draws = draws = draw(scenario, seed, replication)
        self.calendar, self.timeline, self.population = draws.calendar, draws.timeline, draws.population
        self.env = simpy.Environment()
        self.meeting_minutes = scenario.meeting.mean_minutes
        self.pools, self.clients = new_pools(draws), new_clients(scenario, draws)
        self.places = [Places(service) for service in scenario.services]
        self.statement_pool = np.full(len(draws.statement_writer), -1)
        self.statement_written = np.full(len(draws.statement_writer), NOT_BOOKED)
        self.statement_referred = np.zeros(len(draws.statement_writer), dtype=bool)
        self.statements_waiting: list[int] = []  # nobody on duty to write them: tried after the next dated event
        self.writer_last_day: dict[tuple[int, int], int] = {}  # (pool, person) -> day of their last statement
        self.no_show_draws: list[float] = []
        self.stays: list[dict] = []
        self.put_in_force(0, now=0.0)
        self.kela = KelaLine(self.env, scenario, draws)
        initial = [client for client in self.clients if client.initial]
        for client in sorted(initial, key=lambda c: c.registration) + self.clients[len(initial):]:
            self.env.process(self.journey(client))  # the clients of day 0 register oldest first
        for client in self.clients:
            if any(time > 0.0 for time, _ in client.status_path):
                self.env.process(self.status_path(client))
        self.env.process(self.office())

    # -- the client's journey --------------------------------------------------------------------
    def journey(self, client: Client):
        """Register, wait for a coach, be met by the rules, leave: one client's way through the office."""
        env = self.env
        if not client.initial:
            yield env.timeout(client.registration - env.now)
        self.register(client, now=0.0 if client.initial else client.registration)
        if client.exit < self.horizon:
            spell = env.timeout(client.exit - env.now)
            spell.callbacks.append(lambda _, me=env.active_process: me.interrupt("the spell ends"))
        try:
            while True:  # waiting for a place, or with a coach: the office calls the client in on a meeting day
                client.called = env.event()
                pool, day = yield client.called
                self.be_met(client, pool, day)
        except simpy.Interrupt:
            self.leave(client, now=client.exit)

    def status_path(self, client: Client):
        """The client's status changes on the books (drawn up front): work, a service, education, unemployed."""
        for time, status in client.status_path:
            if 0.0 < time < self.horizon:
                yield self.env.timeout(time - self.env.now)
                self.change_status(client, status, time)

    def change_status(self, client: Client, status: int, now: float) -> None:
        """Under rules that owe by status, the meeting owed now ends (missed if due) and the next is
        booked by the new status (an initial interview still owed stays booked)."""
        client.status = status
        if not self.rules.by_status or client.state != WITH_STAFF or not client.first_done:
            return
        pool = self.pool_of(client)
        self.cancel_meeting(client, pool, now)
        self.book_next_meeting(client, pool, math.floor(now) + 1)

    def register(self, client: Client, now: float) -> None:
        """Join the pool of the rule in force: the least-loaded person below the cap, or the waiting list."""
        pool = self.pool_of(client)
        self.open_stay(client, now)
        person = pool.least_loaded()
        if person < 0:
            client.state = WAITING
            pool.waiting.append(client)
        else:
            self.start_with(client, pool, person, now)

    def start_with(self, client: Client, pool: Pool, person: int, now: float) -> None:
        """A person takes the client and books the first meeting, or the next one the rules require."""
        client.state, client.person = WITH_STAFF, person
        pool.caseload[person] += 1
        client.stay.update(assigned=now, person=person)
        if client.first_done:
            self.book_next_meeting(client, pool, math.ceil(now))
        else:  # the first meeting is owed on the last working day of its deadline
            self.owe(client, pool, first_meeting_due(self.calendar, client))
            client.booked_day = self.book_first(client, pool, math.ceil(now))

    def leave(self, client: Client, now: float) -> None:
        pool = self.leave_pool(client, now)
        client.state = EXITED
        self.admit_from_waiting_list(pool, now)

    def leave_pool(self, client: Client, now: float) -> Pool:
        """End the stay (an exit, or a move); a meeting still ahead is cancelled. The meeting owed is
        missed if it fell due before ``now`` (and so is any due since), else no longer owed."""
        pool = self.pool_of(client)
        client.stay["end"] = now
        if client.state == WITH_STAFF:
            self.cancel_meeting(client, pool, now)
            pool.caseload[client.person] -= 1
            client.person = -1
        client.state = EXITED  # until the move registers the client again
        return pool

    def cancel_meeting(self, client: Client, pool: Pool, now: float) -> None:
        """A meeting still ahead is cancelled; the meeting owed is missed if it fell due before
        ``now`` (and so is any due since), else no longer owed."""
        if client.booked_day != NOT_BOOKED and client.booked_day > now:  # (not one booked for today: engine quirk)
            pool.give_back(client.person, client.booked_day, self.meeting_minutes)
        due_day = client.owed_day
        for missed in [due_day, *self.dues_fallen(client, pool, due_day, now)] if due_day != NOT_OWED else []:
            pool.count("missed", missed) if due_day < now else pool.count("owed", missed, -1)
        client.owed_day, client.booked_day = NOT_OWED, NOT_BOOKED

    def admit_from_waiting_list(self, pool: Pool, now: float) -> None:
        """Places that are free go to those waiting, first come first served (those gone are skipped)."""
        while pool.waiting:
            client = pool.waiting[0]
            if client.state != WAITING or self.pool_of(client) is not pool:
                pool.waiting.popleft()
                continue
            person = pool.least_loaded()
            if person < 0:
                return
            self.start_with(pool.waiting.popleft(), pool, person, now)

    # -- meetings, by the rules in force -----------------------------------------------------------
    def be_met(self, client: Client, pool: Pool, day: int) -> None:
        """The client comes (or not: a new meeting after ``rebook_days``, the same due date); the next is booked."""
        if self.no_show_share and self.no_show_uniform() < self.no_show_share:
            pool.no_shows[day] += 1
            again = day + self.rebook_days
            client.booked_day = self.book(client, pool, again) if client.first_done else self.book_first(client, pool, again)
            return
        pool.held[day] += 1
        due_day = client.owed_day
        if client.first_done:
            fallen = self.dues_fallen(client, pool, due_day, day + 1)
            for missed in [due_day, *fallen][:-1]:  # the next fell due before this meeting: the one owed is missed
                pool.count("missed", missed)
            due_day = fallen[-1] if fallen else due_day  # (this meeting is for the latest)
            pool.late[day] += day > self.calendar.working_day_from[due_day]  # or the first working day after it
        else:
            client.first_done = True
            working_days = self.calendar.working_days_between(math.floor(client.registration), day)
            pool.first_meetings.append((day, working_days, working_days <= client.first_deadline, client.number))
            pool.late[day] += working_days > client.first_deadline
        pool.count("held", due_day)
        self.book_next_meeting(client, pool, day + 1, after_due=due_day)

    def book_next_meeting(self, client: Client, pool: Pool, from_day: int, after_due: int = NOT_OWED) -> None:
        """The first due date of the plan on or after ``from_day`` and after ``after_due`` (the meeting just
        held was for that day), booked from ``from_day``, no earlier than ``early_days`` before it;
        further out while in a service (the plan's dates before it are not owed)."""
        due = self.next_due(client, max(from_day, after_due + 1))
        if due == math.inf:
            client.booked_day, client.owed_day = NOT_BOOKED, NOT_OWED
            return
        due_day = int(due)
        if client.service_until > from_day:  # in a service: meetings further apart
            held = from_day - 1
            due_day = held + math.ceil((due_day - held) * client.service_factor)
        self.owe(client, pool, due_day)
        client.booked_day = self.book(client, pool, max(due_day - self.early_days, from_day))

    def book(self, client: Client, pool: Pool, earliest: int, first: bool = False, in_place: bool = False) -> int:
        day = pool.take(client.person, earliest, self.meeting_minutes, first, in_place)
        if day != NOT_BOOKED:
            pool.booked_on[day].append(client)
        return day

    def no_show_uniform(self) -> float:
        if not self.no_show_draws:
            self.no_show_draws = self.draws.no_shows.random(NO_SHOW_BLOCK).tolist()
        return self.no_show_draws.pop()

    # -- the office's day -------------------------------------------------------------------------
    def office(self):
        env, working = self.env, self.calendar.is_working_day
        starts = {start: index for index, start in enumerate(self.timeline.starts) if start > 0}
        for day in range(self.horizon):
            if day > env.now:
                yield env.timeout(day - env.now)
            for pool in self.pools:
                pool.release(day + 1)  # the minutes kept for first meetings open the day before
            if day in starts:
                self.put_in_force(starts[day], now=float(day))
            for pool in self.pools if working[day] else []:
                called = [c for c in pool.booked_on.pop(day, [])
                          if c.booked_day == day and c.state == WITH_STAFF and self.pool_of(c) is pool]
                for client in called:  # (a client who moved to another pool is met there, not here)
                    if not client.called.triggered:  # a client booked twice today is met once
                        client.called.succeed((pool, day))
                if called:
                    yield env.timeout(0)  # the clients called in are met, in the order they were booked
            self.write_statements(day)
            self.run_services(day)

    def put_in_force(self, period: int, now: float) -> None:
        """A dated event: the rules, caps and staff of ``period``; those whose side changed move."""
        scenario = self.timeline.periods[period]
        self.rules = scenario_meeting_rules(scenario)
        self.early_days, self.rebook_days = scenario.meeting.early_days, scenario.meeting.rebook_days
        self.no_show_share, self.statement_rules = scenario.meeting.no_show_share, scenario.statements
        self.bump = scenario.meeting.first_meeting_policy == "bump"
        self.statements_first = scenario.statements.priority == "before_routine_meetings"
        if period == 0:
            return
        for pool, settings in zip(self.pools, pool_settings(scenario).values()):
            pool.caseload_cap = settings.caseload_cap
            self.set_on_duty(pool, settings.staff, now)
        self.kela.set_on_duty(scenario.kela.contact_persons)
        active = [c for c in self.clients if c.state in (WAITING, WITH_STAFF)]
        attributes = {name: values[[c.number for c in active]] for name, values in self.population.attributes.items()}
        for client, municipal in zip(active, municipal_client(scenario.rules.pilot, attributes).tolist()):
            if municipal != client.municipal:
                self.leave_pool(client, now)
                client.municipal, client.first_done = municipal, True  # the next periodic meeting is due
                self.register(client, now)
        for pool in self.pools:
            self.admit_from_waiting_list(pool, now)

    def set_on_duty(self, pool: Pool, count: int, now: float) -> None:
        """People beyond ``count`` leave: their clients go to the front of the waiting list."""
        orphans = [c for c in self.clients if c.state == WITH_STAFF and c.person >= count and self.pool_of(c) is pool]
        pool.on_duty = count
        for client in reversed(orphans):  # to the front in the order of their numbers
            self.leave_pool(client, now)
            self.open_stay(client, now)
            client.state = WAITING
            pool.waiting.appendleft(client)

    # -- set-up and records -----------------------------------------------------------------------
    def pool_index(self, client: Client) -> int:
        return client.team if client.municipal else len(self.pools) - 1

    def pool_of(self, client: Client) -> Pool:
        return self.pools[self.pool_index(client)]

    def open_stay(self, client: Client, now: float) -> None:
        client.stay = dict(zip(STAY_COLUMNS, (client.number, self.pool_index(client), client.municipal, now,
                                              math.inf, -1, math.nan)))
        self.stays.append(client.stay)

    def records(self) -> ReferenceRecords:
        self.count_pending()
        stays = {key: np.array([stay[key] for stay in self.stays]) for key in STAY_COLUMNS}
        still_there = np.isnan(stays["end"])  # the stay ends with the spell, after the horizon
        stays["end"][still_there] = self.population.exit[stays["client"][still_there]]
        return ReferenceRecords(
            stays=stays,
            meetings={pool.name: {"held": pool.held[:self.horizon], "late": pool.late[:self.horizon],
                                  "no_shows": pool.no_shows[:self.horizon],
                                  "minutes_used": minutes_used(pool.day_minutes, pool.free_minutes, pool.kept_minutes,
                                                               self.horizon)}
                      | {f"due_{what}": counts[:self.horizon] for what, counts in pool.due.items()} for pool in self.pools},
            first_meetings={pool.name: np.array(pool.first_meetings, dtype=int).reshape(-1, 4) for pool in self.pools},
            statements={"pool": self.statement_pool, "written_day": self.statement_written,
                        "referred": self.statement_referred},
            kela_answered=self.kela.answered,
        )


def simulate_reference(scenario: Scenario, seed: int, replication: int = 0) -> ReferenceRecords:
    """Run one replication of ``scenario`` through the reference model (slow; for small scenarios)."""
    area = ReferenceArea(scenario, seed, replication)
    area.env.run(until=area.horizon)
    return area.records()
