"""Meetings: the booking and holding of what the rules (:mod:`simkit.model.rules`) owe a client.

:class:`Meetings` books each client's meetings in the diary of the person who holds the client
(:class:`simkit.model.staff.StaffPool`) and, on each working day, holds the meetings booked for
the day: a new client's first meeting goes on the first day with room; each next meeting no
earlier than ``meeting.early_days`` before it is due.
"""

from __future__ import annotations

import bisect
import math
from typing import TYPE_CHECKING

import numpy as np

from simkit.model.calendar import Calendar
from simkit.model.rules import (
    MeetingRules,
    first_meeting_deadlines,
    meeting_rules,
    owes_first_meeting,
    scenario_meeting_rules,
)
from simkit.model.staff import NOT_BOOKED, NOT_OWED, StaffPool
from simkit.observations import ClientState, FirstMeetings, Population
from simkit.scenario.schema import Scenario
from simkit.units import YEAR

if TYPE_CHECKING:
    from simkit.model.journey import ClientTable

__all__ = ["YEAR", "MeetingRules", "Meetings", "first_meeting_deadlines", "first_meeting_record", "meeting_rules",
           "owes_first_meeting", "scenario_meeting_rules"]

NO_SHOW_DRAWS = 4096  # uniforms drawn at a time for no-shows
WITH_STAFF = int(ClientState.WITH_STAFF)  # a plain int for the hot loop


def first_meeting_record(clients: ClientTable, pools: list[StaffPool], calendar: Calendar,
                         population: Population) -> FirstMeetings:
    """Each client's first-meeting deadline (a day) and the day and working days it was held.

    A client owes a first meeting if they had one or still owe it at the end: not a client on the
    books on day 0, nor one whose first meeting the rules waive, nor one moved to the other side by
    a rule change before it (their next periodic meeting is due instead)."""
    n = len(population)
    registered = np.floor(np.maximum(population.registration, 0.0)).astype(int)
    target = calendar.working_days_through[registered] + np.asarray(clients.first_deadline)
    deadline = np.searchsorted(calendar.working_days_through, target, side="left")  # the deadline-th working day
    met_day, met_working_days = np.full(n, -1), np.full(n, -1)
    for pool in pools:
        who = np.asarray(pool.log.first_client, dtype=int)
        met_day[who] = pool.log.first_day
        met_working_days[who] = pool.log.first_working_days
    owed = (met_day >= 0) | ~np.asarray(clients.first_done, dtype=bool)  # held, or still owed at the end
    return FirstMeetings(deadline_day=np.where(owed, deadline, -1), met_day=met_day, met_working_days=met_working_days)


