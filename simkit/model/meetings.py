"""Meetings: the rules (when a client's first and later meetings are due) and the booking.

A rule set gives the deadline of the first meeting in working days after registration, and
the due dates of the later meetings as days since registration (a plan that follows the law's
rhythm whether or not earlier meetings were late).

:class:`Meetings` books each client's meetings in the diary of the person who holds the client
(:class:`simkit.model.staff.StaffPool`) and, on each working day, holds the meetings booked for
the day: a new client's first meeting goes on the first day with room; each next meeting no
earlier than ``meeting.early_days`` before it is due.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simkit.model.calendar import Calendar
from simkit.model.staff import NOT_BOOKED, StaffPool
from simkit.observations import ClientState, FirstMeetings, Population
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import Timeline
from simkit.units import DAYS_PER_MONTH, YEAR

if TYPE_CHECKING:
    from simkit.model.journey import ClientTable

__all__ = ["YEAR", "MeetingRules", "Meetings", "first_meeting_deadlines", "first_meeting_record", "meeting_rules"]

NO_SHOW_DRAWS = 4096  # uniforms drawn at a time for no-shows
WITH_STAFF = int(ClientState.WITH_STAFF)  # a plain int for the hot loop

THREE_MONTHS = 3 * DAYS_PER_MONTH
SIX_MONTHS = 6 * DAYS_PER_MONTH
PLAN_YEARS = 30  # plans reach further than any spell a scenario draws in practice


@dataclass(frozen=True)
class MeetingRules:
    name: str
    first_meeting_working_days: int
    later_meetings_due: tuple[float, ...]  # days since registration, increasing

    def meetings_in_first_year(self) -> int:
        """First meeting plus the later meetings due within a year of registration."""
        return 1 + sum(1 for due in self.later_meetings_due if due <= YEAR)


def meeting_rules(name: str) -> MeetingRules:
    """The meeting rules in force before May 2022 ("2021") or from 2 May 2022 ("nordic-2022").

    - "2021": first interview within 10 working days (about two weeks), then a periodic
      interview every 3 months: about 5 meetings in the first year.
    - "nordic-2022": initial interview within 5 working days; a job-search conversation every
      2 weeks for the first 3 months, then every 3 months; each half year a one-month period with
      2 supplementary conversations: about 11 meetings in the first year.
    """
    quarters = THREE_MONTHS * np.arange(1, 4 * PLAN_YEARS + 1)
    if name == "2021":
        return MeetingRules(name, 10, tuple(quarters.tolist()))
    if name == "nordic-2022":
        fortnightly = 14.0 * np.arange(1, 7)
        quarterly = quarters[quarters > THREE_MONTHS + 1]
        half_years = SIX_MONTHS * np.arange(1, 2 * PLAN_YEARS + 1)
        supplementary = np.concatenate([half_years + 10.0, half_years + 20.0])
        plan = np.unique(np.concatenate([fortnightly, quarterly, supplementary]))
        return MeetingRules(name, 5, tuple(plan.tolist()))
    raise ValueError(f"unknown meeting rules {name!r}")


def first_meeting_deadlines(timeline: Timeline, population: Population) -> list[int]:
    """The first-meeting deadline (working days) in force on each client's registration day."""
    deadlines = np.array([meeting_rules(s.rules.meetings).first_meeting_working_days for s in timeline.periods])
    day = np.floor(np.maximum(population.registration, 0.0)).astype(int)
    return deadlines[timeline.period_of_days(day)].tolist()


def first_meeting_record(clients: ClientTable, pools: list[StaffPool], calendar: Calendar,
                         population: Population) -> FirstMeetings:
    """Each client's first-meeting deadline (a day) and the day and working days it was held."""
    n = len(population)
    registered = np.floor(np.maximum(population.registration, 0.0)).astype(int)
    target = calendar.working_days_through[registered] + np.asarray(clients.first_deadline)
    deadline = np.searchsorted(calendar.working_days_through, target, side="left")  # the deadline-th working day
    met_day, met_working_days = np.full(n, -1), np.full(n, -1)
    for pool in pools:
        who = np.asarray(pool.log.first_client, dtype=int)
        met_day[who] = pool.log.first_day
        met_working_days[who] = pool.log.first_working_days
    return FirstMeetings(deadline_day=np.where(population.initial, -1, deadline), met_day=met_day,
                         met_working_days=met_working_days)


