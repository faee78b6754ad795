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

**Compiled.** A pool's state is a :class:`PoolState` of numpy arrays, and the functions below
that take one are compiled (:mod:`simkit.model.compiled`): the day loop calls them from compiled
code. :class:`StaffPool` holds a pool's state and offers the same operations to Python (the
engine's set-up and dated events, and the tests). Lists that grow (the meetings booked on each
day, the minutes carried into later days) are linked entries in arrays whose spent entries are
reused; :func:`needs_room` tells the engine, between days, when an array should grow.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from simkit.model.calendar import WORKING_DAYS_PER_WEEK, Calendar
from simkit.model.compiled import compiled
from simkit.observations import PoolRecord
from simkit.scenario.schema import CoachTeam, Scenario, StaffSettings
from simkit.scenario.timeline import Timeline

NOT_BOOKED = -1
NOT_OWED = -1  # a client's owed_day when no meeting is owed
ROOM = 1e-9  # minutes: a day with more than this left has room (rounding crumbs do not)
NONE = -1  # no entry (end of a linked list)

# rows of PoolState.counts: meetings of the pool per day (held, late and no-shows by the day of the
# meeting; owed, held, missed and pending by the day the meeting fell due: owed = held + missed + pending)
HELD, LATE, NO_SHOWS, DUE_OWED, DUE_HELD, DUE_MISSED, DUE_PENDING = range(7)
COUNTS = ("held", "late", "no_shows", "due_owed", "due_held", "due_missed", "due_pending")

# PoolState.ints: the pool's scalars
(ON_DUTY, CAP, TURN, TO_RELEASE, KEEPS, WAITING_COUNT, WAITING_HEAD, WAITING_TAIL, HEAP_SIZE,
 PIECES_USED, PIECE_FREE, ENTRIES_USED, ENTRY_FREE, INDEX) = range(14)
LOAD = 1 << 24  # a caseload heap entry is load * LOAD + person (people < LOAD)


class PoolState(NamedTuple):
    """A staff pool as arrays: ``people`` diaries of ``days`` days (and a sentinel day)."""

    meeting_minutes: float  # minutes of one meeting
    day_minutes: np.ndarray  # float [days]: each person's client minutes on each day
    free: np.ndarray  # float [people, days + 1]: minutes open to any booking (the sentinel day: inf)
    kept: np.ndarray  # float [people, days + 1]: minutes kept for first meetings
    own: np.ndarray  # float [people, days + 1]: minutes the day's bookings took from the day itself
    carried: np.ndarray  # int [people, days + 1]: the latest piece the day's bookings carried into later days
    piece_day: np.ndarray  # int [pieces]: a carried piece's day ...
    piece_minutes: np.ndarray  # float [pieces]: ... its minutes ...
    piece_before: np.ndarray  # int [pieces]: ... and the piece carried before it by the same day (NONE)
    first_entry: np.ndarray  # int [days]: the first meeting booked on each day (an entry; NONE)
    last_entry: np.ndarray  # int [days]: the last
    entries_on: np.ndarray  # int [days]: how many entries each day has (cancelled ones too)
    entry_client: np.ndarray  # int [entries]: whose meeting ...
    entry_next: np.ndarray  # int [entries]: ... the entry booked after it on its day (NONE) ...
    entry_before: np.ndarray  # int [entries]: ... and before it
    first_open: np.ndarray  # int [people]: every day before it is full
    caseload: np.ndarray  # int [people]
    heap: np.ndarray  # int [2 x people + 2]: the least-loaded heap (load * LOAD + person; stale entries too)
    waiting: np.ndarray  # int [capacity]: the waiting list, [WAITING_HEAD, WAITING_TAIL)
    counts: np.ndarray  # int [7, days]: HELD ... DUE_PENDING
    statement_minutes: np.ndarray  # float [days]: minutes of statements written on each day
    ints: np.ndarray  # int: ON_DUTY ... INDEX


