"""The observations a run keeps: records that agree with each other and with the engine's event counts."""

from __future__ import annotations

import numpy as np

import simkit
from simkit.observations import ClientState


def test_the_event_counts_are_the_events_in_the_records(small):
    busy = simkit.with_overrides(small, {"meeting.no_show_share": 0.1, "statements.per_client_month": 0.2})
    result = simkit.simulate(busy, seed=2, keep_observations=True)
    obs = result.observations
    horizon = obs.window[1]
    population, events = obs.population, obs.events
    arrived = (~population.initial) & (population.registration < horizon)
    assert events.client_events == population.initial.sum() + arrived.sum() + (population.exit < horizon).sum()
    assert events.meetings == sum(pool.held.sum() + pool.no_shows.sum() for pool in obs.pools.values())
    assert events.statements == (obs.statements.raised < horizon).sum() > 0
    assert events.calls == (~np.isnan(obs.kela.answered_at)).sum() > 0
    assert result.audit["events"] == events.total


def test_final_states_agree_with_caseloads_and_waiting_lists(small):
    tight = simkit.with_overrides(small, {"coaches.count": 2, "coaches.caseload_cap": 100})
    obs = simkit.simulate(tight, seed=5, keep_observations=True).observations
    state = obs.final_state
    assert (state == ClientState.WITH_STAFF).sum() == sum(p.caseload_at_end.sum() for p in obs.pools.values())
    assert (state == ClientState.WAITING).sum() == sum(p.waiting_at_end for p in obs.pools.values()) > 0
    assert len(obs.dates) == obs.window[1] == len(obs.pools["coach"].held) == len(obs.kela.line_days)


def test_observations_are_kept_only_when_asked_for(small):
    assert simkit.simulate(small, seed=1).observations is None
