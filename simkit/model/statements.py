"""Labour-policy statements (työvoimapoliittiset lausunnot): diary work with a due date.

Statements arise for each active client at ``statements.per_client_month`` (drawn up front).
On the day one is raised:

- the rules' ``expert_share`` of statements (drawn from a stream of their own) go to the central
  unit (Uusimaa TE office from 10/2021, KEHA from 2025), which gives its statement
  ``expert_days`` calendar days later and takes no local diary time;
- every other statement takes ``statements.minutes`` from a writer's diary like a meeting: the
  client's own coach for the rules' ``coach_share`` of pilot clients' statements, else the TE
  experts in turn. Each writer works in the order raised, from the day raised and the day of
  their previous statement. They are due ``statements.due_days`` after raising; later ones delay
  Kela's payment, so (``statements.priority``):

  - "before_routine_meetings" (the default): the statement goes on the first day with time or
    with a routine (not first) meeting booked. That meeting gives way (:meth:`Meetings.give_way`,
    the rule by which a late first meeting goes first): the statement takes its minutes from the
    day, and the meeting is booked again by the diary's own rule from its day
    (:meth:`Meetings.book_again`): on what is left of the day, running over into the next days
    with time, or on the next day with time if the statement took the whole day. So the
    statement's minutes come out of the first days with time, where the meetings booked from
    now on find less room: the meetings pay for the statement with its minutes, no more. First
    meetings keep their place; today's meetings, already held, do not move;
  - "diary_order": the statement goes on the first day with room, behind every meeting already
    booked, so when diaries are full statements wait.

A writer pool with nobody on duty (only possible after a dated event; a scenario that starts
so is refused on loading) hands the statement to the other pool: a coach team's to the TE
experts, the TE experts' to the client's coach team. With nobody on duty in either, the
statement waits and is tried again after the next dated event. No statement is lost: each is
written (a day in a diary), referred, or waiting.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from simkit.model.calendar import WeeklyHours, day_ends
from simkit.model.clients import draw_client_events
from simkit.model.journey import WITH_STAFF, ClientTable
from simkit.model.meetings import Meetings
from simkit.model.staff import NOT_BOOKED, StaffPool
from simkit.observations import Population, StatementRecord
from simkit.scenario.schema import Scenario
from simkit.scenario.schema import Statements as StatementRules
from simkit.scenario.timeline import Timeline

NO_WRITER = -1  # a statement's pool while it waits for somebody on duty (or when referred)


class Statements:
    """The statements of one run, in time order: referred, or who wrote each on which day."""

    def __init__(self, timeline: Timeline, population: Population, horizon: int,
                 working_hours: Callable[[np.ndarray | None], WeeklyHours],
                 streams: dict[str, np.random.Generator], clients: ClientTable, pools: list[StaffPool],
                 meetings: Meetings):
        self.raised, self.client = draw_client_events(
            timeline, population, horizon, working_hours, lambda s: s.statements.per_client_month,
            streams["statements"],
        )
        count = len(self.raised)
        self._writer_draw = streams["statement_writers"].random(count).tolist()  # coach or TE
        self._referral_draw = streams["statement_referrals"].random(count).tolist()  # to the central unit?
        self._day_ends = day_ends(self.raised, horizon)
        self._next = 0
        self._pool = [NO_WRITER] * count
        self._written = [NOT_BOOKED] * count
        self._referred = [False] * count
        self._waiting: list[int] = []  # statements with nobody on duty to write them, in the order raised
        self._retry = False  # a dated event may have brought writers back
        self._clients = clients
        self._pools = pools
        self._meetings = meetings
        self._writer_free_from: list[dict[int, int]] = [{} for _ in pools]  # each writer's last statement day
        self.rules: StatementRules | None = None  # the rules in force (set by the dated events)

    def set_rules(self, scenario: Scenario) -> None:
        self.rules = scenario.statements
        self._before_meetings = scenario.statements.priority == "before_routine_meetings"
        self._retry = True

    def write_raised_by(self, day: int) -> None:
        """Refer each statement raised on ``day`` or book its writing (waiting ones first)."""
        if self._retry and self._waiting:
            waiting, self._waiting = self._waiting, []
            for statement in waiting:
                self._write(statement, day)
        self._retry = False
        last = self._day_ends[day]
        expert_share, expert_days = self.rules.expert_share, self.rules.expert_days
        for statement in range(self._next, last):
            if self._referral_draw[statement] < expert_share:
                self._referred[statement] = True
                self._written[statement] = day + math.ceil(expert_days)
            else:
                self._write(statement, day)
        self._next = last

    def _write(self, statement: int, day: int) -> None:
        """The writer's first day with room on or after ``day`` and their previous statement (with
        priority: or with a routine meeting, which gives way)."""
        index = self._writer_pool(statement)
        if index == NO_WRITER:
            self._waiting.append(statement)
            return
        clients, client, pool = self._clients, int(self.client[statement]), self._pools[index]
        own = clients.state[client] == WITH_STAFF and clients.pool_index(client) == index
        person = clients.staff[client] if own else pool.next_person_on_duty()
        free_from = self._writer_free_from[index]
        earliest = max(day, free_from.get(person, 0))
        gave_way = (self._meetings.give_way(pool, person, range(earliest, pool.open_day(person, earliest)))
                    if self._before_meetings else None)
        written = (pool.reserve(person, earliest, self.rules.minutes) if gave_way is None
                   else pool.reserve(person, gave_way[1], self.rules.minutes, in_place=True))
        self._meetings.book_again(pool, person, gave_way, self.rules.minutes)
        self._pool[statement] = index
        self._written[statement] = written
        if written != NOT_BOOKED:
            free_from[person] = written
            pool.log.statement_minutes[written] += self.rules.minutes

    def _writer_pool(self, statement: int) -> int:
        """The pool that writes: the client's coach team (the rules' share of pilot clients'
        statements) or the TE experts; the other of the two if nobody is on duty; else NO_WRITER."""
        clients, client = self._clients, int(self.client[statement])
        coach, te = clients.coach_pool[client], clients.te_pool
        by_coach = clients.municipal[client] and self._writer_draw[statement] < self.rules.coach_share
        for index in ((coach, te) if by_coach else (te, coach)):
            if self._pools[index].on_duty:
                return index
        return NO_WRITER

    @property
    def handled(self) -> int:
        """Statements raised so far (each handled on its day)."""
        return self._next

    def record(self) -> StatementRecord:
        return StatementRecord(raised=self.raised, client=self.client, pool=np.asarray(self._pool, dtype=int),
                               written_day=np.asarray(self._written, dtype=int),
                               referred=np.asarray(self._referred, dtype=bool))
