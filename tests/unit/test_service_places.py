"""ServicePlaces directly: places never exceeded, first come first served, ineligible clients dropped."""

from __future__ import annotations

import math

from simkit.model.services import ServicePlaces
from simkit.scenario.schema import Service

TRIAL = Service(name="work_trial", places=1, duration_days=10.0)


def test_one_place_goes_to_the_first_referred_until_they_finish():
    places = ServicePlaces(TRIAL, exits=[100.0, 100.0, 100.0])
    for client in (0, 1, 2):
        places.refer(client, time=0.5 + client / 10)
    assert places.admit(1, lambda client: True) == [(0, 11.0)]
    assert places.admit(5, lambda client: True) == []
    assert places.admit(11, lambda client: True) == [(1, 21.0)]
    record = places.close(horizon=15)
    assert list(record.started[:2]) == [1.0, 11.0] and math.isnan(record.started[2])
    assert record.ended[2] == 15  # still queued at the end: waits until the run ends


def test_a_service_ends_when_the_spell_does():
    places = ServicePlaces(TRIAL, exits=[4.0])
    places.refer(0, time=0.2)
    assert places.admit(1, lambda client: True) == [(0, 4.0)]


def test_a_client_no_longer_eligible_is_dropped_and_the_next_gets_the_place():
    places = ServicePlaces(TRIAL, exits=[100.0, 3.0, 100.0])
    for client in (0, 1, 2):
        places.refer(client, time=0.5)
    places.admit(1, lambda client: True)
    assert places.admit(11, lambda client: client != 1) == [(2, 21.0)]
    assert places.dropped_since_last() == [1] and places.dropped_since_last() == []
    assert places.close(horizon=30).ended[1] == 3.0  # queued until the spell ended