def new_pool_state(index: int, on_duty: int, max_staff: int, caseload_cap: int, meeting_minutes: float,
                   day_minutes: np.ndarray, reserve_share: np.ndarray | float, waiting: int = 1024) -> PoolState:
    """A pool whose first ``on_duty`` of ``max_staff`` people take clients, nobody booked yet."""
    day_minutes = np.asarray(day_minutes, dtype=float)
    days = len(day_minutes)
    kept = day_minutes * np.broadcast_to(np.asarray(reserve_share, dtype=float), day_minutes.shape)
    free = np.tile(np.append(day_minutes - kept, math.inf), (max_staff, 1))
    ints = np.zeros(14, dtype=np.int64)
    ints[[ON_DUTY, CAP, TURN, KEEPS, HEAP_SIZE, PIECE_FREE, ENTRY_FREE, INDEX]] = (
        on_duty, caseload_cap, -1, bool(kept.any()), on_duty, NONE, NONE, index)
    heap = np.zeros(2 * max_staff + 2, dtype=np.int64)
    heap[:on_duty] = np.arange(on_duty)  # load 0, person p: a valid heap already
    state = PoolState(
        meeting_minutes=float(meeting_minutes), day_minutes=day_minutes, free=free,
        kept=np.tile(np.append(kept, 0.0), (max_staff, 1)), own=np.zeros((max_staff, days + 1)),
        carried=np.full((max_staff, days + 1), NONE, dtype=np.int64),
        piece_day=np.zeros(0, np.int64), piece_minutes=np.zeros(0), piece_before=np.zeros(0, np.int64),
        first_entry=np.full(days, NONE, dtype=np.int64), last_entry=np.full(days, NONE, dtype=np.int64),
        entries_on=np.zeros(days, dtype=np.int64), entry_client=np.zeros(0, np.int64),
        entry_next=np.zeros(0, np.int64), entry_before=np.zeros(0, np.int64),
        first_open=np.zeros(max_staff, dtype=np.int64), caseload=np.zeros(max_staff, dtype=np.int64),
        heap=heap, waiting=np.zeros(waiting, dtype=np.int64), counts=np.zeros((7, days), dtype=np.int64),
        statement_minutes=np.zeros(days), ints=ints,
    )
    for person in range(max_staff):
        state.first_open[person] = _advance(state, person, 0)
    return with_room(state, pieces=max_staff * 64 + 1024, entries=4096)


def with_room(pool: PoolState, pieces: int = 0, entries: int = 0, waiting: int = 0) -> PoolState:
    """The pool with room for at least that many more carried pieces, booked entries and waiting clients."""
    def grown(array: np.ndarray, used: int, more: int) -> np.ndarray:
        if len(array) - used >= more:
            return array
        bigger = np.zeros(max(2 * len(array), used + more), dtype=array.dtype)
        bigger[:len(array)] = array
        return bigger

    ints = pool.ints
    pieces_used, entries_used = int(ints[PIECES_USED]), int(ints[ENTRIES_USED])
    head, tail = int(ints[WAITING_HEAD]), int(ints[WAITING_TAIL])
    queue = pool.waiting
    if len(queue) - tail < waiting:  # move the waiting list to the front, then grow
        queue = grown(np.concatenate([queue[head:tail], np.zeros(len(queue) - (tail - head), np.int64)]),
                      tail - head, waiting)
        ints[WAITING_HEAD], ints[WAITING_TAIL] = 0, tail - head
    return pool._replace(
        piece_day=grown(pool.piece_day, pieces_used, pieces),
        piece_minutes=grown(pool.piece_minutes, pieces_used, pieces),
        piece_before=grown(pool.piece_before, pieces_used, pieces),
        entry_client=grown(pool.entry_client, entries_used, entries),
        entry_next=grown(pool.entry_next, entries_used, entries),
        entry_before=grown(pool.entry_before, entries_used, entries),
        waiting=queue,
    )


