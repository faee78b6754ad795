"""Staff pools (municipal coaches, TE experts): caseloads with a cap, a waiting list, a diary.

One mechanism serves both pools. A new client goes to the least-loaded staff member below the
caseload cap, or waits (first come, first served) until a place frees. Each staff member keeps
a diary of meeting minutes still free on each working day; a meeting is booked on the first
working day, on or after its earliest day, with room for it.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from simkit.model.calendar import WORKING_DAYS_PER_WEEK, Calendar

NOT_BOOKED = -1


@dataclass
class MeetingLog:
    """Meetings held by one pool: counts per day, and each first meeting's delay."""

    held: list[int]  # meetings held on each day
    late: list[int]  # of which held after their due date (first meetings: after the deadline)
    first_day: list[int] = field(default_factory=list)
    first_working_days: list[int] = field(default_factory=list)  # working days after registration


class StaffPool:
    """Caseloads, waiting list and meeting diary of ``staff`` people.

    ``minutes_per_day`` is each person's meeting time on a working day
    (``hours_per_week * client_time_share * 60 / 5``).
    """

    def __init__(
        self,
        name: str,
        staff: int,
        caseload_cap: int,
        hours_per_week: float,
        client_time_share: float,
        meeting_minutes: float,
        calendar: Calendar,
    ):
        self.name = name
        self.staff = staff
        self.caseload_cap = caseload_cap
        self.meeting_minutes = meeting_minutes
        self.minutes_per_day = hours_per_week * client_time_share * 60.0 / WORKING_DAYS_PER_WEEK
        self.caseload = [0] * staff
        self.waiting: deque[int] = deque()
        self.waiting_count = 0
        self._least_loaded = [(0, person) for person in range(staff)]
        # one sentinel day past the diary with unlimited room ends every search
        day_minutes = [*np.where(calendar.is_working_day, self.minutes_per_day, 0.0).tolist(), math.inf]
        self.free_minutes = [list(day_minutes) for _ in range(staff)]
        self.diary_days = calendar.n_days
        self._first_open = [self._advance(person, 0) for person in range(staff)]
        self.meetings_on: list[list[int]] = [[] for _ in range(calendar.n_days)]
        self.log = MeetingLog(held=[0] * calendar.n_days, late=[0] * calendar.n_days)

    # -- caseloads -------------------------------------------------------------------------
    def take_client(self) -> int:
        """The least-loaded person below the cap takes a client; -1 when all are at the cap."""
        heap, caseload = self._least_loaded, self.caseload
        while heap:
            load, person = heap[0]
            if load != caseload[person]:
                heapq.heappop(heap)  # stale entry
                continue
            if load >= self.caseload_cap:
                return -1
            caseload[person] = load + 1
            heapq.heapreplace(heap, (load + 1, person))
            return person
        return -1

    def release_client(self, person: int) -> None:
        self.caseload[person] -= 1
        heapq.heappush(self._least_loaded, (self.caseload[person], person))

    # -- diary -----------------------------------------------------------------------------
    def book(self, person: int, earliest_day: int, client: int) -> int:
        """Book a meeting on the first day >= ``earliest_day`` with room; NOT_BOOKED past the diary."""
        row, need = self.free_minutes[person], self.meeting_minutes
        first_open = self._first_open[person]
        day = earliest_day if earliest_day > first_open else first_open
        while row[day] < need:
            day += 1
        if day >= self.diary_days:
            return NOT_BOOKED
        row[day] -= need
        if day == self._first_open[person]:
            self._first_open[person] = self._advance(person, day)
        self.meetings_on[day].append(client)
        return day

    def cancel(self, person: int, day: int) -> None:
        """Give back the minutes of a booked meeting that will not take place."""
        self.free_minutes[person][day] += self.meeting_minutes
        if day < self._first_open[person]:
            self._first_open[person] = day

    def _advance(self, person: int, day: int) -> int:
        """The first day >= ``day`` with room for a meeting (all days before it are full)."""
        row, need = self.free_minutes[person], self.meeting_minutes
        while row[day] < need:
            day += 1
        return day

    @property
    def clients_with_staff(self) -> int:
        return sum(self.caseload)
