"""Labour-policy statements: rate, who writes them, lateness and Kela's payment delay."""

from __future__ import annotations

import numpy as np
import pytest

import simkit

STATEMENTS = {"statements.per_client_month": 0.3, "statements.minutes": 10.0}


def test_statements_follow_the_rate_per_client(small):
    result = simkit.simulate(simkit.with_overrides(small, STATEMENTS), seed=1)
    metrics = result.metrics
    active = metrics["clients.active_pilot"] + metrics["clients.active_te"]
    assert metrics["statements.per_month"] == pytest.approx(0.3 * active, rel=0.06)


@pytest.mark.parametrize("coach_share", [0.0, 0.5, 1.0])
def test_the_rule_decides_who_writes(small, coach_share):
    scenario = simkit.with_overrides(small, STATEMENTS | {"statements.coach_share": coach_share})
    observations = simkit.simulate(scenario, seed=2, keep_observations=True).observations
    log, te = observations.statements, list(observations.pools).index("te")
    municipal = observations.population.municipal[log.client]  # no rule change in this run
    by_coach = log.pool != te
    assert not by_coach[~municipal].any()  # TE clients' statements always by TE experts
    assert by_coach[municipal].mean() == pytest.approx(coach_share, abs=0.03)


def test_an_overloaded_writer_delays_kela_payments(small):
    ample = simkit.simulate(simkit.with_overrides(small, STATEMENTS | {"te.experts": 6}), seed=3).metrics
    starved = simkit.simulate(simkit.with_overrides(small, STATEMENTS | {
        "te.experts": 1, "te.caseload_cap": 2000, "statements.minutes": 30.0}), seed=3).metrics
    assert ample["statements.on_time_share"] > 0.99 and ample["kela.payment_delay_days_mean"] < 0.1
    assert starved["statements.on_time_share"] < 0.5
    assert starved["kela.payment_delay_days_mean"] > 5
    assert starved["statements.days_mean"] > starved["kela.payment_delay_days_mean"]


def test_statement_time_counts_in_utilisation(small):
    scenario = simkit.with_overrides(small, STATEMENTS | {"statements.coach_share": 1.0})
    result = simkit.simulate(scenario, seed=4, keep_observations=True)
    start, end = result.observations.window
    pool = result.observations.pools["coach"]
    used = pool.held[start:end].sum() * 45 + pool.statement_minutes[start:end].sum()
    available = pool.meeting_minutes_available[start:end].sum()
    assert result.metrics["coach.utilisation"] == pytest.approx(used / available)
    assert pool.statement_minutes[start:end].sum() > 0


def test_statement_transfer_on_a_date(small):
    scenario = simkit.with_overrides(small, STATEMENTS | {"events": [
        {"date": "2021-05-03", "set": {"statements.coach_share": 1.0}}]})
    observations = simkit.simulate(scenario, seed=5, keep_observations=True).observations
    log, te = observations.statements, list(observations.pools).index("te")
    municipal = observations.population.municipal[log.client]
    after = np.floor(log.raised) >= 63  # 3 May 2021 is day 63 from 1 March
    assert (log.pool[municipal & ~after] == te).all()
    assert (log.pool[municipal & after] != te).all()
