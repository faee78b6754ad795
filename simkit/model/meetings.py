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
def next_due(office: Office, client: int, from_day: int) -> float:
    """The first day on or after ``from_day`` on which a meeting is due by the rules for the
    client's status (inf: none): the plan with no early window."""
    clients = office.clients
    due = plan_next_due(office.rules, clients.status[client], clients.registration[client], from_day, 0,
                        clients.new_job_search[client], clients.supplementary_need[client])
    return due if due == math.inf else max(float(math.floor(due)), float(from_day))


# -- booking ---------------------------------------------------------------------------------
@compiled
def book_on_assignment(office: Office, client: int, pool_index: int, person: int, from_day: int) -> None:
    """A person of the pool ``pool_index`` has taken the client: book the first meeting on the first
    day >= ``from_day`` with room, or (a client who has had it) the next meeting the rules require."""
    if office.clients.first_done[client]:
        book_next(office, client, pool_index, person, from_day, NOT_OWED)
        return
    _owe(office, pool_index, client, _first_meeting_due(office, client))
    office.clients.booked_day[client] = _book_first(office, client, pool_index, person, from_day)


@compiled
def _book_first(office: Office, client: int, pool_index: int, person: int, earliest: int) -> int:
    """Book the client's first meeting on the first day >= ``earliest`` with time for it. Under the
    "bump" policy, if that is after the deadline, the first meeting takes the place of the last
    routine meeting booked on the first day from ``earliest`` that has one (:func:`give_way`; booked
    again on the first day with time after it, :func:`book_again`)."""
    pool = office.pools[pool_index]
    last = open_day(pool, person, earliest, True)
    gave_way, day = -1, -1
    if office.rules.bump and last > office.clients.owed_day[client]:
        gave_way, day = give_way(office, pool_index, person, earliest, last)
    if gave_way < 0:
        booked = book(pool, person, earliest, client, True, False)
    else:
        booked = book(pool, person, day, client, True, True)
    book_again(office, pool_index, person, gave_way, day, pool.meeting_minutes)
    return booked


@compiled
def give_way(office: Office, pool_index: int, person: int, first_day: int, end_day: int) -> tuple[int, int]:
    """Make room for work that goes first (a late first meeting, a statement): the last routine (not
    first) meeting booked on the first of the days ``[first_day, end_day)`` that has one gives its
    minutes back. That (client, day) for :func:`book_again` once the work has its minutes; (-1, -1)
    if no day has one."""
    for day in range(first_day, end_day):
        client = _last_routine_meeting(office, pool_index, person, day)
        if client >= 0:
            cancel_minutes(office.pools[pool_index], person, day)
            return client, day
    return -1, -1


@compiled
def book_again(office: Office, pool_index: int, person: int, client: int, day: int, work_minutes: float) -> None:
    """Book a meeting that gave way (``client`` >= 0, on ``day``) again, once the work (of
    ``work_minutes``) has its minutes: work shorter than the meeting (a short statement) leaves it on
    its day, on what the work left of the minutes it gave back, running over into the next days with
    time (its day runs over by the statement's minutes); work that took all of them (a first meeting,
    a long statement) sends it to the next day with time, by the diary's own rule from its day."""
    if client >= 0:
        pool = office.pools[pool_index]
        office.clients.booked_day[client] = book(pool, person, day, client, False, work_minutes < pool.meeting_minutes)


@compiled
def _last_routine_meeting(office: Office, pool_index: int, person: int, day: int) -> int:
    """The client of the person's last routine (not first) meeting booked on ``day``; -1 if none."""
    clients, pool = office.clients, office.pools[pool_index]
    entry = pool.last_own_entry[person, day]  # (the last such entry of the day is always the person's own)
    while entry != NONE:
        client = pool.entry_client[entry]
        if (clients.booked_day[client] == day and clients.staff[client] == person and clients.first_done[client]
                and clients.state[client] == WITH_STAFF and pool_of(clients, client) == pool_index):
            return client
        entry = pool.entry_before[entry]
    return -1


@compiled
def pool_of(clients: ClientTable, client: int) -> int:
    """The pool that serves the client now."""
    return clients.coach_pool[client] if clients.municipal[client] else clients.te_pool


