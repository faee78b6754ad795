"""Meetings: the booking and holding of what the rules (:mod:`simkit.model.rules`) owe a client.

The functions below book each client's meetings in the diary of the person who holds the client
(:mod:`simkit.model.staff`) and, on each working day, hold the meetings booked for the day: a new
client's first meeting goes on the first day with room; each next meeting no earlier than
``meeting.early_days`` before it is due.

Every meeting the rules require while the client is with a person is owed, from the first
meeting (due on the deadline's last working day) on. The client table's ``booked_day`` is the day
of the client's booked meeting (NOT_BOOKED if none) and ``owed_day`` the day the meeting owed now
fell due (NOT_OWED if none). A meeting owed is held on time, held late, or missed: not held before
the next one falls due (the meeting then held is for the latest due), or before the client leaves.
The plan's dates before the first meeting are not owed (conversations follow the initial
interview), nor those that fall while the client waits for a person or that a service moves
further apart.

They are compiled (:mod:`simkit.model.compiled`) and take the
:class:`simkit.model.office.Office`: the client table, every pool's state, the rules in force and
the meetings' own state; :class:`simkit.model.office.Meetings` offers them to Python.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simkit.model.client_table import WITH_STAFF
from simkit.model.compiled import compiled
from simkit.model.diary import book, open_day
from simkit.model.diary import cancel as cancel_minutes
from simkit.model.pool_state import (
    DUE_HELD,
    DUE_MISSED,
    DUE_OWED,
    DUE_PENDING,
    HELD,
    LATE,
    NO_SHOWS,
    NONE,
    NOT_BOOKED,
    NOT_OWED,
    PoolState,
    free_entry,
    take_day,
)
from simkit.model.rules import (
    MeetingRules,
    first_meeting_deadlines,
    first_not_before,
    meeting_rules,
    owes_first_meeting,
    plan_next_due,
    scenario_meeting_rules,
)
from simkit.units import YEAR

if TYPE_CHECKING:
    from simkit.model.client_table import ClientTable
    from simkit.model.office import Office

__all__ = ["YEAR", "MeetingRules", "first_meeting_deadlines", "meeting_rules", "owes_first_meeting",
           "scenario_meeting_rules"]

NO_SHOW_DRAWS = 4096  # uniforms drawn at a time for no-shows
FIRST_POOL, FIRST_DAY, FIRST_WORKING_DAYS, FIRST_ON_TIME, FIRST_CLIENT = range(5)  # rows of MeetingBook.first
FIRST_COUNT, DRAWN = range(2)  # MeetingBook.ints


@compiled
def next_due(o: Office, client: int, from_day: int) -> float:
    """The first day on or after ``from_day`` on which a meeting is due by the rules for the
    client's status (inf: none): the plan with no early window."""
    c = o.clients
    due = plan_next_due(o.rules, c.status[client], c.registration[client], from_day, 0,
                        c.new_job_search[client], c.supplementary_need[client])
    return due if due == math.inf else max(float(math.floor(due)), float(from_day))


# -- booking ---------------------------------------------------------------------------------
@compiled
def book_on_assignment(o: Office, client: int, p: int, person: int, from_day: int) -> None:
    """A person of pool ``p`` has taken the client: book the first meeting on the first day >=
    ``from_day`` with room, or (a client who has had it) the next meeting the rules require."""
    if o.clients.first_done[client]:
        book_next(o, client, p, person, from_day, NOT_OWED)
        return
    _owe(o, p, client, _first_meeting_due(o, client))
    o.clients.booked_day[client] = _book_first(o, client, p, person, from_day)


@compiled
def _book_first(o: Office, client: int, p: int, person: int, earliest: int) -> int:
    """Book the client's first meeting on the first day >= ``earliest`` with time for it. Under the
    "bump" policy, if that is after the deadline, the first meeting takes the place of the last
    routine meeting booked on the first day from ``earliest`` that has one (:func:`give_way`; booked
    again on the first day with time after it, :func:`book_again`)."""
    pool = o.pools[p]
    last = open_day(pool, person, earliest, True)
    gave_way, day = -1, -1
    if o.rules.bump and last > o.clients.owed_day[client]:
        gave_way, day = give_way(o, p, person, earliest, last)
    if gave_way < 0:
        booked = book(pool, person, earliest, client, True, False)
    else:
        booked = book(pool, person, day, client, True, True)
    book_again(o, p, person, gave_way, day, pool.meeting_minutes)
    return booked


@compiled
def give_way(o: Office, p: int, person: int, first_day: int, end_day: int) -> tuple[int, int]:
    """Make room for work that goes first (a late first meeting, a statement): the last routine (not
    first) meeting booked on the first of the days ``[first_day, end_day)`` that has one gives its
    minutes back. That (client, day) for :func:`book_again` once the work has its minutes; (-1, -1)
    if no day has one."""
    for day in range(first_day, end_day):
        client = _last_routine_meeting(o, p, person, day)
        if client >= 0:
            cancel_minutes(o.pools[p], person, day)
            return client, day
    return -1, -1


