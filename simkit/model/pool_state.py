"""A staff pool's state as arrays, for the compiled day loop (:mod:`simkit.model.compiled`).

:class:`PoolState` holds a pool's diaries, caseloads, waiting list and meeting counts. Lists that
grow (the meetings booked on each day, the minutes a day's bookings carried into later days) are
linked entries in arrays whose spent entries are reused; :func:`needs_room` tells the engine,
between days, when an array should grow (:func:`with_room`). The diary itself is in
:mod:`simkit.model.diary`, caseloads and the Python view of a pool in :mod:`simkit.model.staff`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from simkit.model.compiled import compiled

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
    entry_before: np.ndarray  # int [entries]: ... and the same person's entry before it on its day
    last_own_entry: np.ndarray  # int [people, days]: each person's last entry of each day (NONE)
    first_open: np.ndarray  # int [people]: every day before it is full
    caseload: np.ndarray  # int [people]
    heap: np.ndarray  # int [2 x people + 2]: the least-loaded heap (load * LOAD + person; stale entries too)
    waiting: np.ndarray  # int [capacity]: the waiting list, [WAITING_HEAD, WAITING_TAIL)
    counts: np.ndarray  # int [7, days]: HELD ... DUE_PENDING
    statement_minutes: np.ndarray  # float [days]: minutes of statements written on each day
    ints: np.ndarray  # int: ON_DUTY ... INDEX


def new_pool_state(on_duty: int, max_staff: int, caseload_cap: int, meeting_minutes: float,
                   day_minutes: np.ndarray, reserve_share: np.ndarray | float, waiting: int = 1024) -> PoolState:
    """A pool whose first ``on_duty`` of ``max_staff`` people take clients, nobody booked yet."""
    day_minutes = np.asarray(day_minutes, dtype=float)
    days = len(day_minutes)
    kept = day_minutes * np.broadcast_to(np.asarray(reserve_share, dtype=float), day_minutes.shape)
    free = np.tile(np.append(day_minutes - kept, math.inf), (max_staff, 1))
    ints = np.zeros(14, dtype=np.int64)
    ints[[ON_DUTY, CAP, TURN, KEEPS, HEAP_SIZE, PIECE_FREE, ENTRY_FREE]] = (
        on_duty, caseload_cap, -1, bool(kept.any()), on_duty, NONE, NONE)  # INDEX: set by Meetings
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
        last_own_entry=np.full((max_staff, days), NONE, dtype=np.int64),
        first_open=np.zeros(max_staff, dtype=np.int64), caseload=np.zeros(max_staff, dtype=np.int64),
        heap=heap, waiting=np.zeros(waiting, dtype=np.int64), counts=np.zeros((7, days), dtype=np.int64),
        statement_minutes=np.zeros(days), ints=ints,
    )
    for person in range(max_staff):
        state.first_open[person] = int(np.argmax(free[person] > ROOM))  # the first day with open minutes
    return with_room(state, *(2 * room for room in room_needed(state, 0)))


def with_room(pool: PoolState, pieces: int = 0, entries: int = 0, waiting: int = 0) -> PoolState:
    """The pool with room for at least that many more carried pieces, booked entries and waiting clients
    (new arrays where needed; the ``ints`` are shared and the waiting list may move to the front, so the
    old state, and any :class:`simkit.model.office.Office` built from it, must not be used again)."""
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
def room_needed(pool: PoolState, events: int) -> tuple[int, int, int]:
    """Free carried pieces, booked entries and waiting places that a day with ``events`` client events
    and statements may need at most (generous: a few per event and person)."""
    people = len(pool.free)
    return people * 8 + events + 1024, 2 * events + 4096, events + people + 64


@compiled
def needs_room(pool: PoolState, events: int) -> bool:
    """Might the pool run out of pieces, entries or waiting places in a day with ``events`` client
    events and statements? (The engine then grows it: :meth:`simkit.model.staff.StaffPool.make_room`.)"""
    pieces, entries, waiting = room_needed(pool, events)
    ints = pool.ints
    return (len(pool.piece_day) - ints[PIECES_USED] < pieces or len(pool.entry_client) - ints[ENTRIES_USED] < entries
            or len(pool.waiting) - ints[WAITING_TAIL] < waiting)


# -- linked entries --------------------------------------------------------------------------
@compiled
def _allocate(ints: np.ndarray, free: int, used: int, links: np.ndarray) -> int:
    """An entry of an array of linked entries: a spent one (``ints[free]`` heads their list, linked by
    ``links``) or the first never used (``ints[used]``)."""
    entry = ints[free]
    if entry != NONE:
        ints[free] = links[entry]
        return entry
    entry = ints[used]
    if entry == len(links):
        raise RuntimeError("simkit: a diary's linked entries ran out of room within one day")
    ints[used] = entry + 1
    return entry


@compiled
def _spend(ints: np.ndarray, free: int, links: np.ndarray, entry: int) -> None:
    """The entry may be reused (it heads the list of spent ones)."""
    links[entry] = ints[free]
    ints[free] = entry


@compiled
def _add_piece(pool: PoolState, person: int, day: int, later: int, minutes: float) -> None:
    piece = _allocate(pool.ints, PIECE_FREE, PIECES_USED, pool.piece_before)
    pool.piece_day[piece], pool.piece_minutes[piece] = later, minutes
    pool.piece_before[piece] = pool.carried[person, day]
    pool.carried[person, day] = piece


@compiled
def _free_piece(pool: PoolState, piece: int) -> None:
    _spend(pool.ints, PIECE_FREE, pool.piece_before, piece)


@compiled
def _add_entry(pool: PoolState, day: int, client: int, person: int) -> None:
    """The client's meeting is booked on ``day`` with ``person``: an entry at the end of the day's list
    (and of the person's own list of the day)."""
    entry = _allocate(pool.ints, ENTRY_FREE, ENTRIES_USED, pool.entry_next)
    pool.entry_client[entry] = client
    pool.entry_next[entry] = NONE
    pool.entry_before[entry] = pool.last_own_entry[person, day]
    pool.last_own_entry[person, day] = entry
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
    for person in range(len(pool.last_own_entry)):
        pool.last_own_entry[person, day] = NONE
    pool.entries_on[day] = 0
    return first


@compiled
def free_entry(pool: PoolState, entry: int) -> int:
    """The entry (of a day's list taken with :func:`take_day`) may be reused; returns the one after it."""
    after = pool.entry_next[entry]
    _spend(pool.ints, ENTRY_FREE, pool.entry_next, entry)
    return after


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


