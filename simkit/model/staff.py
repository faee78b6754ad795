"""Staff pools (municipal coaches, TE experts): caseloads with a cap, a waiting list, a diary.

The pools of a scenario are "coach" (or "coach.<team>" for each coach team) and "te". One
mechanism serves them all. A new client goes to the least-loaded staff member below the
caseload cap, or waits (first come, first served) until a place frees.

**The diary is a line of minutes.** Each staff member has client time on each working day, in
minutes (``hours_per_week x client_time_share x 60 / 5``, less the share of staff away on
summer holiday and on sick leave: absences take time in proportion). A meeting (or a statement)
is booked on the first day, on or after its earliest day, with any time left, and takes its
minutes from that day and, for what the day lacks, from the following days (the meeting runs
over; the minutes are carried). So capacity is continuous in every input: 259 minutes a day
hold 5.76 meetings of 45 minutes a day, not 5, and a full diary uses all of its minutes
(utilisation 1.0). A cancelled meeting gives its minutes back to the days they were taken
from: the minutes a day's bookings took from the day itself and those they carried into later
days are noted, and a cancelled meeting of that day gives back the day's own minutes first, then
the latest of those carried (its bookings are alike, so which one was cancelled does not matter).

**First meetings first** (``meeting.first_meeting_policy``; the booking is in
:mod:`simkit.model.meetings`). Under "reserve", a share of each day's minutes
(``meeting.first_meeting_reserve_share``) is kept for first meetings (initial interviews) until
the day before, when what is left of it opens to other work: a first meeting takes the kept
minutes first, then the open ones.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from simkit.model.calendar import WORKING_DAYS_PER_WEEK, Calendar
from simkit.observations import PoolRecord
from simkit.scenario.schema import CoachTeam, Scenario, StaffSettings
from simkit.scenario.timeline import Timeline

NOT_BOOKED = -1
NOT_OWED = -1  # a client's owed_day when no meeting is owed
ROOM = 1e-9  # minutes: a day with more than this left has room (rounding crumbs do not)


def _carry(row: list[float], day: int, minutes: float, carried: list[float]) -> None:
    """Take ``minutes`` from ``row`` on ``day`` (which has less) and the following days, noting on
    ``carried`` each later day and the minutes taken from it (day, minutes, day, minutes, ...)."""
    minutes -= row[day]
    row[day] = 0.0
    while minutes > 0.0:
        day += 1
        use = min(row[day], minutes)
        if use > 0.0:
            row[day] -= use
            minutes -= use
            carried += (day, use)


def minutes_used(day_minutes: np.ndarray, free: list[list[float]], kept: list[list[float]], horizon: int
                 ) -> np.ndarray:
    """Client minutes taken from the diaries on each day before ``horizon``: each person's day less
    what is still open or kept for first meetings, summed over the people (as the reference model)."""
    days = np.asarray(day_minutes, dtype=float)[:horizon]
    open_now, kept_now = (np.asarray([row[:horizon] for row in rows], dtype=float).reshape(len(rows), len(days))
                          for rows in (free, kept))
    return np.sum(days - open_now - kept_now, axis=0)


def pool_settings(scenario: Scenario) -> dict[str, StaffSettings | CoachTeam]:
    """Staff pools by name: "coach" (or "coach.<team>" for each coach team), then "te"."""
    teams = scenario.coaches.resolved_teams()
    coach = {("coach" if not scenario.coaches.teams else f"coach.{team.name}"): team for team in teams}
    return {**coach, "te": scenario.te}


def meeting_minutes_per_day(timeline: Timeline, calendar: Calendar, pool: str) -> np.ndarray:
    """Each person's meeting minutes on each day of the calendar: weekly hours spread over
    Mon–Fri, none on holidays and weekends, less summer holidays and sick leave."""
    per_day, n = timeline.per_day, calendar.n_days

    def factor(scenario: Scenario) -> float:
        settings = pool_settings(scenario)[pool]
        return settings.hours_per_week * settings.client_time_share * 60.0 / WORKING_DAYS_PER_WEEK

    summer_month = per_day(n, lambda s: np.isin(np.arange(1, 13), s.calendar.summer_months))
    in_summer = summer_month[np.arange(n), calendar.month]
    away = np.where(in_summer, per_day(n, lambda s: s.calendar.summer_holiday_share), 0.0)
    sick = per_day(n, lambda s: s.calendar.sick_leave_share)
    return per_day(n, factor) * calendar.is_working_day * (1.0 - away) * (1.0 - sick)


@dataclass
class MeetingLog:
    """Meetings of one pool: counts per day, and each first meeting's delay.

    ``held``, ``late`` and ``no_shows`` count by the day of the meeting; ``due_owed``,
    ``due_held``, ``due_missed`` and ``due_pending`` by the day the meeting fell due (owed =
    held + missed + pending at the end, day by day).
    """

    held: list[int]  # meetings held on each day
    late: list[int]  # of which held after their due date (first meetings: after the deadline)
    no_shows: list[int]  # booked meetings the client did not come to (the slot is lost)
    due_owed: list[int]  # meetings the rules require, by due day
    due_held: list[int]  # of which held (on time or late)
    due_missed: list[int]  # of which missed: not held before the next fell due or the client left
    due_pending: list[int]  # of which neither by the end of the run
    statement_minutes: list[float]  # minutes of statements written on each day
    first_day: list[int] = field(default_factory=list)
    first_working_days: list[int] = field(default_factory=list)  # working days after registration
    first_on_time: list[bool] = field(default_factory=list)  # within the deadline in force
    first_client: list[int] = field(default_factory=list)  # whose first meeting


class StaffPool:
    """Caseloads, waiting list and meeting diary of a pool whose size may change on a date.

    ``day_minutes[d]`` is each person's client time on day d in minutes (``hours_per_week x
    client_time_share x 60 / 5`` on working days, less holidays and sick leave), of which the
    share ``reserve_share[d]`` is kept for first meetings until day d - 1; the diary reaches
    ``len(day_minutes)`` days. ``max_staff`` people have a diary; the first ``on_duty`` of them
    take clients.
    """

    def __init__(self, name: str, on_duty: int, max_staff: int, caseload_cap: int,
                 meeting_minutes: float, day_minutes: np.ndarray, reserve_share: np.ndarray | float = 0.0):
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
        kept = self.day_minutes * np.broadcast_to(np.asarray(reserve_share, dtype=float), self.day_minutes.shape)
        # one sentinel day past the diary with unlimited room ends every search
        diary, reserve = [*(self.day_minutes - kept).tolist(), math.inf], [*kept.tolist(), 0.0]
        self.free_minutes = [list(diary) for _ in range(max_staff)]  # open to any booking
        self.kept_minutes = [list(reserve) for _ in range(max_staff)]  # for first meetings only
        self._to_release = 0  # the first day whose kept minutes are still kept
        self._keeps = bool(kept.any())
        self.diary_days = len(self.day_minutes)
        self._first_open = [self._advance(person, 0) for person in range(max_staff)]
        # per person and booked day: the minutes its bookings took from the day itself, and the later
        # days they took minutes from and how many (day, minutes, day, minutes, ...; the latest last)
        self._own_minutes = [[0.0] * (self.diary_days + 1) for _ in range(max_staff)]
        self._carried: list[dict[int, list[float]]] = [{} for _ in range(max_staff)]
        self.meetings_on: list[list[int]] = [[] for _ in range(self.diary_days)]
        self.log = MeetingLog(*([0] * self.diary_days for _ in range(7)), statement_minutes=[0.0] * self.diary_days)

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
    def book(self, person: int, earliest_day: int, client: int, first: bool = False, in_place: bool = False) -> int:
        """Book a meeting on the first day >= ``earliest_day`` with time left (a ``first`` meeting:
        also the minutes kept for first meetings); NOT_BOOKED past the diary. ``in_place``: on
        ``earliest_day`` itself, in the place of a meeting that gave way (its minutes from that day
        on, as a meeting that runs over)."""
        if first:
            day = self._take_first(person, earliest_day, self.meeting_minutes, in_place)
        elif in_place:
            day = self._take(person, earliest_day, self.meeting_minutes, in_place)
        else:
            first_open = self._first_open[person]
            day = self._take(person, earliest_day if earliest_day > first_open else first_open, self.meeting_minutes)
        if day != NOT_BOOKED:
            self.meetings_on[day].append(client)
        return day

    def reserve(self, person: int, earliest_day: int, minutes: float, in_place: bool = False) -> int:
        """Take ``minutes`` of other client work (a statement) on the first day >= ``earliest_day``
        with time left (``in_place``: on ``earliest_day``, as :meth:`book`); NOT_BOOKED past the diary."""
        if in_place:
            return self._take(person, earliest_day, minutes, in_place)
        return self._take(person, max(earliest_day, self._first_open[person]), minutes)

    def _take(self, person: int, day: int, minutes: float, in_place: bool = False) -> int:
        """From the first day >= ``day`` with open minutes (``in_place``: from ``day``), take ``minutes``
        (what the day lacks from the following days); that first day, or NOT_BOOKED past the diary."""
        if day >= self.diary_days:
            return NOT_BOOKED
        row = self.free_minutes[person]
        while row[day] <= ROOM and not in_place:
            day += 1
        if day >= self.diary_days:
            return NOT_BOOKED
        if row[day] >= minutes:
            row[day] -= minutes
            self._own_minutes[person][day] += minutes
        else:
            self._own_minutes[person][day] += row[day]
            _carry(row, day, minutes, self._carried[person].setdefault(day, []))
        if day <= self._first_open[person]:
            self._first_open[person] = self._advance(person, self._first_open[person])
        return day

    def _take_first(self, person: int, day: int, minutes: float, in_place: bool = False) -> int:
        """Like ``_take``, for a first meeting: the kept minutes of each day first, then the open ones."""
        if not in_place:
            day = self.open_day(person, day, first=True)
        if day >= self.diary_days:
            return NOT_BOOKED
        row, kept = self.free_minutes[person], self.kept_minutes[person]
        rest, on = minutes, day
        while rest > 0.0:
            use = min(kept[on], rest)
            kept[on] -= use
            rest -= use
            open_use = min(row[on], rest)
            if open_use > 0.0:
                row[on] -= open_use
                rest -= open_use
            if on == day:
                self._own_minutes[person][day] += use + open_use
            elif use + open_use > 0.0:
                self._carried[person].setdefault(day, []).extend((on, use + open_use))
            on += 1
        if self._first_open[person] >= day:
            self._first_open[person] = self._advance(person, self._first_open[person])
        return day

    def open_day(self, person: int, day: int, first: bool = False) -> int:
        """The person's first day >= ``day`` with time left for a meeting (a ``first`` meeting: also
        the minutes kept for it); ``diary_days`` past the diary."""
        row, last = self.free_minutes[person], self.diary_days
        if first and self._keeps:
            kept = self.kept_minutes[person]
            while day < last and row[day] + kept[day] <= ROOM:
                day += 1
            return day
        day = max(day, self._first_open[person])
        while day < last and row[day] <= ROOM:
            day += 1
        return min(day, last)

    def release_reserve(self, through_day: int) -> None:
        """The minutes kept for first meetings on days up to ``through_day`` open to any booking
        (on day d the engine opens those of day d + 1: kept until the day before)."""
        if not self._keeps:
            return
        last = min(through_day, self.diary_days - 1)
        for day in range(self._to_release, last + 1):
            for person, kept in enumerate(self.kept_minutes):
                if kept[day] > 0.0:
                    self.free_minutes[person][day] += kept[day]
                    kept[day] = 0.0
                    self._first_open[person] = min(self._first_open[person], day)
        self._to_release = max(self._to_release, last + 1)

    def next_person_on_duty(self) -> int:
        """People on duty in turn (for work not tied to a caseload); -1 if nobody is on duty."""
        if not self.on_duty:
            return -1
        self._turn = (self._turn + 1) % self.on_duty
        return self._turn

    def cancel(self, person: int, day: int) -> None:
        """Give back the minutes of a booked meeting on ``day`` that will not take place, to the days
        they were taken from (to their open minutes): first those the day's bookings took from the
        day itself, then the latest of those they carried into later days (the overrun shrinks)."""
        row, minutes, lowest, own = self.free_minutes[person], self.meeting_minutes, self.diary_days, self._own_minutes[person]
        back = min(own[day], minutes)
        if back > 0.0:
            own[day] -= back
            row[day] += back
            minutes -= back
            lowest = day
        carried = self._carried[person].get(day)
        while carried and minutes > 0.0:
            later, taken = int(carried[-2]), carried[-1]
            if taken > minutes:
                carried[-1], taken = taken - minutes, minutes
            else:
                del carried[-2:]
            row[later] += taken
            minutes -= taken
            lowest = min(lowest, later)
        self._first_open[person] = min(self._first_open[person], lowest)

    def _advance(self, person: int, day: int) -> int:
        """The first day >= ``day`` with open minutes (all days before it are full)."""
        row = self.free_minutes[person]
        while row[day] <= ROOM:
            day += 1
        return day

    # -- what was observed ----------------------------------------------------------------
    def record(self, horizon: int, on_duty_per_day: np.ndarray) -> PoolRecord:
        """The pool's days ``[0, horizon)``, meetings and first meetings as plain arrays."""
        log, on_duty = self.log, on_duty_per_day[:horizon]
        return PoolRecord(
            name=self.name,
            on_duty=on_duty,
            meeting_minutes_available=self.day_minutes[:horizon] * on_duty,
            held=np.asarray(log.held[:horizon], dtype=int),
            late=np.asarray(log.late[:horizon], dtype=int),
            no_shows=np.asarray(log.no_shows[:horizon], dtype=int),
            due_owed=np.asarray(log.due_owed[:horizon], dtype=int),
            due_held=np.asarray(log.due_held[:horizon], dtype=int),
            due_missed=np.asarray(log.due_missed[:horizon], dtype=int),
            due_pending=np.asarray(log.due_pending[:horizon], dtype=int),
            statement_minutes=np.asarray(log.statement_minutes[:horizon], dtype=float),
            minutes_used=minutes_used(self.day_minutes, self.free_minutes, self.kept_minutes, horizon),
            first_day=np.asarray(log.first_day, dtype=int),
            first_working_days=np.asarray(log.first_working_days, dtype=float),
            first_on_time=np.asarray(log.first_on_time, dtype=bool),
            first_client=np.asarray(log.first_client, dtype=int),
            caseload_at_end=np.asarray(self.caseload, dtype=int),
            waiting_at_end=self.waiting_count,
        )