@compiled
def needs_room(pool: PoolState, clients: int) -> bool:
    """Might the pool run out of entries, pieces or waiting places in a day with ``clients`` events?
    (The engine then grows it: :func:`with_room`.)"""
    ints = pool.ints
    return (len(pool.piece_day) - ints[PIECES_USED] < len(pool.free) * 8 + 1024
            or len(pool.entry_client) - ints[ENTRIES_USED] < clients + 4096
            or len(pool.waiting) - ints[WAITING_TAIL] < clients + len(pool.free) + 64)


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
    pool.waiting[pool.ints[WAITING_TAIL]] = client
    pool.ints[WAITING_TAIL] += 1
    pool.ints[WAITING_COUNT] += 1


# -- diary -----------------------------------------------------------------------------------
@compiled
def book(pool: PoolState, person: int, earliest_day: int, client: int, first: bool = False,
         in_place: bool = False) -> int:
    """Book a meeting on the first day >= ``earliest_day`` with time left (a ``first`` meeting:
    also the minutes kept for first meetings); NOT_BOOKED past the diary. ``in_place``: on
    ``earliest_day`` itself, in the place of a meeting that gave way (its minutes from that day
    on, as a meeting that runs over)."""
    if first:
        day = _take_first(pool, person, earliest_day, pool.meeting_minutes, in_place)
    elif in_place:
        day = _take(pool, person, earliest_day, pool.meeting_minutes, in_place)
    else:
        first_open = pool.first_open[person]
        day = _take(pool, person, earliest_day if earliest_day > first_open else first_open,
                    pool.meeting_minutes, False)
    if day != NOT_BOOKED:
        _add_entry(pool, day, client)
    return day


@compiled
def reserve(pool: PoolState, person: int, earliest_day: int, minutes: float, in_place: bool = False) -> int:
    """Take ``minutes`` of other client work (a statement) on the first day >= ``earliest_day``
    with time left (``in_place``: on ``earliest_day``, as :func:`book`); NOT_BOOKED past the diary."""
    if in_place:
        return _take(pool, person, earliest_day, minutes, True)
    return _take(pool, person, max(earliest_day, pool.first_open[person]), minutes, False)


@compiled
def _take(pool: PoolState, person: int, day: int, minutes: float, in_place: bool) -> int:
    """From the first day >= ``day`` with open minutes (``in_place``: from ``day``), take ``minutes``
    (what the day lacks from the following days); that first day, or NOT_BOOKED past the diary."""
    days = len(pool.day_minutes)
    if day >= days:
        return NOT_BOOKED
    row = pool.free[person]
    while row[day] <= ROOM and not in_place:
        day += 1
    if day >= days:
        return NOT_BOOKED
    if row[day] >= minutes:
        row[day] -= minutes
        pool.own[person, day] += minutes
    else:
        pool.own[person, day] += row[day]
        _carry(pool, person, day, minutes)
    if day <= pool.first_open[person]:
        pool.first_open[person] = _advance(pool, person, pool.first_open[person])
    return day


@compiled
def _carry(pool: PoolState, person: int, day: int, minutes: float) -> None:
    """Take ``minutes`` from ``day`` (which has less) and the following days, noting each later
    day and the minutes taken from it as a piece carried by the day's bookings."""
    row = pool.free[person]
    minutes -= row[day]
    row[day] = 0.0
    on = day
    while minutes > 0.0:
        on += 1
        use = min(row[on], minutes)
        if use > 0.0:
            row[on] -= use
            minutes -= use
            _add_piece(pool, person, day, on, use)


@compiled
def _take_first(pool: PoolState, person: int, day: int, minutes: float, in_place: bool) -> int:
    """Like ``_take``, for a first meeting: the kept minutes of each day first, then the open ones."""
    if not in_place:
        day = open_day(pool, person, day, True)
    if day >= len(pool.day_minutes):
        return NOT_BOOKED
    row, kept = pool.free[person], pool.kept[person]
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
            pool.own[person, day] += use + open_use
        elif use + open_use > 0.0:
            _add_piece(pool, person, day, on, use + open_use)
        on += 1
    if pool.first_open[person] >= day:
        pool.first_open[person] = _advance(pool, person, pool.first_open[person])
    return day