@compiled
def _first_meeting_due(office: Office, client: int) -> int:
    """The last day of the client's first-meeting deadline: its last working day."""
    registered = math.floor(office.clients.registration[client])
    through = office.book.working_days_through
    before = through[registered] if registered >= 0 else 0
    return first_not_before(through, len(through), before + office.clients.first_deadline[client])


@compiled
def book_next(office: Office, client: int, pool_index: int, person: int, from_day: int, after_due: int) -> None:
    """Book the next meeting the rules require: the first due on or after ``from_day`` and after
    ``after_due`` (the due day of the meeting just held; NOT_OWED: none), on a day from
    ``from_day``, no earlier than ``early_days`` before it (further out while in a service)."""
    clients = office.clients
    due = next_due(office, client, from_day if from_day > after_due else after_due + 1)
    if due == math.inf:
        clients.booked_day[client], clients.owed_day[client] = NOT_BOOKED, NOT_OWED
        return
    due_day = int(due)
    if clients.service_until[client] > from_day:  # in a service: meetings further apart
        held = from_day - 1
        due_day = held + math.ceil((due_day - held) * clients.service_factor[client])
    _owe(office, pool_index, client, due_day)
    earliest = due_day - office.rules.early_days
    clients.booked_day[client] = book(office.pools[pool_index], person, max(from_day, earliest), client,
                                False, False)


@compiled
def _owe(office: Office, pool_index: int, client: int, due_day: int) -> None:
    office.clients.owed_day[client] = due_day
    _count(office.pools[pool_index], DUE_OWED, due_day, 1)


@compiled
def _count(pool: PoolState, row: int, due_day: int, add: int) -> None:
    if due_day < len(pool.day_minutes):
        pool.counts[row, due_day] += add


@compiled
def cancel(office: Office, client: int, pool_index: int, person: int, now: float) -> None:
    """The client leaves the person at ``now``: a meeting booked after ``now`` gives its minutes
    back; the meeting owed is missed if it fell due before ``now`` (with any due since), else
    no longer owed."""
    clients, pool = office.clients, office.pools[pool_index]
    booked = clients.booked_day[client]
    if booked != NOT_BOOKED and booked > now:
        cancel_minutes(pool, person, booked)
    clients.booked_day[client] = NOT_BOOKED
    owed = clients.owed_day[client]
    if owed != NOT_OWED and owed >= now:
        _count(pool, DUE_OWED, owed, -1)
    elif owed != NOT_OWED:
        _count(pool, DUE_MISSED, _fall_due(office, client, pool_index, owed, now, DUE_MISSED), 1)
    clients.owed_day[client] = NOT_OWED


@compiled
def _fall_due(office: Office, client: int, pool_index: int, due_day: int, before: float, row: int) -> int:
    """The plan's dues after ``due_day`` that fell before ``before`` (days) are owed too (none before
    the first meeting): count ``due_day`` and each of them but the last in ``row`` (missed, or
    pending at the end) and return the last (``due_day`` if none fell)."""
    if not office.clients.first_done[client]:
        return due_day
    due = next_due(office, client, due_day + 1)
    while due < before:
        fallen = int(due)
        _owe(office, pool_index, client, fallen)
        office.pools[pool_index].counts[row, due_day] += 1
        due_day = fallen
        due = next_due(office, client, fallen + 1)
    return due_day


@compiled
def status_changed(office: Office, client: int, now: float) -> None:
    """The client's status changed at ``now`` (days): under rules that owe meetings by status,
    the meeting owed now ends (missed if already due) and the next one is booked by the new
    status. An initial interview still owed stays."""
    clients = office.clients
    if not office.rules.by_status or not clients.first_done[client]:
        return
    pool_index, person = pool_of(clients, client), clients.staff[client]
    cancel(office, client, pool_index, person, now)
    book_next(office, client, pool_index, person, math.floor(now) + 1, NOT_OWED)


