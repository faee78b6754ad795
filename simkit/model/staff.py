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


NOT_BOOKED = -1


@dataclass
class MeetingLog:
    """Meetings held by one pool: counts per day, and each first meeting's delay."""

    held: list[int]  # meetings held on each day
    late: list[int]  # of which held after their due date (first meetings: after the deadline)
    no_shows: list[int]  # booked meetings the client did not come to (the slot is lost)
    statement_minutes: list[float]  # minutes of statements written on each day
    first_day: list[int] = field(default_factory=list)
    first_working_days: list[int] = field(default_factory=list)  # working days after registration
    first_on_time: list[bool] = field(default_factory=list)  # within the deadline in force


class StaffPool:
    """Caseloads, waiting list and meeting diary of a pool whose size may change on a date.

    ``day_minutes[d]`` is each person's meeting time on day d (``hours_per_week x
    client_time_share x 60 / 5`` on working days, less holidays and sick leave); the diary
    reaches ``len(day_minutes)`` days. ``max_staff`` people have a diary; the first ``on_duty``
    of them take clients.
    """

    def __init__(self, name: str, on_duty: int, max_staff: int, caseload_cap: int,
                 meeting_minutes: float, day_minutes: np.ndarray):
        self.name = name
        self.on_duty = on_duty
        self.caseload_cap = caseload_cap
        self.meeting_minutes = meeting_minutes
        self.day_minutes = np.asarray(day_minutes, dtype=float)
        self.caseload = [0] * max_staff
        self.waiting: deque[int] = deque()
        self.waiting_count = 0
        self._turn = -1
        self._least_loaded = [(0, person) for person in range(on_duty)]
        # one sentinel day past the diary with unlimited room ends every search
        diary = [*self.day_minutes.tolist(), math.inf]
        self.free_minutes = [list(diary) for _ in range(max_staff)]
        self.diary_days = len(self.day_minutes)
        self._first_open = [self._advance(person, 0) for person in range(max_staff)]
        self.meetings_on: list[list[int]] = [[] for _ in range(self.diary_days)]
        self.log = MeetingLog(held=[0] * self.diary_days, late=[0] * self.diary_days,
                              no_shows=[0] * self.diary_days, statement_minutes=[0.0] * self.diary_days)

    def set_on_duty(self, count: int) -> None:
        """From now on ``count`` people take clients (the model moves the clients of those who leave)."""
        for person in range(self.on_duty, count):
            heapq.heappush(self._least_loaded, (self.caseload[person], person))
        self.on_duty = count

    # -- caseloads -------------------------------------------------------------------------
    def take_client(self) -> int:
        """The least-loaded person below the cap takes a client; -1 when all are at the cap."""
        heap, caseload = self._least_loaded, self.caseload
        while heap:
            load, person = heap[0]
            if load != caseload[person] or person >= self.on_duty:
                heapq.heappop(heap)  # stale entry, or a person no longer on duty
                continue
            if load >= self.caseload_cap:
                return -1
            caseload[person] = load + 1
            heapq.heapreplace(heap, (load + 1, person))
            return person
        return -1

    def release_client(self, person: int) -> None:
        self.caseload[person] -= 1
        if person < self.on_duty:
            heapq.heappush(self._least_loaded, (self.caseload[person], person))

    # -- diary -----------------------------------------------------------------------------
    def book(self, person: int, earliest_day: int, client: int) -> int:
        """Book a meeting on the first day >= ``earliest_day`` with room; NOT_BOOKED past the diary."""
        first_open = self._first_open[person]
        day = self._take(person, earliest_day if earliest_day > first_open else first_open, self.meeting_minutes)
        if day != NOT_BOOKED:
            self.meetings_on[day].append(client)
        return day

    def reserve(self, person: int, earliest_day: int, minutes: float) -> int:
        """Take ``minutes`` of other client work (a statement) on the first day >= ``earliest_day``
        with room; NOT_BOOKED past the diary."""
        return self._take(person, earliest_day, minutes)

    def _take(self, person: int, day: int, minutes: float) -> int:
        if day >= self.diary_days:
            return NOT_BOOKED
        row = self.free_minutes[person]
        while row[day] < minutes:
            day += 1
        if day >= self.diary_days:
            return NOT_BOOKED
        row[day] -= minutes
        if day == self._first_open[person]:
            self._first_open[person] = self._advance(person, day)
        return day

    def next_person_on_duty(self) -> int:
        """People on duty in turn (for work not tied to a caseload); -1 if nobody is on duty."""
        if not self.on_duty:
            return -1
        self._turn = (self._turn + 1) % self.on_duty
        return self._turn

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

    def meeting_minutes_available(self, start_day: int, end_day: int, on_duty_per_day: np.ndarray) -> float:
        """Meeting minutes the people on duty had in [start_day, end_day)."""
        return float((self.day_minutes[start_day:end_day] * on_duty_per_day[start_day:end_day]).sum())
