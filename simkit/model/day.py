"""One day of the area model, compiled: the phases of :mod:`simkit.model.engine` that run as
machine code (:mod:`simkit.model.compiled`) over the arrays of the clients, the pools, the
statements and the client events.

``phases`` says which of them to run, in this order: RELEASE (the minutes kept for first
meetings on the next day open to any booking; the carried pieces of the day before are
forgotten), MEETINGS (on a working day each pool holds its meetings; then the day's statements
are written; then the services take referrals and give places) and CLIENTS (the day's
registrations, status changes and exits). The engine runs the dated events, in Python, between
RELEASE and the rest.
"""

from __future__ import annotations

from simkit.model.compiled import compiled
from simkit.model.diary import release_reserve
from simkit.model.journey import JourneyState, handle_day
from simkit.model.meetings import hold
from simkit.model.office import Office
from simkit.model.pool_state import forget_day, needs_room
from simkit.model.services import ServicesState, run_services
from simkit.model.statements import StatementRules, StatementState, write_raised_by

RELEASE, MEETINGS, CLIENTS = 1, 2, 4


@compiled
def run_day(o: Office, j: JourneyState, s: StatementState, statement_rules: StatementRules, sv: ServicesState,
            day: int, phases: int, working: bool) -> bool:
    """Run the day's ``phases``; False (and nothing done) if an array might run out of room first."""
    events = j.day_ends[day] - (j.day_ends[day - 1] if day > 0 else 0)
    if j.stays.shape[1] - j.ints[2] < events + 16:
        return False
    for pool in o.pools:
        if needs_room(pool, events):
            return False
    if phases & RELEASE:
        for pool in o.pools:
            release_reserve(pool, day + 1)  # first meetings' minutes are kept until the day before
            forget_day(pool, day - 1)
    if phases & MEETINGS:
        if working:
            for p in range(len(o.pools)):
                hold(o, p, day)
        write_raised_by(o, s, statement_rules, day)
        run_services(o, sv, day)
    if phases & CLIENTS:
        handle_day(o, j, day)
    return True
