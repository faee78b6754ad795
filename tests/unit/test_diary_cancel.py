"""A cancelled booking gives its minutes back to the days they were taken from (StaffPool).

Meetings run over into the following days with time; a cancel used to give all of a meeting's
minutes back to its own day, so minutes moved from later days (weeks ahead in a full diary) to
the cancelled day and a full diary could use more minutes than it had.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simkit.model.staff import NOT_BOOKED, ROOM, StaffPool

MEETING = 45.0
TAIL = [90.0] * 30  # enough room after the drawn days that no booking runs past the diary


def diary(day_minutes: list[float], reserve_share: float = 0.0, people: int = 2) -> StaffPool:
    return StaffPool("coach", on_duty=people, max_staff=people, caseload_cap=99, meeting_minutes=MEETING,
                     day_minutes=np.array(day_minutes + TAIL), reserve_share=reserve_share)


def used(pool: StaffPool, person: int) -> np.ndarray:
    """Minutes of each day the person's bookings use (the day's minutes less what is open or kept)."""
    days = pool.diary_days
    return pool.day_minutes - np.array(pool.free_minutes[person][:days]) - np.array(pool.kept_minutes[person][:days])


def first_day_with_room(pool: StaffPool, person: int, earliest: int, first: bool) -> int:
    """The first day >= ``earliest`` with open minutes (a first meeting: also kept ones), day by day."""
    free, kept = pool.free_minutes[person], pool.kept_minutes[person]
    return next(day for day in range(earliest, pool.diary_days) if free[day] + (kept[day] if first else 0.0) > ROOM)


operations = st.lists(st.tuples(
    st.sampled_from(["book", "first", "statement", "cancel", "in place", "release"]),
    st.integers(0, 1),  # person
    st.integers(0, 9),  # earliest day, or which booking to cancel
    st.sampled_from([10.0, 30.0, 45.0, 60.0]),  # statement minutes
), max_size=25)


@settings(max_examples=300, deadline=None)
@given(day_minutes=st.lists(st.sampled_from([0.0, 20.0, 37.5, 90.0]), min_size=3, max_size=10),
       reserve_share=st.sampled_from([0.0, 0.3]), steps=operations)
def test_the_minutes_used_are_the_minutes_of_the_bookings_held(day_minutes, reserve_share, steps):
    """After any books, first meetings, statements, cancels, bookings in the place of a cancelled
    meeting and openings of kept minutes: each person's diary uses exactly the minutes of the
    meetings and statements held, and no day uses more than it has or less than nothing. Each booking
    lands on the first day with room, found day by day (the first-open-day cache stays right)."""
    pool = diary(day_minutes, reserve_share)
    meetings: list[list[int]] = [[], []]  # per person, the days of meetings held
    statements = [0.0, 0.0]  # per person, minutes of statements written
    for what, person, day, minutes in steps:
        if what in ("book", "first"):
            expected = first_day_with_room(pool, person, day, what == "first")
            booked = pool.book(person, day, client=0, first=what == "first")
            assert booked == expected != NOT_BOOKED
            meetings[person].append(booked)
        elif what == "statement":
            expected = first_day_with_room(pool, person, day, first=False)
            assert pool.reserve(person, day, minutes) == expected
            statements[person] += minutes
        elif what == "release":
            pool.release_reserve(day)
        elif meetings[person]:  # cancel one (and, "in place", book a first meeting or a statement in its place)
            cancelled = meetings[person].pop(day % len(meetings[person]))
            pool.cancel(person, cancelled)
            if what == "in place" and minutes == MEETING:
                assert pool.book(person, cancelled, client=0, first=True, in_place=True) == cancelled
                meetings[person].append(cancelled)
            elif what == "in place":
                assert pool.reserve(person, cancelled, minutes, in_place=True) == cancelled
                statements[person] += minutes
    for person in (0, 1):
        minutes_used = used(pool, person)
        assert np.all(minutes_used >= -1e-9) and np.all(minutes_used <= pool.day_minutes + 1e-9)
        assert math.isclose(minutes_used.sum(), MEETING * len(meetings[person]) + statements[person], abs_tol=1e-6)


def test_a_cancel_after_a_run_over_restores_the_later_day_exactly():
    """Day 1 has 20 minutes: a meeting takes them and 25 of day 3 (day 2 is a holiday); cancelled,
    it gives day 3 its 25 minutes back and day 1 its 20."""
    pool = diary([0.0, 20.0, 0.0, 90.0])
    assert pool.book(0, 0, client=1) == 1
    assert pool.free_minutes[0][1:4] == [0.0, 0.0, 65.0]
    pool.cancel(0, 1)
    assert pool.free_minutes[0][1:4] == [20.0, 0.0, 90.0]


def test_a_cancel_gives_back_the_day_s_own_minutes_first_then_the_run_over():
    """Day 1 has 60 minutes: two meetings take them and 30 of day 3. The first cancel gives day 1 45
    minutes (the day's own); the second its last 15 and day 3 its 30: both days are whole again."""
    pool = diary([0.0, 60.0, 0.0, 90.0])
    assert [pool.book(0, 0, client) for client in (1, 2)] == [1, 1]
    assert pool.free_minutes[0][1:4] == [0.0, 0.0, 60.0]
    pool.cancel(0, 1)
    assert pool.free_minutes[0][1:4] == [45.0, 0.0, 60.0]
    assert pool.book(0, 0, client=3) == 1  # the next booking takes the day's minutes, no run-over
    assert pool.free_minutes[0][1:4] == [0.0, 0.0, 60.0]
    pool.cancel(0, 1)
    pool.cancel(0, 1)
    assert pool.free_minutes[0][1:4] == [60.0, 0.0, 90.0]


def test_work_in_the_place_of_a_cancelled_meeting_is_on_its_day():
    """A meeting on day 1 that took its 20 minutes and ran over gives way: a 45-minute statement in its
    place is written on day 1, on the minutes the meeting gave back (day 1's, then day 3's)."""
    pool = diary([0.0, 20.0, 0.0, 90.0])
    pool.book(0, 0, client=1)
    pool.cancel(0, 1)
    assert pool.reserve(0, 1, 45.0, in_place=True) == 1
    assert pool.free_minutes[0][1:4] == [0.0, 0.0, 65.0]
    assert pool.book(0, 0, client=3) == 3  # day 1 is full again
