"""The client table: one entry per client in parallel arrays that the compiled day loop reads
and writes (:mod:`simkit.model.compiled`), and which coach team serves each client."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simkit.model.pool_state import NOT_BOOKED, NOT_OWED
from simkit.observations import ClientState, Population
from simkit.scenario.schema import Scenario

REGISTERED, WAITING, WITH_STAFF, EXITED = (int(state) for state in ClientState)  # plain ints for the compiled code


class ClientTable(NamedTuple):
    """One entry per client (the index is the client) in parallel arrays that the compiled code
    reads and writes: the journey, the meetings, the statements and the services share them."""

    registration: np.ndarray  # days
    municipal: np.ndarray  # served by coaches now
    coach_pool: np.ndarray  # the coach pool (team) serving each client when municipal
    te_pool: int  # index of the TE experts' pool
    first_deadline: np.ndarray  # working days, the rule in force at registration
    state: np.ndarray  # REGISTERED, WAITING, WITH_STAFF or EXITED
    staff: np.ndarray  # the person holding the client (-1: nobody)
    stay: np.ndarray  # the client's open row of the stay table
    first_done: np.ndarray  # had the first meeting (or owes none)
    new_job_search: np.ndarray  # owes the intensive period
    supplementary_need: np.ndarray  # need draw (rules.py)
    status: np.ndarray  # JobSeekerStatus
    booked_day: np.ndarray  # day of the booked meeting
    owed_day: np.ndarray  # the day the meeting owed now fell due
    service_until: np.ndarray  # end of the current service (days)
    service_factor: np.ndarray  # its meeting-interval factor
    queued_for: np.ndarray  # services the client queues for

    @classmethod
    def of(cls, population: Population, coach_pool: list[int] | np.ndarray, te_pool: int,
           first_deadline: list[int] | np.ndarray, owes_first_meeting: np.ndarray | None = None) -> ClientTable:
        """The table of a population before day 0: nobody registered yet."""
        n = len(population)
        owes = ~population.initial if owes_first_meeting is None else owes_first_meeting
        return cls(
            registration=population.registration.astype(float), municipal=population.municipal.astype(bool),
            coach_pool=np.asarray(coach_pool, dtype=np.int64), te_pool=int(te_pool),
            first_deadline=np.asarray(first_deadline, dtype=np.int64),
            state=np.full(n, REGISTERED, dtype=np.int64), staff=np.full(n, -1, dtype=np.int64),
            stay=np.full(n, -1, dtype=np.int64), first_done=~np.asarray(owes, dtype=bool),
            new_job_search=population.new_job_search.astype(bool),
            supplementary_need=population.supplementary_need.astype(float),
            status=population.status_changes.status_at(np.arange(n), 0.0).astype(np.int64),
            booked_day=np.full(n, NOT_BOOKED, dtype=np.int64), owed_day=np.full(n, NOT_OWED, dtype=np.int64),
            service_until=np.zeros(n), service_factor=np.ones(n), queued_for=np.zeros(n, dtype=np.int64),
        )



def coach_team_of_clients(scenario: Scenario, population: Population) -> list[int]:
    """Index of the coach team (pool) that serves each client if municipal: the first that serves them."""
    attributes = population.attributes
    team = np.full(len(population), -1)
    teams = scenario.coaches.resolved_teams()
    for index, settings in enumerate(teams):
        serves = np.ones(len(team), bool) if settings.serves == "everyone" else attributes[settings.serves]
        team[(team < 0) & serves] = index
    by_name = {settings.name: index for index, settings in enumerate(teams)} | {"coach": len(teams) - 1}
    for client, name in enumerate(population.initial_team):
        if name in by_name:  # a caseload CSV says which team serves the client now
            team[client] = by_name[name]
    return team.tolist()


