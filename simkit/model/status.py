"""Job-seeker status while on the books: drawn up front, one path per client.

An active job seeker is unemployed, in a service, in education or employed
(:class:`simkit.observations.JobSeekerStatus`, TEM's groups). Every job search starts unemployed;
the path is a Markov chain with the scenario's ``[status]`` rates, drawn at registration and
independent of staffing (its own stream), so two scenarios with the same seed see the same paths.
"""

from __future__ import annotations

import numpy as np

from simkit.observations import JobSeekerStatus, StatusChanges
from simkit.scenario.timeline import Timeline

UNEMPLOYED = int(JobSeekerStatus.UNEMPLOYED)


def draw_status_changes(timeline: Timeline, registration: np.ndarray, until: np.ndarray, period: np.ndarray,
                        rng: np.random.Generator) -> StatusChanges:
    """Each client's status path from registration (unemployed) to ``until`` (days): a Markov
    chain with the ``[status]`` rates of the period in force at registration. An unemployed client
    leaves for each other status at its rate; from any other status the client returns to
    unemployed (a new unemployment spell of someone already on the books) after an exponential
    stay. Drawn up front, one step for all clients at a time, independently of staffing."""
    out = np.array([s.status.rates_per_day() for s in timeline.periods])  # (periods, 3)
    back = np.array([s.status.return_rates_per_day() for s in timeline.periods])
    alive = np.flatnonzero(out[period].sum(axis=1) > 0)
    time, state = registration[alive].astype(float), np.zeros(len(alive), dtype=int)
    changes: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    while alive.size:
        rates = out[period[alive]]
        leaving = np.where(state == UNEMPLOYED, rates.sum(axis=1), back[period[alive], np.maximum(state, 1) - 1])
        time = time + rng.standard_exponential(len(alive)) / leaving
        uniform = rng.random(len(alive))
        going = time < until[alive]
        alive, time, state, rates, uniform = alive[going], time[going], state[going], rates[going], uniform[going]
        share = np.cumsum(rates, axis=1) / rates.sum(axis=1, keepdims=True)
        chosen = 1 + np.minimum((uniform[:, None] >= share).sum(axis=1), 2)
        state = np.where(state == UNEMPLOYED, chosen, UNEMPLOYED)
        changes.append((alive, time, state))
    if changes:
        client, when, status = (np.concatenate(part) for part in zip(*changes))
    else:
        client, when, status = np.empty(0, int), np.empty(0), np.empty(0, int)
    order = np.argsort(when, kind="stable")
    return StatusChanges(client=client[order].astype(int), time=when[order], status=status[order].astype(int))