class Meetings:
    """Booking and holding the meetings of every pool, by the rules in force.

    Reads and writes the client table's ``booked_day`` (the day of the client's booked meeting,
    NOT_BOOKED if none) and ``booked_due`` (the last day on which it is on time).
    """

    def __init__(self, clients: ClientTable, pools: list[StaffPool], calendar: Calendar,
                 no_show_rng: np.random.Generator):
        self._clients = clients
        self._pools = pools
        self._calendar = calendar
        self._registration = clients.registration
        self._booked_day = clients.booked_day
        self._booked_due = clients.booked_due
        self._first_done = clients.first_done
        self._service_until = clients.service_until
        self._service_factor = clients.service_factor
        self._working_day_from = calendar.working_day_from.tolist()
        self._diary_days = calendar.n_days
        self._no_show_rng = no_show_rng
        self._no_show_draws: list[float] = []

    def set_rules(self, scenario: Scenario) -> None:
        """Put the meeting rules and settings of ``scenario`` in force (a dated event)."""
        self._plan = meeting_rules(scenario.rules.meetings).later_meetings_due
        self._early_days = scenario.meeting.early_days
        self._no_show_share = scenario.meeting.no_show_share
        self._rebook_days = scenario.meeting.rebook_days

    # -- booking ---------------------------------------------------------------------------
    def book_on_assignment(self, client: int, pool: StaffPool, person: int, from_day: int) -> None:
        """A person has taken the client: book the first meeting on the first day >= ``from_day``
        with room, or (a client who has had it) the next meeting the rules require."""
        if self._first_done[client]:
            self.book_next(client, pool, person, from_day)
        else:
            self._booked_day[client] = pool.book(person, from_day, client)

    def book_next(self, client: int, pool: StaffPool, person: int, from_day: int) -> None:
        """Book the next meeting the rules require, no earlier than ``early_days`` before it is due.

        Due dates whose early window opened before ``from_day`` count as met by the meeting just
        held (a late meeting stands in for the ones it delayed, an early one for the date it was
        early for).
        """
        registered, early, plan = self._registration[client], self._early_days, self._plan
        # the first due date whose early window opens on or after from_day: registered + due >= from_day + early
        index = bisect.bisect_left(plan, from_day + early - registered)
        if index == len(plan):
            self._booked_day[client] = NOT_BOOKED
            return
        due_day = math.floor(registered + plan[index])
        if self._service_until[client] > from_day:  # in a service: meetings further apart
            held = from_day - 1
            due_day = held + math.ceil((due_day - held) * self._service_factor[client])
        earliest = due_day - early
        # a meeting is late if held after the due date, or after the first working day after it
        self._booked_due[client] = self._working_day_from[due_day] if due_day < self._diary_days else due_day
        self._booked_day[client] = pool.book(person, earliest if earliest > from_day else from_day, client)

    def cancel(self, client: int, pool: StaffPool, person: int, now: float) -> None:
        """The client leaves the person: a meeting booked after ``now`` gives its minutes back."""
        booked = self._booked_day[client]
        if booked != NOT_BOOKED and booked > now:
            pool.cancel(person, booked)
        self._booked_day[client] = NOT_BOOKED

    def move_out_for_service(self, client: int, day: int) -> None:
        """A client starting a service on ``day`` has the next periodic meeting moved further out."""
        booked = self._booked_day[client]
        if not self._first_done[client] or booked == NOT_BOOKED or booked <= day:
            return
        pool, person = self._pools[self._clients.pool_index(client)], self._clients.staff[client]
        pool.cancel(person, booked)
        self.book_next(client, pool, person, day + 1)

    # -- holding ---------------------------------------------------------------------------
    def hold(self, pool: StaffPool, day: int) -> None:
        """Hold the meetings booked for ``day`` and book each client's next one.

        The hot loop of the model (one pass per meeting), so it keeps its lookups local.
        """
        todays, pool.meetings_on[day] = pool.meetings_on[day], []
        booked, booked_due, state = self._booked_day, self._booked_due, self._clients.state
        first_done, staff = self._first_done, self._clients.staff
        no_show_share = self._no_show_share
        from_day = day + 1
        held = late = no_shows = 0
        for client in todays:
            if booked[client] != day or state[client] != WITH_STAFF:
                continue  # cancelled: the client left before the day
            if no_show_share and self._no_show() < no_show_share:
                no_shows += 1
                booked[client] = pool.book(staff[client], day + self._rebook_days, client)
                continue
            held += 1
            if first_done[client]:
                late += day > booked_due[client]
            else:
                late += self._hold_first_meeting(pool, client, day)
            self.book_next(client, pool, staff[client], from_day)
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