@compiled
def book_again(o: Office, p: int, person: int, client: int, day: int, work_minutes: float) -> None:
    """Book a meeting that gave way (``client`` >= 0, on ``day``) again, once the work (of
    ``work_minutes``) has its minutes: work shorter than the meeting (a short statement) leaves it on
    its day, on what the work left of the minutes it gave back, running over into the next days with
    time (its day runs over by the statement's minutes); work that took all of them (a first meeting,
    a long statement) sends it to the next day with time, by the diary's own rule from its day."""
    if client >= 0:
        pool = o.pools[p]
        o.clients.booked_day[client] = book(pool, person, day, client, False, work_minutes < pool.meeting_minutes)


@compiled
def _last_routine_meeting(o: Office, p: int, person: int, day: int) -> int:
    """The client of the person's last routine (not first) meeting booked on ``day``; -1 if none."""
    c, pool = o.clients, o.pools[p]
    entry = pool.last_own_entry[person, day]  # (the last such entry of the day is always the person's own)
    while entry != NONE:
        client = pool.entry_client[entry]
        if (c.booked_day[client] == day and c.staff[client] == person and c.first_done[client]
                and c.state[client] == WITH_STAFF and pool_of(c, client) == p):
            return client
        entry = pool.entry_before[entry]
    return -1


@compiled
def pool_of(c: ClientTable, client: int) -> int:
    """The pool that serves the client now."""
    return c.coach_pool[client] if c.municipal[client] else c.te_pool


@compiled
def _first_meeting_due(o: Office, client: int) -> int:
    """The last day of the client's first-meeting deadline: its last working day."""
    registered = math.floor(o.clients.registration[client])
    through = o.book.working_days_through
    before = through[registered] if registered >= 0 else 0
    return first_not_before(through, len(through), before + o.clients.first_deadline[client])


@compiled
def book_next(o: Office, client: int, p: int, person: int, from_day: int, after_due: int) -> None:
    """Book the next meeting the rules require: the first due on or after ``from_day`` and after
    ``after_due`` (the due day of the meeting just held; NOT_OWED: none), on a day from
    ``from_day``, no earlier than ``early_days`` before it (further out while in a service)."""
    c = o.clients
    due = next_due(o, client, from_day if from_day > after_due else after_due + 1)
    if due == math.inf:
        c.booked_day[client], c.owed_day[client] = NOT_BOOKED, NOT_OWED
        return
    due_day = int(due)
    if c.service_until[client] > from_day:  # in a service: meetings further apart
        held = from_day - 1
        due_day = held + math.ceil((due_day - held) * c.service_factor[client])
    _owe(o, p, client, due_day)
    earliest = due_day - o.rules.early_days
    c.booked_day[client] = book(o.pools[p], person, max(from_day, earliest), client,
                                False, False)


@compiled
def _owe(o: Office, p: int, client: int, due_day: int) -> None:
    o.clients.owed_day[client] = due_day
    _count(o.pools[p], DUE_OWED, due_day, 1)


@compiled
def _count(pool: PoolState, row: int, due_day: int, add: int) -> None:
    if due_day < len(pool.day_minutes):
        pool.counts[row, due_day] += add


@compiled
def cancel(o: Office, client: int, p: int, person: int, now: float) -> None:
    """The client leaves the person at ``now``: a meeting booked after ``now`` gives its minutes
    back; the meeting owed is missed if it fell due before ``now`` (with any due since), else
    no longer owed."""
    c, pool = o.clients, o.pools[p]
    booked = c.booked_day[client]
    if booked != NOT_BOOKED and booked > now:
        cancel_minutes(pool, person, booked)
    c.booked_day[client] = NOT_BOOKED
    owed = c.owed_day[client]
    if owed != NOT_OWED and owed >= now:
        _count(pool, DUE_OWED, owed, -1)
    elif owed != NOT_OWED:
        _count(pool, DUE_MISSED, _fall_due(o, client, p, owed, now, DUE_MISSED), 1)
    c.owed_day[client] = NOT_OWED


@compiled
def _fall_due(o: Office, client: int, p: int, due_day: int, before: float, row: int) -> int:
    """The plan's dues after ``due_day`` that fell before ``before`` (days) are owed too (none before
    the first meeting): count ``due_day`` and each of them but the last in ``row`` (missed, or
    pending at the end) and return the last (``due_day`` if none fell)."""
    if not o.clients.first_done[client]:
        return due_day
    due = next_due(o, client, due_day + 1)
    while due < before:
        fallen = int(due)
        _owe(o, p, client, fallen)
        o.pools[p].counts[row, due_day] += 1
        due_day = fallen
        due = next_due(o, client, fallen + 1)
    return due_day


