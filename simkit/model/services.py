"""Services with limited places (work trials, training, language courses, workshops).

Coaches refer pilot clients at a chance per month of spell that depends on the client's
segment. A referred client queues (first come, first served) for a place, spends
``duration_days`` in the service (less if the spell ends first) and meanwhile meets the coach
``meeting_interval_factor`` times less often. Handled once a day, at the start of the day.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from simkit.scenario.schema import Service

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

    def close(self, horizon: float) -> None:
        """Those still queued at the end of the run wait until they leave or the run ends."""
        for row in self._queue:
            self.log.ended[row] = min(horizon, self._exits[self.log.client[row]])
