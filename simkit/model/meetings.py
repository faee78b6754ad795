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

They are compiled (:mod:`simkit.model.compiled`) and take the :class:`Office`: the client table,
every pool's state, the rules in force and this module's own state. :class:`Meetings` holds them
and offers the same operations to Python.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from simkit.model.calendar import Calendar
from simkit.model.compiled import compiled
from simkit.model.rules import (
    UNEMPLOYED,
    MeetingRules,
    first_meeting_deadlines,
    meeting_rules,
    owes_first_meeting,
    scenario_meeting_rules,
)
from simkit.model.staff import (
    DUE_HELD,
    DUE_MISSED,
    DUE_OWED,
    DUE_PENDING,
    HELD,
    INDEX,
    LATE,
    NO_SHOWS,
    NONE,
    NOT_BOOKED,
    NOT_OWED,
    PoolState,
    StaffPool,
    book,
    cancel as cancel_minutes,
    free_entries,
    open_day,
    take_day,
)
from simkit.observations import ClientState, FirstMeetings, Population
from simkit.scenario.schema import Scenario
from simkit.units import YEAR

if TYPE_CHECKING:
    from simkit.model.journey import ClientTable

__all__ = ["YEAR", "MeetingRules", "Meetings", "first_meeting_deadlines", "first_meeting_record", "meeting_rules",
           "owes_first_meeting", "scenario_meeting_rules"]

NO_SHOW_DRAWS = 4096  # uniforms drawn at a time for no-shows
WITH_STAFF = int(ClientState.WITH_STAFF)
NEW, RETURNING, NEW_WITHOUT, RETURNING_WITHOUT = range(4)  # rows of RulesInForce.plans
FIRST_POOL, FIRST_DAY, FIRST_WORKING_DAYS, FIRST_ON_TIME, FIRST_CLIENT = range(5)  # rows of MeetingBook.first
FIRST_COUNT, DRAWN = range(2)  # MeetingBook.ints


class RulesInForce(NamedTuple):
    """The meeting rules and settings of the period in force (:class:`MeetingRules` and ``[meeting]``)."""

    plans: np.ndarray  # float [4, longest]: days since registration of NEW ... RETURNING_WITHOUT, inf-padded
    plan_length: np.ndarray  # int [4]
    by_status: bool  # the unemployed follow the plan, the others a contact every contact_days
    contact_days: float
    need_based: bool  # supplementary conversations only for clients whose need draw is below need_share
    need_share: float
    early_days: int
    no_show_share: float
    rebook_days: int
    bump: bool  # "bump": a late first meeting takes the place of a routine one


class MeetingBook(NamedTuple):
    """This module's own state: calendar facts, the first meetings held, the no-show draws."""

    working_day_from: np.ndarray  # int [days]: the first working day >= d
    working_days_through: np.ndarray  # int [days]: working days in [0, d]
    first: np.ndarray  # int [5, clients]: FIRST_POOL ... FIRST_CLIENT of each first meeting held
    draws: np.ndarray  # float: no-show uniforms in the order used; DRAWN of them used
    ints: np.ndarray  # int: FIRST_COUNT, DRAWN


class Office(NamedTuple):
    """What the compiled day loop reads and writes: clients, pools, the meeting rules in force."""

    clients: ClientTable
    pools: tuple[PoolState, ...]
    rules: RulesInForce
    book: MeetingBook


def rules_in_force(scenario: Scenario) -> RulesInForce:
    """The meeting rules and settings of ``scenario`` as arrays."""
    rules = scenario_meeting_rules(scenario)
    without = rules.without_supplementary or ((), ())
    plans = (rules.later_meetings_due, rules.returning_meetings_due, *without)
    longest = max(len(plan) for plan in plans)
    table = np.full((4, longest + 1), math.inf)
    for row, plan in enumerate(plans):
        table[row, :len(plan)] = plan
    meeting = scenario.meeting
    return RulesInForce(
        plans=table, plan_length=np.array([len(plan) for plan in plans], dtype=np.int64),
        by_status=rules.by_status, contact_days=rules.contact_days if rules.by_status else 0.0,
        need_based=rules.without_supplementary is not None, need_share=float(rules.supplementary_need_share),
        early_days=int(meeting.early_days), no_show_share=float(meeting.no_show_share),
        rebook_days=int(meeting.rebook_days), bump=meeting.first_meeting_policy == "bump",
    )


def first_meeting_record(clients: ClientTable, first_meetings: dict[str, np.ndarray], calendar: Calendar,
                         population: Population) -> FirstMeetings:
    """Each client's first-meeting deadline (a day) and the day and working days it was held.

    A client owes a first meeting if they had one or still owe it at the end: not a client on the
    books on day 0, nor one whose first meeting the rules waive, nor one moved to the other side by
    a rule change before it (their next periodic meeting is due instead)."""
    n = len(population)
    registered = np.floor(np.maximum(population.registration, 0.0)).astype(int)
    target = calendar.working_days_through[registered] + np.asarray(clients.first_deadline)
    deadline = np.searchsorted(calendar.working_days_through, target, side="left")  # the deadline-th working day
    met_day, met_working_days = np.full(n, -1), np.full(n, -1)
    who = first_meetings["client"]
    met_day[who] = first_meetings["day"]
    met_working_days[who] = first_meetings["working_days"]
    owed = (met_day >= 0) | ~np.asarray(clients.first_done, dtype=bool)  # held, or still owed at the end
    return FirstMeetings(deadline_day=np.where(owed, deadline, -1), met_day=met_day, met_working_days=met_working_days)


