"""StaffPool directly: least-loaded assignment, the cap, the diary (booking, cancelling, reserving)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simkit.model.staff import NOT_BOOKED, StaffPool

# a week of meeting minutes per person: a weekend day (no time), then four days of 90 minutes
WEEK = np.array([0.0, 90.0, 90.0, 90.0, 90.0])


def pool(people: int = 2, cap: int = 3, on_duty: int | None = None) -> StaffPool:
    return StaffPool("coach", on_duty=people if on_duty is None else on_duty, max_staff=people, caseload_cap=cap,
                     meeting_minutes=45.0, day_minutes=WEEK)


def test_a_meeting_is_booked_on_the_first_day_with_room():
    coaches = pool()
    assert [coaches.book(0, 0, client) for client in range(5)] == [1, 1, 2, 2, 3]
    assert coaches.meetings_on[1] == [0, 1] and coaches.meetings_on[3] == [4]
    assert coaches.book(1, 0, 9) == 1  # another person's diary is their own


def test_a_meeting_is_not_booked_before_its_earliest_day():
    coaches = pool()
    assert coaches.book(0, 3, client=0) == 3
    assert coaches.book(0, 0, client=1) == 1  # the days before stay free


def test_past_the_diary_nothing_is_booked():
    coaches = pool()
    assert [coaches.book(0, 3, client) for client in range(5)] == [3, 3, 4, 4, NOT_BOOKED]
    assert coaches.book(0, 7, client=9) == NOT_BOOKED


def test_a_cancel_frees_the_minutes():
    coaches = pool()
    for client in range(4):
        coaches.book(0, 0, client)  # days 1 and 2 full
    coaches.cancel(0, 1)
    assert coaches.book(0, 0, client=9) == 1
    assert coaches.book(0, 0, client=10) == 3


def test_a_statement_takes_minutes_without_a_meeting():
    coaches = pool()
    assert coaches.reserve(0, 1, 60.0) == 1
    assert coaches.meetings_on[1] == []
    assert coaches.book(0, 0, client=0) == 1  # 30 minutes left on day 1: the meeting starts there ...
    assert coaches.free_minutes[0][1:3] == [0.0, 75.0]  # ... and runs 15 minutes into day 2
    assert coaches.reserve(0, 0, 30.0) == 2


def test_the_diary_is_a_line_of_minutes_whole_meetings_do_not_waste_the_rest_of_a_day():
    """259 minutes a day hold 5.76 meetings of 45 minutes a day, not 5 (the old diary booked only
    whole meetings into a day: 500 in 100 days)."""
    coaches = StaffPool("coach", on_duty=1, max_staff=1, caseload_cap=9, meeting_minutes=45.0,
                        day_minutes=np.full(100, 259.0))
    booked = 0
    while coaches.book(0, 0, booked) != NOT_BOOKED:
        booked += 1
    assert booked == math.ceil(100 * 259.0 / 45.0)  # the last one runs past the diary's end
    assert max(len(day) for day in coaches.meetings_on) == 6


def test_minutes_kept_for_first_meetings_open_the_day_before():
    coaches = StaffPool("coach", on_duty=1, max_staff=1, caseload_cap=9, meeting_minutes=45.0,
                        day_minutes=WEEK, reserve_share=0.5)  # 45 open and 45 kept minutes a day
    assert [coaches.book(0, 0, client) for client in range(3)] == [1, 2, 3]  # routine: the open minutes
    assert coaches.book(0, 0, client=3, first=True) == 1  # a first meeting: the kept ones
    assert coaches.book(0, 0, client=4, first=True) == 2
    coaches.release_reserve(3)  # on day 2, day 3's kept minutes open to any meeting
    assert coaches.book(0, 0, client=5) == 3
    assert coaches.book(0, 0, client=6) == 4
    assert coaches.book(0, 0, client=7, first=True) == 4  # day 4 still keeps its minutes


def test_a_first_meeting_takes_open_minutes_when_the_kept_ones_are_gone():
    coaches = StaffPool("coach", on_duty=1, max_staff=1, caseload_cap=9, meeting_minutes=45.0,
                        day_minutes=WEEK, reserve_share=0.25)  # 67.5 open and 22.5 kept minutes a day
    assert coaches.book(0, 1, client=0, first=True) == 1
    assert coaches.kept_minutes[0][1] == 0.0 and coaches.free_minutes[0][1] == pytest.approx(45.0)


def test_the_least_loaded_person_takes_the_next_client():
    coaches = pool(people=3, cap=5)
    assert [coaches.take_client() for _ in range(4)] == [0, 1, 2, 0]
    coaches.release_client(1)  # person 1 now holds nobody: the least loaded
    assert coaches.take_client() == 1
    assert coaches.caseload == [2, 1, 1]


def test_nobody_takes_a_client_when_all_are_at_the_cap():
    coaches = pool(people=2, cap=2)
    assert [coaches.take_client() for _ in range(5)] == [0, 1, 0, 1, -1]
    coaches.release_client(0)
    assert coaches.take_client() == 0 and coaches.take_client() == -1


def test_only_people_on_duty_take_clients():
    coaches = pool(people=3, cap=5, on_duty=1)
    assert [coaches.take_client() for _ in range(3)] == [0, 0, 0]
    coaches.set_on_duty(3)
    assert [coaches.take_client() for _ in range(2)] == [1, 2]
    coaches.set_on_duty(1)
    assert coaches.take_client() == 0


def test_work_without_a_caseload_goes_round_the_people_on_duty():
    coaches = pool(people=3, on_duty=2)
    assert [coaches.next_person_on_duty() for _ in range(3)] == [0, 1, 0]
    assert pool(people=1, on_duty=0).next_person_on_duty() == -1


def test_the_record_holds_the_minutes_of_the_people_on_duty():
    coaches = pool()
    coaches.take_client()
    coaches.waiting_count = 4
    record = coaches.record(horizon=4, on_duty_per_day=np.array([2, 2, 1, 0, 3]))
    np.testing.assert_array_equal(record.meeting_minutes_available, [0.0, 180.0, 90.0, 0.0])
    np.testing.assert_array_equal(record.caseload_at_end, [1, 0])
    assert record.waiting_at_end == 4 and len(record.held) == 4