@compiled
def status_changed(o: Office, client: int, now: float) -> None:
    """The client's status changed at ``now`` (days): under rules that owe meetings by status,
    the meeting owed now ends (missed if already due) and the next one is booked by the new
    status. An initial interview still owed stays."""
    c = o.clients
    if not o.rules.by_status or not c.first_done[client]:
        return
    p, person = pool_of(c, client), c.staff[client]
    cancel(o, client, p, person, now)
    book_next(o, client, p, person, math.floor(now) + 1, NOT_OWED)


@compiled
def move_out_for_service(o: Office, client: int, day: int) -> None:
    """A client starting a service on ``day`` has the next periodic meeting, not yet due,
    moved further out."""
    c = o.clients
    booked = c.booked_day[client]
    if not c.first_done[client] or booked == NOT_BOOKED or booked <= day or c.owed_day[client] <= day:
        return
    p, person = pool_of(c, client), c.staff[client]
    cancel_minutes(o.pools[p], person, booked)
    _count(o.pools[p], DUE_OWED, c.owed_day[client], -1)
    book_next(o, client, p, person, day + 1, NOT_OWED)


@compiled
def close(o: Office, horizon: int) -> None:
    """At the end of the run: the meetings owed that fell due before ``horizon`` and are not
    yet held or missed are pending."""
    c = o.clients
    for client in range(len(c.owed_day)):
        due_day = c.owed_day[client]
        if due_day == NOT_OWED or due_day >= horizon or c.state[client] != WITH_STAFF:
            continue
        p = pool_of(c, client)
        o.pools[p].counts[DUE_PENDING, _fall_due(o, client, p, due_day, horizon, DUE_PENDING)] += 1


# -- holding ---------------------------------------------------------------------------------
@compiled
def hold(o: Office, p: int, day: int) -> None:
    """Hold the meetings booked for ``day`` in pool ``p`` and book each client's next one."""
    c, pool, rules = o.clients, o.pools[p], o.rules
    entry = take_day(pool, day)
    from_day = day + 1
    held = late = no_shows = 0
    while entry != NONE:
        client = pool.entry_client[entry]
        entry = free_entry(pool, entry)  # (the next; this one may be reused for the bookings below)
        if c.booked_day[client] != day or c.state[client] != WITH_STAFF:
            continue  # cancelled: the client left before the day
        if pool_of(c, client) != p:
            continue  # cancelled: the client moved to the other pool (its meeting today is there)
        person = c.staff[client]
        if rules.no_show_share and _no_show(o) < rules.no_show_share:
            no_shows += 1
            again = day + rules.rebook_days
            c.booked_day[client] = (book(pool, person, again, client, False, False) if c.first_done[client]
                                    else _book_first(o, client, p, person, again))
            continue
        held += 1
        due_day = c.owed_day[client]
        if c.first_done[client]:
            if due_day < day:  # the next fell due before this meeting: the one owed is missed, this is for the latest
                due_day = _fall_due(o, client, p, due_day, from_day, DUE_MISSED)
            # late if held after the due day, or after the first working day after it
            late += day > o.book.working_day_from[due_day]
        else:
            late += _hold_first_meeting(o, p, client, day)
        pool.counts[DUE_HELD, due_day] += 1  # (within the diary: no later than early_days after today)
        book_next(o, client, p, person, from_day, due_day)
    pool.counts[HELD, day] += held
    pool.counts[LATE, day] += late
    pool.counts[NO_SHOWS, day] += no_shows


@compiled
def _no_show(o: Office) -> float:
    """The next uniform of the no-show stream (the engine draws them ahead: :meth:`Meetings.draw_no_shows`)."""
    drawn = o.book.ints[DRAWN]
    o.book.ints[DRAWN] = drawn + 1
    return o.book.draws[drawn]


@compiled
def _hold_first_meeting(o: Office, p: int, client: int, day: int) -> bool:
    """Record a first meeting; True if it came later than the deadline in force at registration."""
    c, book_ = o.clients, o.book
    c.first_done[client] = True
    registered = math.floor(c.registration[client])
    before = book_.working_days_through[registered] if registered >= 0 else 0
    working_days = book_.working_days_through[day] - before
    on_time = working_days <= c.first_deadline[client]
    row = book_.ints[FIRST_COUNT]
    book_.first[FIRST_POOL, row], book_.first[FIRST_DAY, row] = p, day
    book_.first[FIRST_WORKING_DAYS, row], book_.first[FIRST_ON_TIME, row] = working_days, on_time
    book_.first[FIRST_CLIENT, row] = client
    book_.ints[FIRST_COUNT] = row + 1
    return not on_time


