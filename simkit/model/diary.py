"""The diary: each staff member's line of client minutes, and booking meetings and other work in it.

See :mod:`simkit.model.staff` for the rules (a meeting takes its minutes from the first day with
time and runs over into the next days; a cancel gives them back to the days they came from;
minutes kept for first meetings). The functions are compiled (:mod:`simkit.model.compiled`) and
work on a pool's :class:`simkit.model.pool_state.PoolState`.
"""

from __future__ import annotations

import numpy as np

from simkit.model.compiled import compiled
from simkit.model.pool_state import (
    KEEPS,
    NONE,
    NOT_BOOKED,
    ROOM,
    TO_RELEASE,
    PoolState,
    _add_entry,
    _add_piece,
    _free_piece,
)


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
        day = _take(pool, person, max(first_open, earliest_day),
                    pool.meeting_minutes, False)
    if day != NOT_BOOKED:
        _add_entry(pool, day, client, person)
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



def minutes_used(day_minutes: np.ndarray, free, kept, horizon: int) -> np.ndarray:
    """Client minutes taken from the diaries on each day before ``horizon``: each person's day less
    what is still open or kept for first meetings, summed over the people (the engine's arrays or the
    reference model's lists)."""
    days = np.asarray(day_minutes, dtype=float)[:horizon]
    open_now, kept_now = (np.asarray([row[:horizon] for row in rows], dtype=float).reshape(len(rows), len(days))
                          for rows in (free, kept))
    return np.sum(days - open_now - kept_now, axis=0)