@compiled
def open_day(pool: PoolState, person: int, day: int, first: bool = False) -> int:
    """The person's first day >= ``day`` with time left for a meeting (a ``first`` meeting: also
    the minutes kept for it); the diary's length past the diary."""
    row, last = pool.free[person], len(pool.day_minutes)
    if first and pool.ints[KEEPS]:
        kept = pool.kept[person]
        while day < last and row[day] + kept[day] <= ROOM:
            day += 1
        return day
    day = max(day, pool.first_open[person])
    while day < last and row[day] <= ROOM:
        day += 1
    return min(day, last)


@compiled
def release_reserve(pool: PoolState, through_day: int) -> None:
    """The minutes kept for first meetings on days up to ``through_day`` open to any booking
    (on day d the engine opens those of day d + 1: kept until the day before)."""
    ints = pool.ints
    if not ints[KEEPS]:
        return
    last = min(through_day, len(pool.day_minutes) - 1)
    for day in range(ints[TO_RELEASE], last + 1):
        for person in range(len(pool.kept)):
            if pool.kept[person, day] > 0.0:
                pool.free[person, day] += pool.kept[person, day]
                pool.kept[person, day] = 0.0
                pool.first_open[person] = min(pool.first_open[person], day)
    ints[TO_RELEASE] = max(ints[TO_RELEASE], last + 1)


@compiled
def next_person_on_duty(pool: PoolState) -> int:
    """People on duty in turn (for work not tied to a caseload); -1 if nobody is on duty."""
    ints = pool.ints
    if not ints[ON_DUTY]:
        return -1
    ints[TURN] = (ints[TURN] + 1) % ints[ON_DUTY]
    return ints[TURN]


@compiled
def cancel(pool: PoolState, person: int, day: int) -> None:
    """Give back the minutes of a booked meeting on ``day`` that will not take place, to the days
    they were taken from (to their open minutes): first those the day's bookings took from the
    day itself, then the latest of those they carried into later days (the overrun shrinks)."""
    row, minutes, lowest = pool.free[person], pool.meeting_minutes, len(pool.day_minutes)
    back = min(pool.own[person, day], minutes)
    if back > 0.0:
        pool.own[person, day] -= back
        row[day] += back
        minutes -= back
        lowest = day
    while pool.carried[person, day] != NONE and minutes > 0.0:
        piece = pool.carried[person, day]
        later, taken = pool.piece_day[piece], pool.piece_minutes[piece]
        if taken > minutes:
            pool.piece_minutes[piece], taken = taken - minutes, minutes
        else:
            pool.carried[person, day] = pool.piece_before[piece]
            _free_piece(pool, piece)
        row[later] += taken
        minutes -= taken
        lowest = min(lowest, later)
    pool.first_open[person] = min(pool.first_open[person], lowest)


@compiled
def _advance(pool: PoolState, person: int, day: int) -> int:
    """The first day >= ``day`` with open minutes (all days before it are full)."""
    row = pool.free[person]
    while row[day] <= ROOM:
        day += 1
    return day


@compiled
def forget_day(pool: PoolState, day: int) -> None:
    """The pieces carried by ``day``'s bookings will not be given back (the day has passed): reuse them."""
    if day < 0:
        return
    for person in range(len(pool.carried)):
        piece = pool.carried[person, day]
        while piece != NONE:
            before = pool.piece_before[piece]
            _free_piece(pool, piece)
            piece = before
        pool.carried[person, day] = NONE


