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

**Compiled.** A pool's state is a :class:`simkit.model.pool_state.PoolState` of numpy arrays; the
caseload functions below and the diary's (:mod:`simkit.model.diary`) are compiled
(:mod:`simkit.model.compiled`) and called by the compiled day loop. :class:`StaffPool` holds a
pool's state and offers the same operations to Python (the engine's set-up and dated events, and
the tests).
"""

from __future__ import annotations

import numpy as np

from simkit.model.calendar import WORKING_DAYS_PER_WEEK, Calendar
from simkit.model.compiled import compiled
from simkit.model.diary import (
    book,
    cancel,
    minutes_used,
    release_reserve,
    reserve,
)
from simkit.model.pool_state import (
    CAP,
    COUNTS,
    HEAP_SIZE,
    LOAD,
    NONE,
    NOT_BOOKED,
    NOT_OWED,
    ON_DUTY,
    ROOM,
    TURN,
    WAITING_COUNT,
    WAITING_HEAD,
    WAITING_TAIL,
    PoolState,
    needs_room,
    new_pool_state,
    room_needed,
    with_room,
)
from simkit.observations import PoolRecord
from simkit.scenario.schema import CoachTeam, Scenario, StaffSettings
from simkit.scenario.timeline import Timeline

__all__ = ["NOT_BOOKED", "NOT_OWED", "ROOM", "StaffPool", "meeting_minutes_per_day", "next_person_on_duty",
           "pool_settings", "release_client", "set_on_duty", "take_client", "wait"]


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


# -- caseloads -------------------------------------------------------------------------------
@compiled
def take_client(pool: PoolState) -> int:
    """The least-loaded person on duty below the cap takes a client; -1 when all are at the cap.

    The heap holds a valid entry (the person's caseload now) for everyone on duty, and stale ones
    that are dropped when they come to the top; any heap gives the same person (the least of
    (load, person) among the valid entries)."""
    heap, ints, caseload = pool.heap, pool.ints, pool.caseload
    while ints[HEAP_SIZE]:
        top = heap[0]
        load, person = top // LOAD, top % LOAD
        if load != caseload[person] or person >= ints[ON_DUTY]:
            _heap_pop(pool)  # stale entry, or a person no longer on duty
            continue
        if load >= ints[CAP]:
            return -1
        caseload[person] = load + 1
        _heap_replace_top(pool, top + LOAD)
        return person
    return -1


@compiled
def release_client(pool: PoolState, person: int) -> None:
    pool.caseload[person] -= 1
    if person < pool.ints[ON_DUTY]:
        _heap_push(pool, pool.caseload[person] * LOAD + person)


@compiled
def set_on_duty(pool: PoolState, count: int) -> None:
    """From now on ``count`` people take clients (the journey moves the clients of those who leave)."""
    before = pool.ints[ON_DUTY]
    pool.ints[ON_DUTY] = count  # (before the pushes: a full heap keeps an entry for everyone on duty)
    for person in range(before, count):
        _heap_push(pool, pool.caseload[person] * LOAD + person)


@compiled
def _heap_push(pool: PoolState, entry: int) -> None:
    heap, ints = pool.heap, pool.ints
    if ints[HEAP_SIZE] == len(heap):  # full of stale entries: keep one valid entry per person on duty
        ints[HEAP_SIZE] = 0
        for person in range(ints[ON_DUTY]):
            _heap_push(pool, pool.caseload[person] * LOAD + person)
    size = ints[HEAP_SIZE]
    heap[size] = entry
    ints[HEAP_SIZE] = size + 1
    while size > 0:
        parent = (size - 1) // 2
        if heap[parent] <= heap[size]:
            break
        heap[parent], heap[size] = heap[size], heap[parent]
        size = parent


@compiled
def _heap_pop(pool: PoolState) -> None:
    ints = pool.ints
    ints[HEAP_SIZE] -= 1
    if ints[HEAP_SIZE]:
        _heap_replace_top(pool, pool.heap[ints[HEAP_SIZE]])


@compiled
def _heap_replace_top(pool: PoolState, entry: int) -> None:
    heap, size = pool.heap, pool.ints[HEAP_SIZE]
    heap[0] = entry
    at = 0
    while True:
        child = 2 * at + 1
        if child >= size:
            return
        if child + 1 < size and heap[child + 1] < heap[child]:
            child += 1
        if heap[at] <= heap[child]:
            return
        heap[at], heap[child] = heap[child], heap[at]
        at = child


# -- the waiting list ------------------------------------------------------------------------
@compiled
def wait(pool: PoolState, client: int) -> None:
    """The client joins the end of the waiting list."""
    if pool.ints[WAITING_TAIL] == len(pool.waiting):
        raise RuntimeError("simkit: a waiting list ran out of room within one day")
    pool.waiting[pool.ints[WAITING_TAIL]] = client
    pool.ints[WAITING_TAIL] += 1
    pool.ints[WAITING_COUNT] += 1


@compiled
def next_person_on_duty(pool: PoolState) -> int:
    """People on duty in turn (for work not tied to a caseload); -1 if nobody is on duty."""
    ints = pool.ints
    if not ints[ON_DUTY]:
        return -1
    ints[TURN] = (ints[TURN] + 1) % ints[ON_DUTY]
    return ints[TURN]


class StaffPool:
    """Caseloads, waiting list and meeting diary of a pool whose size may change on a date.

    ``day_minutes[d]`` is each person's client time on day d in minutes (``hours_per_week x
    client_time_share x 60 / 5`` on working days, less holidays and sick leave), of which the
    share ``reserve_share[d]`` is kept for first meetings until day d - 1; the diary reaches
    ``len(day_minutes)`` days. ``max_staff`` people have a diary; the first ``on_duty`` of them
    take clients. The state is :attr:`state` (a :class:`PoolState`); the methods run the compiled
    operations on it.
    """

    def __init__(self, name: str, on_duty: int, max_staff: int, caseload_cap: int,
                 meeting_minutes: float, day_minutes: np.ndarray, reserve_share: np.ndarray | float = 0.0):
        self.name = name
        self.state = new_pool_state(on_duty, max_staff, caseload_cap, meeting_minutes, day_minutes,
                                    reserve_share)

    def make_room(self, events: int) -> bool:
        """Grow the arrays if a day with ``events`` client events and statements might fill them; True
        if they grew."""
        if not needs_room(self.state, events):
            return False
        self.state = with_room(self.state, *(2 * room for room in room_needed(self.state, events)))
        return True

    # -- the state, by name --------------------------------------------------------------------
    @property
    def on_duty(self) -> int:
        return int(self.state.ints[ON_DUTY])

    @property
    def caseload_cap(self) -> int:
        return int(self.state.ints[CAP])

    @caseload_cap.setter
    def caseload_cap(self, cap: int) -> None:
        self.state.ints[CAP] = cap

    @property
    def meeting_minutes(self) -> float:
        return self.state.meeting_minutes

    @property
    def day_minutes(self) -> np.ndarray:
        return self.state.day_minutes

    @property
    def diary_days(self) -> int:
        return len(self.state.day_minutes)

    @property
    def caseload(self) -> list[int]:
        return self.state.caseload.tolist()

    @property
    def waiting(self) -> list[int]:
        """The waiting list in order (left or moved clients too, skipped when their turn comes)."""
        ints = self.state.ints
        return self.state.waiting[ints[WAITING_HEAD]:ints[WAITING_TAIL]].tolist()

    @property
    def waiting_count(self) -> int:
        return int(self.state.ints[WAITING_COUNT])

    @waiting_count.setter
    def waiting_count(self, count: int) -> None:
        self.state.ints[WAITING_COUNT] = count

    @property
    def free_minutes(self) -> list[list[float]]:
        return self.state.free.tolist()

    @property
    def kept_minutes(self) -> list[list[float]]:
        return self.state.kept.tolist()

    @property
    def meetings_on(self) -> list[list[int]]:
        """The clients of the meetings booked on each day, in the order booked (cancelled ones too)."""
        state, days = self.state, []
        for day in range(self.diary_days):
            clients, entry = [], state.first_entry[day]
            while entry != NONE:
                clients.append(int(state.entry_client[entry]))
                entry = state.entry_next[entry]
            days.append(clients)
        return days

    @property
    def counts(self) -> dict[str, np.ndarray]:
        """The meeting counts per day by name (``held``, ``due_owed``, ...): views of the state."""
        return dict(zip(COUNTS, self.state.counts))

    # -- the operations ------------------------------------------------------------------------
    def set_on_duty(self, count: int) -> None:
        set_on_duty(self.state, count)

    def take_client(self) -> int:
        return take_client(self.state)

    def release_client(self, person: int) -> None:
        release_client(self.state, person)

    def book(self, person: int, earliest_day: int, client: int, first: bool = False, in_place: bool = False) -> int:
        return book(self.state, person, earliest_day, client, first, in_place)

    def reserve(self, person: int, earliest_day: int, minutes: float, in_place: bool = False) -> int:
        return reserve(self.state, person, earliest_day, minutes, in_place)

    def release_reserve(self, through_day: int) -> None:
        release_reserve(self.state, through_day)

    def next_person_on_duty(self) -> int:
        return next_person_on_duty(self.state)

    def cancel(self, person: int, day: int) -> None:
        cancel(self.state, person, day)

    # -- what was observed ---------------------------------------------------------------------
    def record(self, horizon: int, on_duty_per_day: np.ndarray, first_meetings: dict[str, np.ndarray] | None = None
               ) -> PoolRecord:
        """The pool's days ``[0, horizon)``, meetings and (``first_meetings``, from
        :meth:`simkit.model.meetings.Meetings.first_meetings_of`) first meetings as plain arrays."""
        state, on_duty = self.state, on_duty_per_day[:horizon]
        counts = {name: row[:horizon].astype(int) for name, row in self.counts.items()}
        first = first_meetings or {"day": np.zeros(0, int), "working_days": np.zeros(0, int),
                                   "on_time": np.zeros(0, bool), "client": np.zeros(0, int)}
        return PoolRecord(
            name=self.name,
            on_duty=on_duty,
            meeting_minutes_available=state.day_minutes[:horizon] * on_duty,
            **counts,
            statement_minutes=state.statement_minutes[:horizon].copy(),
            minutes_used=minutes_used(state.day_minutes, state.free, state.kept, horizon),
            first_day=first["day"],
            first_working_days=first["working_days"].astype(float),
            first_on_time=first["on_time"],
            first_client=first["client"],
            caseload_at_end=state.caseload.astype(int),
            waiting_at_end=self.waiting_count,
        )

