"""One day of the area model, compiled: the phases of :mod:`simkit.model.engine` that run as
machine code (:mod:`simkit.model.compiled`) over the arrays of the clients, the pools, the
statements and the client events.

:func:`run_days` runs the days between two dated events (in chunks, for progress) in one call;
``phases`` says which phases to run on the first of them, in this order: RELEASE (the minutes kept for first
meetings on the next day open to any booking; the carried pieces of the day before are
forgotten), MEETINGS (on a working day each pool holds its meetings; then the day's statements
are written; then the services take referrals and give places) and CLIENTS (the day's
registrations, status changes and exits). The engine runs the dated events, in Python, between
RELEASE and the rest.
"""

from __future__ import annotations

import numpy as np

from simkit.model.calendar import events_on_day
from simkit.model.compiled import compiled
from simkit.model.diary import release_reserve
from simkit.model.journey import STAYS, JourneyState, handle_day
from simkit.model.meetings import DRAWN, hold
from simkit.model.office import Office
from simkit.model.pool_state import forget_day, needs_room
from simkit.model.services import ServicesState, run_services
from simkit.model.statements import StatementRules, StatementState, write_raised_by

RELEASE, MEETINGS, CLIENTS = 1, 2, 4
ALL = RELEASE | MEETINGS | CLIENTS


@compiled
def run_days(office: Office, journey: JourneyState, statements: StatementState, statement_rules: StatementRules,
             services: ServicesState, working: np.ndarray, first_day: int, end_day: int, phases: int) -> int:
    """Run the days ``[first_day, end_day)``: ``phases`` on the first, all of them on the others. Returns
    the day reached: ``end_day``, or an earlier day (not begun) on which an array might run out of room
    or the no-show draws run short (the engine makes room and goes on from it)."""
    day = first_day
    while day < end_day:
        if not _ready(office, journey, statements, day, phases):
            return day
        run_day(office, journey, statements, statement_rules, services, day, phases, working[day])
        phases = ALL
        day += 1
    return day


@compiled
def _ready(office: Office, journey: JourneyState, statements: StatementState, day: int, phases: int) -> bool:
    """Is there room in every array for the day's client events and statements, and are there no-show
    draws for its meetings?"""
    events = events_on_day(journey.day_ends, day)
    if journey.stays.shape[1] - journey.ints[STAYS] < events + 16:
        return False
    meetings = 0
    for pool in office.pools:
        if needs_room(pool, events + events_on_day(statements.day_ends, day)):
            return False
        meetings += pool.entries_on[day]
    return not (phases & MEETINGS and office.rules.no_show_share
                and len(office.book.draws) - office.book.ints[DRAWN] < meetings)


@compiled
def run_day(office: Office, journey: JourneyState, statements: StatementState, statement_rules: StatementRules,
            services: ServicesState, day: int, phases: int, working: bool) -> None:
    """Run the day's ``phases`` (the arrays have room: :func:`_ready`)."""
    if phases & RELEASE:
        for pool in office.pools:
            release_reserve(pool, day + 1)  # first meetings' minutes are kept until the day before
            forget_day(pool, day - 1)
    if phases & MEETINGS:
        if working:
            for pool_index in range(len(office.pools)):
                hold(office, pool_index, day)
        write_raised_by(office, statements, statement_rules, day)
        run_services(office, services, day)
    if phases & CLIENTS:
        handle_day(office, journey, day)
