"""The fast paths of the status metrics give exactly what the plain numpy they replace gives."""

from __future__ import annotations

import numpy as np
import pytest

from simkit.intervals import end_of_day_counts
from simkit.observations import Population, StatusChanges
from simkit.status_metrics import _client_intervals, stable_order


@pytest.mark.parametrize("high", [3, 70_000, 2**31])
@pytest.mark.parametrize("size", [0, 1, 5_000])
def test_stable_order_is_the_stable_argsort(high, size):
    ids = np.random.default_rng(size + high).integers(0, high, size)
    assert np.array_equal(stable_order(ids), np.argsort(ids, kind="stable"))


def _population(registration, exits, client, time, status) -> Population:
    n = len(registration)
    return Population(registration=np.asarray(registration, float), exit=np.asarray(exits, float),
                      municipal=np.ones(n, bool), initial=np.zeros(n, bool), attributes={}, initial_team=[None] * n,
                      new_job_search=np.ones(n, bool),
                      status_changes=StatusChanges(np.asarray(client, int), np.asarray(time, float),
                                                   np.asarray(status, int)),
                      supplementary_need=np.zeros(n))


def _by_lexsort(pop: Population):
    """The intervals by ``np.lexsort`` of (client, start): the definition."""
    changes, n = pop.status_changes, len(pop)
    client = np.concatenate([np.arange(n), changes.client])
    start = np.concatenate([pop.registration, changes.time])
    status = np.concatenate([np.zeros(n, int), changes.status])
    order = np.lexsort((start, client))
    client, start, status = client[order], start[order], status[order]
    last = np.append(client[1:] != client[:-1], True)
    return client, start, status, np.where(last, pop.exit[client], np.append(start[1:], np.inf))


@pytest.mark.parametrize("changes", [
    ([2, 0, 2, 2], [1.5, 2.0, 2.0, 2.0], [1, 3, 0, 2]),  # in time order, ties within a client
    ([1, 0], [0.5, 1.0], [2, 1]),  # client 1's change before its registration (not from the model)
    ([], [], []),
])
def test_client_intervals_are_ordered_by_client_then_start(changes):
    pop = _population([0.0, 1.0, 1.5], [5.0, 6.0, 7.0], *changes)
    for got, want in zip(_client_intervals(pop), _by_lexsort(pop)):
        assert np.array_equal(got, want) and got.dtype == want.dtype


def test_end_of_day_counts_count_by_group_and_day():
    begin, finish = np.array([0.5, 1.0, 2.2, 0.0, 3.0]), np.array([2.0, 1.0, 9.0, 3.5, 2.0])
    counts = end_of_day_counts(begin, finish, 4, np.array([0, 0, 1, 1, 1]), 2)
    assert counts.tolist() == [[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 2.0, 1.0]]  # [1.0, 1.0) and [3.0, 2.0) never open