@compiled
def move_out_for_service(office: Office, client: int, day: int) -> None:
    """A client starting a service on ``day`` has the next periodic meeting, not yet due,
    moved further out."""
    clients = office.clients
    booked = clients.booked_day[client]
    if not clients.first_done[client] or booked == NOT_BOOKED or booked <= day or clients.owed_day[client] <= day:
        return
    pool_index, person = pool_of(clients, client), clients.staff[client]
    cancel_minutes(office.pools[pool_index], person, booked)
    _count(office.pools[pool_index], DUE_OWED, clients.owed_day[client], -1)
    book_next(office, client, pool_index, person, day + 1, NOT_OWED)


@compiled
def close(office: Office, horizon: int) -> None:
    """At the end of the run: the meetings owed that fell due before ``horizon`` and are not
    yet held or missed are pending."""
    clients = office.clients
    for client in range(len(clients.owed_day)):
        due_day = clients.owed_day[client]
        if due_day == NOT_OWED or due_day >= horizon or clients.state[client] != WITH_STAFF:
            continue
        pool_index = pool_of(clients, client)
        pending_day = _fall_due(office, client, pool_index, due_day, horizon, DUE_PENDING)
        office.pools[pool_index].counts[DUE_PENDING, pending_day] += 1


# -- holding ---------------------------------------------------------------------------------
@compiled
def hold(office: Office, pool_index: int, day: int) -> None:
    """Hold the meetings booked for ``day`` in the pool ``pool_index`` and book each client's next one."""
    clients, pool, rules = office.clients, office.pools[pool_index], office.rules
    entry = take_day(pool, day)
    from_day = day + 1
    held = late = no_shows = 0
    while entry != NONE:
        client = pool.entry_client[entry]
        entry = free_entry(pool, entry)  # (the next; this one may be reused for the bookings below)
        if clients.booked_day[client] != day or clients.state[client] != WITH_STAFF:
            continue  # cancelled: the client left before the day
        if pool_of(clients, client) != pool_index:
            continue  # cancelled: the client moved to the other pool (its meeting today is there)
        person = clients.staff[client]
        if rules.no_show_share and _no_show(office) < rules.no_show_share:
            no_shows += 1
            again = day + rules.rebook_days
            clients.booked_day[client] = (book(pool, person, again, client, False, False) if clients.first_done[client]
                                    else _book_first(office, client, pool_index, person, again))
            continue
        held += 1
        due_day = clients.owed_day[client]
        if clients.first_done[client]:
            if due_day < day:  # the next fell due before this meeting: the one owed is missed, this is for the latest
                due_day = _fall_due(office, client, pool_index, due_day, from_day, DUE_MISSED)
            # late if held after the due day, or after the first working day after it
            late += day > office.book.working_day_from[due_day]
        else:
            late += _hold_first_meeting(office, pool_index, client, day)
        pool.counts[DUE_HELD, due_day] += 1  # (within the diary: no later than early_days after today)
        book_next(office, client, pool_index, person, from_day, due_day)
    pool.counts[HELD, day] += held
    pool.counts[LATE, day] += late
    pool.counts[NO_SHOWS, day] += no_shows


@compiled
def _no_show(office: Office) -> float:
    """The next uniform of the no-show stream (the engine draws them ahead: :meth:`Meetings.draw_no_shows`)."""
    drawn = office.book.ints[DRAWN]
    office.book.ints[DRAWN] = drawn + 1
    return office.book.draws[drawn]


@compiled
def _hold_first_meeting(office: Office, pool_index: int, client: int, day: int) -> bool:
    """Record a first meeting; True if it came later than the deadline in force at registration."""
    clients, book_ = office.clients, office.book
    clients.first_done[client] = True
    registered = math.floor(clients.registration[client])
    before = book_.working_days_through[registered] if registered >= 0 else 0
    working_days = book_.working_days_through[day] - before
    on_time = working_days <= clients.first_deadline[client]
    row = book_.ints[FIRST_COUNT]
    book_.first[FIRST_POOL, row], book_.first[FIRST_DAY, row] = pool_index, day
    book_.first[FIRST_WORKING_DAYS, row], book_.first[FIRST_ON_TIME, row] = working_days, on_time
    book_.first[FIRST_CLIENT, row] = client
    book_.ints[FIRST_COUNT] = row + 1
    return not on_time