# -- linked entries --------------------------------------------------------------------------
@compiled
def _add_piece(pool: PoolState, person: int, day: int, later: int, minutes: float) -> None:
    ints = pool.ints
    piece = ints[PIECE_FREE]
    if piece != NONE:
        ints[PIECE_FREE] = pool.piece_before[piece]
    else:
        piece = ints[PIECES_USED]
        if piece == len(pool.piece_day):
            raise RuntimeError("simkit: a diary ran out of room for carried minutes within one day")
        ints[PIECES_USED] = piece + 1
    pool.piece_day[piece], pool.piece_minutes[piece] = later, minutes
    pool.piece_before[piece] = pool.carried[person, day]
    pool.carried[person, day] = piece


@compiled
def _free_piece(pool: PoolState, piece: int) -> None:
    pool.piece_before[piece] = pool.ints[PIECE_FREE]
    pool.ints[PIECE_FREE] = piece


@compiled
def _add_entry(pool: PoolState, day: int, client: int) -> None:
    """The client's meeting is booked on ``day``: an entry at the end of the day's list."""
    ints = pool.ints
    entry = ints[ENTRY_FREE]
    if entry != NONE:
        ints[ENTRY_FREE] = pool.entry_next[entry]
    else:
        entry = ints[ENTRIES_USED]
        if entry == len(pool.entry_client):
            raise RuntimeError("simkit: a diary ran out of room for booked meetings within one day")
        ints[ENTRIES_USED] = entry + 1
    pool.entry_client[entry] = client
    pool.entry_next[entry] = NONE
    pool.entry_before[entry] = pool.last_entry[day]
    if pool.last_entry[day] == NONE:
        pool.first_entry[day] = entry
    else:
        pool.entry_next[pool.last_entry[day]] = entry
    pool.last_entry[day] = entry
    pool.entries_on[day] += 1


@compiled
def take_day(pool: PoolState, day: int) -> int:
    """The first of the entries booked on ``day``, which from now on has none (meetings booked on
    it later join a new list); give them back with :func:`free_entries` when done."""
    first = pool.first_entry[day]
    pool.first_entry[day] = pool.last_entry[day] = NONE
    pool.entries_on[day] = 0
    return first


@compiled
def free_entries(pool: PoolState, first: int) -> None:
    """Entries from ``first`` on (a day's list taken with :func:`take_day`) are free for reuse."""
    entry = first
    while entry != NONE:
        after = pool.entry_next[entry]
        pool.entry_next[entry] = pool.ints[ENTRY_FREE]
        pool.ints[ENTRY_FREE] = entry
        entry = after


def minutes_used(pool: PoolState, horizon: int) -> np.ndarray:
    """Client minutes taken from the diaries on each day before ``horizon``: each person's day less
    what is still open or kept for first meetings, summed over the people (as the reference model)."""
    days = pool.day_minutes[:horizon]
    return np.sum(days - pool.free[:, :horizon] - pool.kept[:, :horizon], axis=0)


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
                 meeting_minutes: float, day_minutes: np.ndarray, reserve_share: np.ndarray | float = 0.0,
                 index: int = 0):
        self.name = name
        self.state = new_pool_state(index, on_duty, max_staff, caseload_cap, meeting_minutes, day_minutes,
                                    reserve_share)

    def make_room(self, clients: int) -> bool:
        """Grow the arrays if a day with ``clients`` events might fill them; True if they grew."""
        if not needs_room(self.state, clients):
            return False
        people = len(self.state.free)
        self.state = with_room(self.state, pieces=people * 16 + 2048, entries=2 * clients + 8192,
                               waiting=2 * (clients + people) + 128)
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

    def open_day(self, person: int, day: int, first: bool = False) -> int:
        return open_day(self.state, person, day, first)

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
            minutes_used=minutes_used(state, horizon),
            first_day=first["day"],
            first_working_days=first["working_days"].astype(float),
            first_on_time=first["on_time"],
            first_client=first["client"],
            caseload_at_end=state.caseload.astype(int),
            waiting_at_end=self.waiting_count,
        )