# -- the rules -------------------------------------------------------------------------------
@compiled
def plan_next_due(rules: RulesInForce, status: int, registered: float, from_day: int, early_days: int,
                  new_job_search: bool, need: float) -> float:
    """When the client's next meeting is due (days from the run's start; inf: none), for a meeting
    booked on or after ``from_day``: :meth:`simkit.model.rules.MeetingRules.next_due` on arrays."""
    if rules.by_status and status != UNEMPLOYED:
        return from_day - 1 + rules.contact_days
    plan = NEW_WITHOUT if rules.need_based and need >= rules.need_share else NEW
    if not new_job_search and rules.plan_length[plan + 1] > 0:
        plan += 1
    index = _first_not_before(rules.plans[plan], rules.plan_length[plan], from_day + early_days - registered)
    return registered + rules.plans[plan, index] if index < rules.plan_length[plan] else math.inf


@compiled
def _first_not_before(values: np.ndarray, length: int, value: float) -> int:
    """The first index of the increasing ``values[:length]`` whose value is >= ``value`` (``length``:
    none), as ``bisect.bisect_left``."""
    low, high = 0, length
    while low < high:
        middle = (low + high) // 2
        if values[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


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
    entry = pool.last_entry[day]
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
    return _first_not_before(through, len(through), before + o.clients.first_deadline[client])


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
    c.booked_day[client] = book(o.pools[p], person, earliest if earliest > from_day else from_day, client,
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
    first = take_day(pool, day)
    from_day = day + 1
    held = late = no_shows = 0
    entry = first
    while entry != NONE:
        client = pool.entry_client[entry]
        entry = pool.entry_next[entry]
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
    free_entries(pool, first)
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


class Meetings:
    """Booking and holding the meetings of every pool, by the rules in force (the compiled functions
    above, on :attr:`office`)."""

    def __init__(self, clients: ClientTable, pools: list[StaffPool], calendar: Calendar,
                 no_show_rng: np.random.Generator):
        self._clients = clients
        self._pools = pools
        for index, pool in enumerate(pools):
            pool.state.ints[INDEX] = index
        self._calendar = calendar
        self._no_show_rng = no_show_rng
        self._book = MeetingBook(
            working_day_from=calendar.working_day_from.astype(np.int64),
            working_days_through=calendar.working_days_through.astype(np.int64),
            first=np.zeros((5, len(clients.registration)), dtype=np.int64),
            draws=np.zeros(0), ints=np.zeros(2, dtype=np.int64),
        )
        self._rules: RulesInForce | None = None

    @property
    def office(self) -> Office:
        """The state the compiled functions take (built anew: pools may have grown)."""
        return Office(self._clients, tuple(pool.state for pool in self._pools), self._rules, self._book)

    def set_rules(self, scenario: Scenario) -> None:
        """Put the meeting rules and settings of ``scenario`` in force (a dated event)."""
        self._rules = rules_in_force(scenario)

    def draw_no_shows(self, meetings: int) -> bool:
        """Draw no-show uniforms ahead so that at least ``meetings`` are left (blocks of NO_SHOW_DRAWS,
        each used from its end: the order of the stream's draws does not depend on when they are made).
        True if it drew (:attr:`office` has new draws)."""
        if not self._rules.no_show_share:
            return False
        draws, drawn = self._book.draws, int(self._book.ints[DRAWN])
        if len(draws) - drawn >= meetings:
            return False
        blocks = [draws[drawn:]]
        left = len(draws) - drawn
        while left < meetings:
            blocks.append(self._no_show_rng.random(NO_SHOW_DRAWS)[::-1])
            left += NO_SHOW_DRAWS
        self._book.ints[DRAWN] = 0
        self._book = self._book._replace(draws=np.concatenate(blocks))
        return True

    def first_meetings_of(self, p: int | None = None) -> dict[str, np.ndarray]:
        """The first meetings held by pool ``p`` (None: by every pool): day, working days after
        registration, on time, client."""
        first = self._book.first[:, :self._book.ints[FIRST_COUNT]]
        mine = first if p is None else first[:, first[FIRST_POOL] == p]
        return {"day": mine[FIRST_DAY], "working_days": mine[FIRST_WORKING_DAYS],
                "on_time": mine[FIRST_ON_TIME].astype(bool), "client": mine[FIRST_CLIENT]}

    # -- the operations, for Python (the engine's dated events, the tests) ----------------------
    def next_due(self, client: int, from_day: int) -> float:
        return next_due(self.office, client, from_day)

    def book_on_assignment(self, client: int, pool: StaffPool, person: int, from_day: int) -> None:
        book_on_assignment(self.office, client, self._index(pool), person, from_day)

    def book_next(self, client: int, pool: StaffPool, person: int, from_day: int, after_due: int = NOT_OWED) -> None:
        book_next(self.office, client, self._index(pool), person, from_day, after_due)

    def cancel(self, client: int, pool: StaffPool, person: int, now: float) -> None:
        cancel(self.office, client, self._index(pool), person, now)

    def status_changed(self, client: int, now: float) -> None:
        status_changed(self.office, client, now)

    def move_out_for_service(self, client: int, day: int) -> None:
        move_out_for_service(self.office, client, day)

    def hold(self, pool: StaffPool, day: int) -> None:
        self.draw_no_shows(int(pool.state.entries_on[day]))
        hold(self.office, self._index(pool), day)

    def close(self, horizon: int) -> None:
        close(self.office, horizon)

    def _index(self, pool: StaffPool) -> int:
        return int(pool.state.ints[INDEX])
