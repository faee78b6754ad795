"""Services with limited places (work trials, training, language courses, workshops).

Coaches refer pilot clients at a chance per month of spell that depends on the client's
segment. A referred client queues (first come, first served) for a place, spends
``duration_days`` in the service (less if the spell ends first) and meanwhile meets the coach
``meeting_interval_factor`` times less often. Handled once a day, at the start of the day.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from simkit.model.calendar import WeeklyHours, day_ends
from simkit.model.client_table import ClientTable
from simkit.model.clients import draw_client_events
from simkit.model.journey import WITH_STAFF
from simkit.model.office import Meetings
from simkit.model.streams import stream_seed
from simkit.observations import Population, ServiceRecord
from simkit.scenario.schema import Scenario, Service
from simkit.scenario.timeline import Timeline


def monthly_hazard(service: Service, attributes: dict[str, np.ndarray]) -> np.ndarray:
    """Each client's referral rate per month: -ln(1 - p) for the first segment that fits."""
    under_30, language = attributes["under_30"], attributes["foreign_language"]
    chance = np.where(under_30, service.referral_per_month.under_30,
                      np.where(language, service.referral_per_month.foreign_language,
                               service.referral_per_month.other))
    return -np.log1p(-np.minimum(chance, 1.0 - 1e-12))


@dataclass
class ServiceLog:
    """One row per referral: when referred, when the client got a place (nan: never) and left it."""

    client: list[int] = field(default_factory=list)
    referred: list[float] = field(default_factory=list)
    started: list[float] = field(default_factory=list)
    ended: list[float] = field(default_factory=list)


class ServicePlaces:
    """The places and the queue of one service."""

    def __init__(self, service: Service, exits: list[float]):
        self.service = service
        self._exits = exits
        self._queue: deque[int] = deque()  # rows of the log
        self._in_service: list[tuple[float, int]] = []  # (ends, row)
        self._dropped: list[int] = []
        self.log = ServiceLog()

    def refer(self, client: int, time: float) -> None:
        log = self.log
        self._queue.append(len(log.client))
        log.client.append(client)
        log.referred.append(time)
        log.started.append(np.nan)
        log.ended.append(np.nan)

    def admit(self, day: int, still_eligible) -> list[tuple[int, float]]:
        """Free the places of those who finished by ``day``, then give places to the queue.

        Returns the (client, ends) pairs who started; a queued client who is no longer
        ``still_eligible(client)`` (left, or moved to the TE office) is dropped.
        """
        while self._in_service and self._in_service[0][0] <= day:
            heapq.heappop(self._in_service)
        started, log = [], self.log
        while self._queue and len(self._in_service) < self.service.places:
            row = self._queue.popleft()
            client = log.client[row]
            if not still_eligible(client):
                log.ended[row] = min(day, self._exits[client])
                self._dropped.append(client)
                continue
            ends = min(day + self.service.duration_days, self._exits[client])
            log.started[row], log.ended[row] = float(day), ends
            heapq.heappush(self._in_service, (ends, row))
            started.append((client, ends))
        return started

    def dropped_since_last(self) -> list[int]:
        """Clients dropped from the queue since the last call."""
        dropped, self._dropped = self._dropped, []
        return dropped

    def close(self, horizon: float) -> ServiceRecord:
        """Those still queued at the end of the run wait until they leave or the run ends."""
        for row in self._queue:
            self.log.ended[row] = min(horizon, self._exits[self.log.client[row]])
        log = self.log
        return ServiceRecord(client=np.asarray(log.client, dtype=int), referred=np.asarray(log.referred, dtype=float),
                             started=np.asarray(log.started, dtype=float), ended=np.asarray(log.ended, dtype=float))


class Services:
    """Every service of the scenario: referrals (drawn up front, a stream per service) and places.

    Each day, yesterday's referrals of pilot clients with a coach (not in a service nor queued
    for one) join the queues, and the places freed by today go to those queued; a client who
    starts a service has the next meeting moved out.
    """

    def __init__(self, scenario: Scenario, seed: int, replication: int, timeline: Timeline,
                 population: Population, horizon: int, working_hours: Callable[[np.ndarray | None], WeeklyHours],
                 clients: ClientTable, meetings: Meetings):
        self._places: list[ServicePlaces] = []
        self._referrals: list[tuple[list[float], list[int], list[int]]] = []  # times, clients, day ends
        exits = population.exit.tolist()
        for service in scenario.services:
            rng = np.random.default_rng(stream_seed(seed, replication, f"service.{service.name}"))
            times, who = draw_client_events(
                timeline, population, horizon, working_hours, lambda s: 1.0, rng,
                client_factor=monthly_hazard(service, population.attributes),
            )
            self._places.append(ServicePlaces(service, exits))
            self._referrals.append((times.tolist(), who.tolist(), day_ends(times, horizon)))
        self._clients = clients
        self._meetings = meetings

    def run_day(self, day: int) -> None:
        """Yesterday's referrals join the queues; places freed by today go to those queued."""
        clients = self._clients
        for places, (times, who, ends) in zip(self._places, self._referrals):
            first = ends[day - 2] if day >= 2 else 0
            last = ends[day - 1] if day >= 1 else 0
            for referral in range(first, last):
                client = who[referral]
                if self._may_be_referred(client, day):
                    clients.queued_for[client] += 1
                    places.refer(client, times[referral])
            for client, service_ends in places.admit(day, self._still_eligible):
                clients.queued_for[client] -= 1
                clients.service_until[client] = service_ends
                clients.service_factor[client] = places.service.meeting_interval_factor
                self._meetings.move_out_for_service(client, day)
            for client in places.dropped_since_last():
                clients.queued_for[client] -= 1

    def _may_be_referred(self, client: int, day: int) -> bool:
        """A pilot client with a coach, not in a service nor queued for one."""
        clients = self._clients
        return (clients.state[client] == WITH_STAFF and clients.municipal[client]
                and clients.service_until[client] <= day and not clients.queued_for[client])

    def _still_eligible(self, client: int) -> bool:
        return self._clients.state[client] == WITH_STAFF and self._clients.municipal[client]

    @property
    def any(self) -> bool:
        """Does the scenario have services?"""
        return bool(self._places)

    @property
    def referrals(self) -> int:
        """Referrals that joined a queue so far."""
        return sum(len(places.log.client) for places in self._places)

    def close(self, horizon: int) -> dict[str, ServiceRecord]:
        return {places.service.name: places.close(horizon) for places in self._places}
