"""The state the compiled day loop works on (:class:`Office`), and :class:`Meetings`, which holds the
meeting part of it and offers the compiled meeting functions (:mod:`simkit.model.meetings`) to
Python: the engine's set-up and dated events, and the tests.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simkit.model.calendar import Calendar
from simkit.model.client_table import ClientTable
from simkit.model.meetings import (
    DRAWN,
    FIRST_CLIENT,
    FIRST_COUNT,
    FIRST_DAY,
    FIRST_ON_TIME,
    FIRST_POOL,
    FIRST_WORKING_DAYS,
    NO_SHOW_DRAWS,
    book_next,
    cancel,
    close,
    next_due,
)
from simkit.model.pool_state import INDEX, NOT_OWED, PoolState
from simkit.model.rules import RulesInForce, rules_in_force
from simkit.model.staff import StaffPool
from simkit.observations import FirstMeetings, Population
from simkit.scenario.schema import Scenario


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


class Meetings:
    """Booking and holding the meetings of every pool, by the rules in force (the compiled functions
    above, on :attr:`office`)."""

    def __init__(self, clients: ClientTable, pools: list[StaffPool], calendar: Calendar,
                 no_show_rng: np.random.Generator):
        self._clients = clients
        self._pools = pools
        for index, pool in enumerate(pools):
            pool.state.ints[INDEX] = index
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

    def first_meetings_of(self, pool_index: int | None = None) -> dict[str, np.ndarray]:
        """The first meetings held by the pool ``pool_index`` (None: by every pool): day, working days
        after registration, on time, client."""
        first = self._book.first[:, :self._book.ints[FIRST_COUNT]]
        mine = first if pool_index is None else first[:, first[FIRST_POOL] == pool_index]
        return {"day": mine[FIRST_DAY], "working_days": mine[FIRST_WORKING_DAYS],
                "on_time": mine[FIRST_ON_TIME].astype(bool), "client": mine[FIRST_CLIENT]}

    # -- the operations, for Python (the engine's dated events, the tests) ----------------------
    def next_due(self, client: int, from_day: int) -> float:
        return next_due(self.office, client, from_day)

    def book_next(self, client: int, pool: StaffPool, person: int, from_day: int, after_due: int = NOT_OWED) -> None:
        book_next(self.office, client, self._index(pool), person, from_day, after_due)

    def cancel(self, client: int, pool: StaffPool, person: int, now: float) -> None:
        cancel(self.office, client, self._index(pool), person, now)

    def close(self, horizon: int) -> None:
        close(self.office, horizon)

    def _index(self, pool: StaffPool) -> int:
        return int(pool.state.ints[INDEX])
