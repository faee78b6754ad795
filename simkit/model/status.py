"""Job-seeker status while on the books: drawn up front, one path per client.

An active job seeker is unemployed, in a service, in education or employed
(:class:`simkit.observations.JobSeekerStatus`, TEM's groups). Every job search starts unemployed;
the path is a Markov chain with the scenario's ``[status]`` rates, drawn at registration and
independent of staffing (its own stream), so two scenarios with the same seed see the same paths.
"""

from __future__ import annotations

import numpy as np

from simkit.model.calendar import time_order
from simkit.model.compiled import compiled
from simkit.observations import JobSeekerStatus, StatusChanges
from simkit.scenario.timeline import Timeline

UNEMPLOYED = int(JobSeekerStatus.UNEMPLOYED)


def draw_status_changes(timeline: Timeline, registration: np.ndarray, until: np.ndarray, period: np.ndarray,
                        rng: np.random.Generator) -> StatusChanges:
    """Each client's status path from registration (unemployed) to ``until`` (days): a Markov
    chain with the ``[status]`` rates of the period in force at registration. An unemployed client
    leaves for each other status at its rate; from any other status the client returns to
    unemployed (a new unemployment spell of someone already on the books) after an exponential
    stay. Drawn up front, one step for all clients at a time (:func:`step`), independently of staffing."""
    out = np.array([s.status.rates_per_day() for s in timeline.periods])  # (periods, 3)
    back = np.array([s.status.return_rates_per_day() for s in timeline.periods])
    leaving = np.column_stack([out.sum(axis=1), back])  # (periods, status): the rate of leaving it
    with np.errstate(invalid="ignore", divide="ignore"):  # a period with no rates out has no chains
        share = np.cumsum(out, axis=1) / out.sum(axis=1, keepdims=True)
    alive = np.flatnonzero(leaving[period, UNEMPLOYED] > 0)
    time, state = registration[alive].astype(float), np.zeros(len(alive), dtype=np.int64)
    period, until = np.ascontiguousarray(period, dtype=np.int64), np.ascontiguousarray(until, dtype=float)
    changes: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    count = len(alive)
    while count:
        exponential, uniform = rng.standard_exponential(count), rng.random(count)
        count = step(alive, time, state, count, exponential, uniform, until, period, leaving, share)
        changes.append((alive[:count].copy(), time[:count].copy(), state[:count].copy()))
    if changes:
        client, when, status = (np.concatenate(part) for part in zip(*changes))
    else:
        client, when, status = np.empty(0, np.int64), np.empty(0), np.empty(0, np.int64)
    order = time_order(when)
    return StatusChanges(client=client[order], time=when[order], status=status[order])


@compiled
def step(alive: np.ndarray, time: np.ndarray, state: np.ndarray, count: int, exponential: np.ndarray,
         uniform: np.ndarray, until: np.ndarray, period: np.ndarray, leaving: np.ndarray, share: np.ndarray) -> int:
    """The next change of each of the first ``count`` chains (clients ``alive``, at ``time`` in
    ``state``): after an exponential stay at the rate of leaving the state; an unemployed client goes
    to the status whose cumulative ``share`` the uniform passes, anyone else back to unemployed. The
    chains whose change comes before ``until`` are kept, with the change, in the first places of
    ``alive``, ``time`` and ``state``; returns how many."""
    going = 0
    for i in range(count):
        client, status = alive[i], state[i]
        client_period = period[client]
        rate = leaving[client_period, status]
        if rate == 0.0:  # an infinite stay
            continue
        at = time[i] + exponential[i] / rate
        if not at < until[client]:
            continue
        if status == UNEMPLOYED:
            u = uniform[i]
            status = 1 + min(int(u >= share[client_period, 0]) + int(u >= share[client_period, 1])
                             + int(u >= share[client_period, 2]), 2)
        else:
            status = UNEMPLOYED
        alive[going], time[going], state[going] = client, at, status
        going += 1
    return going