class Meetings:
    """Booking and holding the meetings of every pool, by the rules in force.

    Every meeting the rules require while the client is with a person is owed, from the first
    meeting (due on the deadline's last working day) on. Reads and writes the client table's
    ``booked_day`` (the day of the client's booked meeting, NOT_BOOKED if none) and ``owed_day`` (the day the meeting owed now fell
    due, NOT_OWED if none). A meeting owed is held on time, held late, or missed: not held before
    the next one falls due (the meeting then held is for the latest due), or before the client
    leaves. The plan's dates before the first meeting are not owed (conversations follow the
    initial interview), nor those that fall while the client waits for a person or that a service
    moves further apart.
    """

    def __init__(self, clients: ClientTable, pools: list[StaffPool], calendar: Calendar,
                 no_show_rng: np.random.Generator):
        self._clients = clients
        self._pools = pools
        self._calendar = calendar
        self._registration = clients.registration
        self._booked_day = clients.booked_day
        self._owed_day = clients.owed_day
        self._first_done = clients.first_done
        self._service_until = clients.service_until
        self._status = clients.status
        self._new_job_search = clients.new_job_search
        self._supplementary_need = clients.supplementary_need
        self._service_factor = clients.service_factor
        self._working_day_from = calendar.working_day_from.tolist()
        self._working_days_through = calendar.working_days_through.tolist()
        self._diary_days = calendar.n_days
        self._no_show_rng = no_show_rng
        self._no_show_draws: list[float] = []

    def set_rules(self, scenario: Scenario) -> None:
        """Put the meeting rules and settings of ``scenario`` in force (a dated event)."""
        self._rules = scenario_meeting_rules(scenario)
        self._early_days = scenario.meeting.early_days
        self._no_show_share = scenario.meeting.no_show_share
        self._rebook_days = scenario.meeting.rebook_days
        self._bump = scenario.meeting.first_meeting_policy == "bump"

    def next_due(self, client: int, from_day: int) -> float:
        """The first day on or after ``from_day`` on which a meeting is due by the rules for the
        client's status (``math.inf``: none): :meth:`MeetingRules.next_due` with no early window."""
        due = self._rules.next_due(self._status[client], self._registration[client], from_day, 0,
                                   self._new_job_search[client], self._supplementary_need[client])
        return due if due == math.inf else max(math.floor(due), from_day)

    # -- booking ---------------------------------------------------------------------------
    def book_on_assignment(self, client: int, pool: StaffPool, person: int, from_day: int) -> None:
        """A person has taken the client: book the first meeting on the first day >= ``from_day``
        with room, or (a client who has had it) the next meeting the rules require."""
        if self._first_done[client]:
            self.book_next(client, pool, person, from_day)
            return
        self._owe(pool, client, self._first_meeting_due(client))
        self._booked_day[client] = self._book_first(client, pool, person, from_day)

    def _book_first(self, client: int, pool: StaffPool, person: int, earliest: int) -> int:
        """Book the client's first meeting on the first day >= ``earliest`` with time for it. Under the
        "bump" policy, if that is after the deadline, the first meeting takes the place of the last
        routine meeting booked on the first day from ``earliest`` that has one (:meth:`give_way`; booked
        again on the first day with time after it, :meth:`book_again`)."""
        open_day = pool.open_day(person, earliest, first=True)
        gave_way = self.give_way(pool, person, range(earliest, open_day)) if self._bump and open_day > self._owed_day[client] else None
        booked = (pool.book(person, earliest, client, first=True) if gave_way is None
                  else pool.book(person, gave_way[1], client, first=True, in_place=True))
        self.book_again(pool, person, gave_way, pool.meeting_minutes)
        return booked

    def give_way(self, pool: StaffPool, person: int, days: range) -> tuple[int, int] | None:
        """Make room for work that goes first (a late first meeting, a statement): the last routine (not
        first) meeting booked on the first of ``days`` that has one gives its minutes back. That
        (client, day) for :meth:`book_again` once the work has its minutes; None if no day has one."""
        for day in days:
            client = self._last_routine_meeting(pool, person, day)
            if client >= 0:
                pool.cancel(person, day)
                return client, day
        return None

    def book_again(self, pool: StaffPool, person: int, gave_way: tuple[int, int] | None, work_minutes: float) -> None:
        """Book a meeting that gave way again, once the work (of ``work_minutes``) has its minutes: work
        shorter than the meeting (a short statement) leaves it on its day, on what the work left of the
        minutes it gave back, running over into the next days with time (its day runs over by the
        statement's minutes); work that took all of them (a first meeting, a long statement) sends it
        to the next day with time, by the diary's own rule from its day."""
        if gave_way is not None:
            client, day = gave_way
            self._booked_day[client] = pool.book(person, day, client, in_place=work_minutes < pool.meeting_minutes)

    def _last_routine_meeting(self, pool: StaffPool, person: int, day: int) -> int:
        """The client of the person's last routine (not first) meeting booked on ``day``; -1 if none."""
        clients, booked = self._clients, self._booked_day
        for client in reversed(pool.meetings_on[day]):
            if (booked[client] == day and clients.staff[client] == person and self._first_done[client]
                    and clients.state[client] == WITH_STAFF and self._pools[clients.pool_index(client)] is pool):
                return client
        return -1

    def _first_meeting_due(self, client: int) -> int:
        """The last day of the client's first-meeting deadline: its last working day."""
        registered = math.floor(self._registration[client])
        before = self._working_days_through[registered] if registered >= 0 else 0
        through = bisect.bisect_left(self._working_days_through, before + self._clients.first_deadline[client])
        return through

    def book_next(self, client: int, pool: StaffPool, person: int, from_day: int, after_due: int = NOT_OWED) -> None:
        """Book the next meeting the rules require: the first due on or after ``from_day`` and after
        ``after_due`` (the due day of the meeting just held), on a day from ``from_day``, no earlier
        than ``early_days`` before it (further out while the client is in a service)."""
        due = self.next_due(client, from_day if from_day > after_due else after_due + 1)
        if due == math.inf:
            self._booked_day[client], self._owed_day[client] = NOT_BOOKED, NOT_OWED
            return
        due_day = int(due)
        if self._service_until[client] > from_day:  # in a service: meetings further apart
            held = from_day - 1
            due_day = held + math.ceil((due_day - held) * self._service_factor[client])
        self._owed_day[client] = due_day  # owed (as in _owe, inline in this hot path)
        if due_day < self._diary_days:
            pool.log.due_owed[due_day] += 1
        earliest = due_day - self._early_days
        self._booked_day[client] = pool.book(person, earliest if earliest > from_day else from_day, client)

    def _owe(self, pool: StaffPool, client: int, due_day: int) -> None:
        self._owed_day[client] = due_day
        if due_day < self._diary_days:
            pool.log.due_owed[due_day] += 1

    def _count(self, counts: list[int], due_day: int, add: int = 1) -> None:
        if due_day < self._diary_days:
            counts[due_day] += add

    def cancel(self, client: int, pool: StaffPool, person: int, now: float) -> None:
        """The client leaves the person at ``now``: a meeting booked after ``now`` gives its minutes
        back; the meeting owed is missed if it fell due before ``now`` (with any due since), else
        no longer owed."""
        booked = self._booked_day[client]
        if booked != NOT_BOOKED and booked > now:
            pool.cancel(person, booked)
        self._booked_day[client] = NOT_BOOKED
        owed = self._owed_day[client]
        if owed != NOT_OWED and owed >= now:
            self._count(pool.log.due_owed, owed, -1)
        elif owed != NOT_OWED:
            for missed in (owed, *self._fallen_since(client, pool, owed, now)):
                self._count(pool.log.due_missed, missed)
        self._owed_day[client] = NOT_OWED

    def _fallen_since(self, client: int, pool: StaffPool, due_day: int, before: float) -> list[int]:
        """The plan's dues after ``due_day`` that fell before ``before`` (days), now owed too
        (none before the first meeting)."""
        fallen = []
        if not self._first_done[client]:
            return fallen
        due = self.next_due(client, due_day + 1)
        while due < before:
            fallen.append(int(due))
            self._owe(pool, client, int(due))
            due = self.next_due(client, int(due) + 1)
        return fallen

    def status_changed(self, client: int, now: float) -> None:
        """The client's status changed at ``now`` (days): under rules that owe meetings by status,
        the meeting owed now ends (missed if already due) and the next one is booked by the new
        status. An initial interview still owed stays."""
        if not self._rules.by_status or not self._first_done[client]:
            return
        pool, person = self._pools[self._clients.pool_index(client)], self._clients.staff[client]
        self.cancel(client, pool, person, now)
        self.book_next(client, pool, person, math.floor(now) + 1)

    def move_out_for_service(self, client: int, day: int) -> None:
        """A client starting a service on ``day`` has the next periodic meeting, not yet due,
        moved further out."""
        booked = self._booked_day[client]
        if not self._first_done[client] or booked == NOT_BOOKED or booked <= day or self._owed_day[client] <= day:
            return
        pool, person = self._pools[self._clients.pool_index(client)], self._clients.staff[client]
        pool.cancel(person, booked)
        self._count(pool.log.due_owed, self._owed_day[client], -1)
        self.book_next(client, pool, person, day + 1)

    def close(self, horizon: int) -> None:
        """At the end of the run: the meetings owed that fell due before ``horizon`` and are not
        yet held or missed are pending."""
        clients = self._clients
        for client, due_day in enumerate(self._owed_day):
            if due_day == NOT_OWED or due_day >= horizon or clients.state[client] != WITH_STAFF:
                continue
            pool = self._pools[clients.pool_index(client)]
            pool.log.due_pending[due_day] += 1
            for fallen in self._fallen_since(client, pool, due_day, horizon):
                pool.log.due_pending[fallen] += 1

    # -- holding ---------------------------------------------------------------------------
    def hold(self, pool: StaffPool, day: int) -> None:
        """Hold the meetings booked for ``day`` and book each client's next one.

        The hot loop of the model (one pass per meeting), so it keeps its lookups local.
        """
        todays, pool.meetings_on[day] = pool.meetings_on[day], []
        clients = self._clients
        booked, owed_day, state, working_day_from = self._booked_day, self._owed_day, clients.state, self._working_day_from
        first_done, staff, municipal, coach_pool = self._first_done, clients.staff, clients.municipal, clients.coach_pool
        this_pool, te_pool = self._pools.index(pool), clients.te_pool
        due_held, due_missed = pool.log.due_held, pool.log.due_missed
        no_show_share = self._no_show_share
        from_day = day + 1
        held = late = no_shows = 0
        for client in todays:
            if booked[client] != day or state[client] != WITH_STAFF:
                continue  # cancelled: the client left before the day
            if (coach_pool[client] if municipal[client] else te_pool) != this_pool:
                continue  # cancelled: the client moved to the other pool (its meeting today is there)
            if no_show_share and self._no_show() < no_show_share:
                no_shows += 1
                again = day + self._rebook_days
                booked[client] = (pool.book(staff[client], again, client) if first_done[client]
                                  else self._book_first(client, pool, staff[client], again))
                continue
            held += 1
            due_day = owed_day[client]
            if first_done[client]:
                fallen = self._fallen_since(client, pool, due_day, from_day) if due_day < day else ()
                if fallen:  # the next fell due before this meeting: the one owed is missed, this is for the latest
                    for missed in (due_day, *fallen[:-1]):
                        due_missed[missed] += 1
                    due_day = fallen[-1]
                # late if held after the due day, or after the first working day after it
                late += day > working_day_from[due_day]
            else:
                late += self._hold_first_meeting(pool, client, day)
            due_held[due_day] += 1  # (within the diary: no later than early_days after today)
            self.book_next(client, pool, staff[client], from_day, due_day)
        pool.log.held[day] += held
        pool.log.late[day] += late
        pool.log.no_shows[day] += no_shows
    def _no_show(self) -> float:
        """The next uniform of the no-show stream."""
        if not self._no_show_draws:
            self._no_show_draws = self._no_show_rng.random(NO_SHOW_DRAWS).tolist()
        return self._no_show_draws.pop()

    def _hold_first_meeting(self, pool: StaffPool, client: int, day: int) -> bool:
        """Record a first meeting; True if it came later than the deadline in force at registration."""
        self._first_done[client] = True
        working_days = self._calendar.working_days_between(math.floor(self._registration[client]), day)
        on_time = working_days <= self._clients.first_deadline[client]
        pool.log.first_day.append(day)
        pool.log.first_working_days.append(working_days)
        pool.log.first_on_time.append(on_time)
        pool.log.first_client.append(client)
        return not on_time
