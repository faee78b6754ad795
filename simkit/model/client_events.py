"""The client events of one replication, in time order: registrations, status changes and exits,
ordered once before the first day from the drawn clients (:mod:`simkit.model.draws`); the journey
(:mod:`simkit.model.journey`) handles each day's."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simkit.model.calendar import day_ends, time_order
from simkit.observations import Population

REGISTER, LEAVE, STATUS = 0, 1, 2  # kinds of client event


class ClientEvents(NamedTuple):
    """The client events of one replication in time order (:func:`client_events`)."""

    times: np.ndarray  # days
    who: np.ndarray  # int: the client
    kind: np.ndarray  # REGISTER, STATUS or LEAVE
    new_status: np.ndarray  # int: the status after a STATUS change
    day_ends: np.ndarray  # int [horizon]: the index just past each day's last event


def client_events(population: Population, horizon: int) -> ClientEvents:
    """Registrations of arrivals, status changes on the books and exits of everyone before the
    horizon, in time order (kind REGISTER, STATUS or LEAVE; the new status of a change), and for
    each day the index just past its last event. Events at the same time: registrations, then exits,
    then status changes, each kind in its own order (the stable sort of the three one after another)."""
    arrivals = np.flatnonzero(~population.initial)
    changes = population.status_changes
    on_books = changes.time > 0.0  # a change before day 0 is the initial client's status on day 0
    parts = [(population.registration[arrivals], arrivals, np.full(len(arrivals), REGISTER), np.zeros(len(arrivals), int)),
             (population.exit, np.arange(len(population)), np.full(len(population), LEAVE), np.zeros(len(population), int)),
             (changes.time[on_books], changes.client[on_books], np.full(int(on_books.sum()), STATUS),
              changes.status[on_books])]
    # each kind sorted on its own (the registrations and changes come in time order), the three runs
    # then merged by the stable sort (which finds the runs)
    for index, (times, clients, kind, status) in enumerate(parts):
        keep = np.flatnonzero(times < horizon)
        keep = keep[time_order(times[keep])]
        parts[index] = (times[keep], clients[keep], kind[keep], status[keep])
    times, who, kind, status = (np.concatenate(column) for column in zip(*parts))
    order = np.argsort(times, kind="stable")
    times = times[order]
    return ClientEvents(times=times, who=who[order].astype(np.int64), kind=kind[order],
                        new_status=status[order].astype(np.int64),
                        day_ends=np.asarray(day_ends(times, horizon), dtype=np.int64))
