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
written (a day in a diary), referred, or waiting. The day's statements are handled by compiled
code (:func:`write_raised_by`; :mod:`simkit.model.compiled`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from simkit.model.calendar import WeeklyHours, day_ends, events_on_day
from simkit.model.client_table import WITH_STAFF
from simkit.model.clients import draw_client_events
from simkit.model.compiled import compiled
from simkit.model.diary import open_day, reserve
from simkit.model.meetings import book_again, give_way, pool_of
from simkit.model.office import Office
from simkit.model.pool_state import NOT_BOOKED, ON_DUTY
from simkit.model.staff import StaffPool, next_person_on_duty
from simkit.observations import Population, StatementRecord
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import Timeline

NO_WRITER = -1  # a statement's pool while it waits for somebody on duty (or when referred)
NEXT, WAITING_STATEMENTS, RETRY = range(3)  # StatementState.ints


class StatementRules(NamedTuple):
    """``[statements]`` in force."""

    expert_share: float
    expert_days: float
    coach_share: float
    minutes: float
    before_meetings: bool  # priority "before_routine_meetings"


class StatementState(NamedTuple):
    """The statements of one run, in the order raised, and what became of each."""

    raised: np.ndarray  # float: when (days)
    client: np.ndarray  # int: whose
    writer_draw: np.ndarray  # float: a uniform: by the coach or a TE expert?
    referral_draw: np.ndarray  # float: a uniform: to the central unit?
    day_ends: np.ndarray  # int [horizon]: the index just past each day's last statement
    pool: np.ndarray  # int: the writers' pool (NO_WRITER: referred, or waiting)
    written: np.ndarray  # int: the day written (NOT_BOOKED: not within the diary)
    referred: np.ndarray  # bool
    waiting: np.ndarray  # int: statements with nobody on duty to write them, [0, ints[WAITING_STATEMENTS])
    writer_free_from: np.ndarray  # int [pools, people]: each writer's last statement day
    ints: np.ndarray  # int: NEXT (the next not yet raised), WAITING_STATEMENTS, RETRY (a dated event may have brought writers back)


@compiled
def write_raised_by(office: Office, statements: StatementState, rules: StatementRules, day: int) -> None:
    """Refer each statement raised on ``day`` or book its writing (waiting ones first)."""
    ints = statements.ints
    if ints[RETRY] and ints[WAITING_STATEMENTS]:
        waiting = ints[WAITING_STATEMENTS]
        ints[WAITING_STATEMENTS] = 0
        for k in range(waiting):  # (one that waits again goes back to a place already read)
            _write(office, statements, rules, statements.waiting[k], day)
    ints[RETRY] = 0
    last = statements.day_ends[day]
    for statement in range(ints[NEXT], last):
        if statements.referral_draw[statement] < rules.expert_share:
            statements.referred[statement] = True
            statements.written[statement] = day + math.ceil(rules.expert_days)
        else:
            _write(office, statements, rules, statement, day)
    ints[NEXT] = last


@compiled
def _write(office: Office, statements: StatementState, rules: StatementRules, statement: int, day: int) -> None:
    """The writer's first day with room on or after ``day`` and their previous statement (with
    priority: or with a routine meeting, which gives way)."""
    pool_index = _writer_pool(office, statements, rules, statement)
    if pool_index == NO_WRITER:
        statements.waiting[statements.ints[WAITING_STATEMENTS]] = statement
        statements.ints[WAITING_STATEMENTS] += 1
        return
    clients, client, pool = office.clients, statements.client[statement], office.pools[pool_index]
    own = clients.state[client] == WITH_STAFF and pool_of(clients, client) == pool_index
    person = clients.staff[client] if own else next_person_on_duty(pool)
    earliest = max(day, statements.writer_free_from[pool_index, person])
    gave_way, gave_day = -1, -1
    if rules.before_meetings:
        gave_way, gave_day = give_way(office, pool_index, person, earliest, open_day(pool, person, earliest, False))
    if gave_way < 0:
        written = reserve(pool, person, earliest, rules.minutes, False)
    else:
        written = reserve(pool, person, gave_day, rules.minutes, True)
    book_again(office, pool_index, person, gave_way, gave_day, rules.minutes)
    statements.pool[statement] = pool_index
    statements.written[statement] = written
    if written != NOT_BOOKED:
        statements.writer_free_from[pool_index, person] = written
        pool.statement_minutes[written] += rules.minutes


@compiled
def _writer_pool(office: Office, statements: StatementState, rules: StatementRules, statement: int) -> int:
    """The pool that writes: the client's coach team (the rules' share of pilot clients'
    statements) or the TE experts; the other of the two if nobody is on duty; else NO_WRITER."""
    clients, client = office.clients, statements.client[statement]
    coach, te = clients.coach_pool[client], clients.te_pool
    by_coach = clients.municipal[client] and statements.writer_draw[statement] < rules.coach_share
    first, second = (coach, te) if by_coach else (te, coach)
    if office.pools[first].ints[ON_DUTY]:
        return first
    if office.pools[second].ints[ON_DUTY]:
        return second
    return NO_WRITER


class StatementDraws(NamedTuple):
    """The statements of one replication as drawn up front (:func:`draw_statements`), in the order raised."""

    raised: np.ndarray  # float: when (days)
    client: np.ndarray  # int: whose
    writer_draw: np.ndarray  # float: a uniform: by the coach or a TE expert?
    referral_draw: np.ndarray  # float: a uniform: to the central unit?


def draw_statements(timeline: Timeline, population: Population, horizon: int,
                    working_hours: Callable[[np.ndarray | None], WeeklyHours],
                    streams: dict[str, np.random.Generator]) -> StatementDraws:
    """Statements raised at ``statements.per_client_month`` by each active client in the working
    hours, with the uniforms that decide their writer and their referral (streams of their own)."""
    raised, client = draw_client_events(
        timeline, population, horizon, working_hours, lambda s: s.statements.per_client_month,
        streams["statements"],
    )
    count = len(raised)
    return StatementDraws(raised=raised, client=client.astype(np.int64),
                          writer_draw=streams["statement_writers"].random(count),
                          referral_draw=streams["statement_referrals"].random(count))


class Statements:
    """The statements of one run, in time order: referred, or who wrote each on which day."""

    def __init__(self, draws: StatementDraws, horizon: int, pools: list[StaffPool]):
        count = len(draws.raised)
        self.state = StatementState(
            raised=draws.raised, client=draws.client, writer_draw=draws.writer_draw, referral_draw=draws.referral_draw,
            day_ends=np.asarray(day_ends(draws.raised, horizon), dtype=np.int64),
            pool=np.full(count, NO_WRITER, dtype=np.int64), written=np.full(count, NOT_BOOKED, dtype=np.int64),
            referred=np.zeros(count, dtype=bool), waiting=np.zeros(count, dtype=np.int64),
            writer_free_from=np.zeros((len(pools), max(len(pool.state.free) for pool in pools)), dtype=np.int64),
            ints=np.zeros(3, dtype=np.int64),
        )
        self.rules: StatementRules | None = None  # the rules in force (set by the dated events)

    def set_rules(self, scenario: Scenario) -> None:
        rules = scenario.statements
        self.rules = StatementRules(float(rules.expert_share), float(rules.expert_days), float(rules.coach_share),
                                    float(rules.minutes), rules.priority == "before_routine_meetings")
        self.state.ints[RETRY] = 1

    def raised_on(self, day: int) -> int:
        """How many statements are raised on ``day``."""
        return int(events_on_day(self.state.day_ends, day))

    @property
    def handled(self) -> int:
        """Statements raised so far (each handled on its day)."""
        return int(self.state.ints[NEXT])

    def record(self) -> StatementRecord:
        state = self.state
        return StatementRecord(raised=state.raised, client=state.client.astype(int), pool=state.pool.astype(int),
                               written_day=state.written.astype(int), referred=state.referred.copy())
