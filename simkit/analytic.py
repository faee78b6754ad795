"""Queueing theory that simkit's simulation is checked against (and that trainers can show).

- Little's law: the expected number of active clients equals the arrival rate times the mean
  spell.
- Erlang C (M/M/c): probability that a call waits, the mean wait and the utilisation of a
  contact line with ``c`` contact persons, Poisson calls and exponential handle times. Computed
  through the Erlang B recursion, which is stable for thousands of servers (no factorials, no
  overflow).

Rates and times may be in any unit as long as they agree (e.g. calls per minute and minutes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def little_expected_active(arrivals_per_day: float, mean_days_in_service: float) -> float:
    """Little's law: expected active clients = arrivals per day x mean days in service."""
    return arrivals_per_day * mean_days_in_service


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of an M/M/c/c system, by the recursion B(k) = aB(k-1) / (k + aB(k-1))."""
    if servers < 0 or offered_load < 0:
        raise ValueError("servers and offered load must not be negative")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


@dataclass(frozen=True)
class ErlangC:
    """Steady state of an M/M/c queue; ``mean_wait`` is in the unit of the handle time."""

    servers: int
    offered_load: float  # arrival rate x mean handle time (erlangs)
    utilisation: float  # offered load / servers
    prob_wait: float
    mean_wait: float

    def service_level(self, answer_within: float, mean_handle: float) -> float:
        """Share of calls answered within ``answer_within`` (same time unit as ``mean_handle``)."""
        if self.utilisation >= 1.0:
            return 0.0
        rate = (self.servers - self.offered_load) / mean_handle
        return 1.0 - self.prob_wait * math.exp(-rate * answer_within)


def erlang_c(arrival_rate: float, mean_handle: float, servers: int) -> ErlangC:
    """The M/M/c queue: ``arrival_rate`` calls per time unit, ``mean_handle`` time units per call.

    An overloaded line (offered load >= servers) has ``prob_wait`` 1 and an infinite mean wait.
    """
    if servers < 1:
        raise ValueError("an Erlang C line needs at least one server")
    load = arrival_rate * mean_handle
    utilisation = load / servers
    if utilisation >= 1.0:
        return ErlangC(servers, load, utilisation, 1.0, math.inf)
    blocking = erlang_b(servers, load)
    prob_wait = servers * blocking / (servers - load * (1.0 - blocking))
    mean_wait = prob_wait * mean_handle / (servers - load)
    return ErlangC(servers, load, utilisation, prob_wait, mean_wait)


def servers_for_mean_wait(arrival_rate: float, mean_handle: float, max_mean_wait: float) -> int:
    """The fewest servers whose Erlang C mean wait is at most ``max_mean_wait``."""
    servers = max(1, math.floor(arrival_rate * mean_handle) + 1)
    while erlang_c(arrival_rate, mean_handle, servers).mean_wait > max_mean_wait:
        servers += 1
    return servers
