"""Labour-policy statements (työvoimapoliittiset lausunnot) that staff write for Kela.

Statements arise for each active client at ``statements.per_client_month`` (drawn up front). On
the day one is raised, the writer takes ``statements.minutes`` of client time on the first day
with room in their diary: the client's own coach for the rules' ``coach_share`` of pilot
clients' statements, else the TE experts in turn.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simkit.model.calendar import WeeklyHours, day_ends
from simkit.model.clients import draw_client_events
from simkit.model.journey import WITH_STAFF, ClientTable
from simkit.model.staff import NOT_BOOKED, StaffPool
from simkit.observations import Population, StatementRecord
from simkit.scenario.schema import Scenario
from simkit.scenario.schema import Statements as StatementRules
from simkit.scenario.timeline import Timeline


class Statements:
    """The statements of one run, in time order, and who wrote each on which day."""

    def __init__(self, timeline: Timeline, population: Population, horizon: int,
                 working_hours: Callable[[np.ndarray | None], WeeklyHours],
                 streams: dict[str, np.random.Generator], clients: ClientTable, pools: list[StaffPool]):
        self.raised, self.client = draw_client_events(
            timeline, population, horizon, working_hours, lambda s: s.statements.per_client_month,
            streams["statements"],
        )
        self._writer_draw = streams["statement_writers"].random(len(self.raised)).tolist()  # coach or TE
        self._day_ends = day_ends(self.raised, horizon)
        self._next = 0
        self._pool = [-1] * len(self.raised)
        self._written = [NOT_BOOKED] * len(self.raised)
        self._clients = clients
        self._pools = pools
        self.rules: StatementRules | None = None  # the rules in force (set by the dated events)

    def set_rules(self, scenario: Scenario) -> None:
        self.rules = scenario.statements

    def write_raised_by(self, day: int) -> None:
        """Book the writing of each statement raised on ``day``."""
        last = self._day_ends[day]
        for statement in range(self._next, last):
            self._write(statement, day)
        self._next = last

    def _write(self, statement: int, day: int) -> None:
        """The writer's first day with room on or after ``day``: the client's coach (for the
        rules' share of pilot clients' statements) or the TE experts, in turn."""
        rules, clients, client = self.rules, self._clients, int(self.client[statement])
        by_coach = clients.municipal[client] and self._writer_draw[statement] < rules.coach_share
        index = clients.coach_pool[client] if by_coach else clients.te_pool
        pool = self._pools[index]
        own = clients.state[client] == WITH_STAFF and clients.pool_index(client) == index
        person = clients.staff[client] if own else pool.next_person_on_duty()
        if person < 0:
            return
        written = pool.reserve(person, day, rules.minutes)
        self._pool[statement] = index
        self._written[statement] = written
        if written != NOT_BOOKED:
            pool.log.statement_minutes[written] += rules.minutes

    @property
    def handled(self) -> int:
        """Statements raised so far (each handled on its day)."""
        return self._next

    def record(self) -> StatementRecord:
        return StatementRecord(raised=self.raised, client=self.client, pool=np.asarray(self._pool, dtype=int),
                               written_day=np.asarray(self._written, dtype=int))
