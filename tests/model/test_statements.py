"""Labour-policy statements: rate, who writes them, lateness and Kela's payment delay."""

from __future__ import annotations

from pathlib import Path

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
    """In diary order (statements wait behind the meetings booked; test_statement_priority.py: before them)."""
    in_order = STATEMENTS | {"statements.priority": "diary_order"}
    ample = simkit.simulate(simkit.with_overrides(small, in_order | {"te.experts": 6}), seed=3).metrics
    starved = simkit.simulate(simkit.with_overrides(small, in_order | {
        "te.experts": 1, "te.caseload_cap": 2000, "statements.minutes": 30.0}), seed=3).metrics
    assert ample["statements.on_time_share"] > 0.99 and ample["kela.payment_delay_days_mean"] < 0.1
    assert starved["statements.on_time_share"] < 0.5
    assert starved["kela.payment_delay_days_mean"] > 5
    assert starved["statements.days_mean"] > starved["kela.payment_delay_days_mean"]


def test_statement_time_counts_in_utilisation(small):
    """Utilisation is the client time taken from the window's days over the time available; with room in
    the diaries nothing runs over, so the time taken is the meetings' (held or not attended) and statements'."""
    scenario = simkit.with_overrides(small, STATEMENTS | {"statements.coach_share": 1.0})
    result = simkit.simulate(scenario, seed=4, keep_observations=True)
    start, end = result.observations.window
    pool = result.observations.pools["coach"]
    available = pool.meeting_minutes_available[start:end].sum()
    assert result.metrics["coach.utilisation"] == pytest.approx(pool.minutes_used[start:end].sum() / available)
    booked = (pool.held + pool.no_shows) * 45 + pool.statement_minutes
    assert pool.minutes_used.sum() == pytest.approx(booked.sum())  # every minute where it was taken
    assert pool.statement_minutes[start:end].sum() > 0 and result.metrics["coach.utilisation"] < 0.9


def test_statement_transfer_on_a_date(small):
    scenario = simkit.with_overrides(small, STATEMENTS | {"events": [
        {"date": "2021-05-03", "set": {"statements.coach_share": 1.0}}]})
    observations = simkit.simulate(scenario, seed=5, keep_observations=True).observations
    log, te = observations.statements, list(observations.pools).index("te")
    municipal = observations.population.municipal[log.client]
    after = np.floor(log.raised) >= 63  # 3 May 2021 is day 63 from 1 March
    assert (log.pool[municipal & ~after] == te).all()
    assert (log.pool[municipal & after] != te).all()


# -- statements as diary work: the expert path, the writers, conservation ---------------------------
def statement_outcomes(observations) -> dict[str, int]:
    """Every statement raised by the horizon: written in a diary, referred, or waiting."""
    log = observations.statements
    written = ~log.referred & (log.written_day >= 0)
    waiting = ~log.referred & (log.written_day < 0)
    return {"raised": len(log.raised), "written": int(written.sum()), "referred": int(log.referred.sum()),
            "waiting": int(waiting.sum()), "written_by_nobody": int((written & (log.pool < 0)).sum())}


def test_expert_statements_go_to_the_central_unit_and_delay_payment(small):
    scenario = simkit.with_overrides(small, STATEMENTS | {"statements.expert_share": 0.3, "statements.expert_days": 24.0})
    result = simkit.simulate(scenario, seed=6, keep_observations=True)
    log = result.observations.statements
    raised_day = np.floor(log.raised).astype(int)
    assert log.referred.mean() == pytest.approx(0.3, abs=0.03)
    assert (log.written_day[log.referred] - raised_day[log.referred] == 24).all()  # calendar days
    assert (log.pool[log.referred] == -1).all()  # no local diary time
    metrics = result.metrics
    assert metrics["statements.referred_share"] == pytest.approx(0.3, abs=0.03)
    # local writers have ample time: the payment delay is the expert statements' 24 - 14 days
    assert metrics["kela.payment_delay_days_mean"] == pytest.approx(metrics["statements.referred_share"] * 10, rel=0.05)
    assert metrics["statements.on_time_share"] == pytest.approx(1 - metrics["statements.referred_share"], abs=0.01)


def test_no_statement_is_lost_when_a_pool_empties_on_a_date(small):
    """Raised = written + referred + waiting; a pool emptied by a dated event hands its statements to
    the other pool, and with both empty they wait until somebody is back."""
    scenario = simkit.with_overrides(small, STATEMENTS | {"statements.coach_share": 0.5, "statements.expert_share": 0.1,
                                                          "events": [
        {"date": "2021-04-01", "set": {"te.experts": 0}},
        {"date": "2021-05-03", "set": {"coaches.count": 0}},
        {"date": "2021-05-17", "set": {"coaches.count": 4, "te.experts": 2}},
    ]})
    observations = simkit.simulate(scenario, seed=7, keep_observations=True).observations
    outcome = statement_outcomes(observations)
    assert outcome["raised"] == outcome["written"] + outcome["referred"] + outcome["waiting"]
    assert outcome["written_by_nobody"] == 0
    log, te = observations.statements, list(observations.pools).index("te")
    raised_day = np.floor(log.raised).astype(int)
    local = ~log.referred
    no_experts = local & (raised_day >= 31) & (raised_day < 63)  # 1 April to 2 May: coaches write them all
    assert no_experts.sum() > 20 and not (log.pool[no_experts] == te).any()
    nobody = local & (raised_day >= 63) & (raised_day < 77)  # both pools empty: written after 17 May
    assert nobody.sum() > 20 and (log.written_day[nobody] >= 77).all()
    assert outcome["waiting"] == 0  # all written once the staff were back


def test_a_writer_works_in_the_order_raised(small):
    """One TE expert writes every statement: the days written never go back in the order raised."""
    scenario = simkit.with_overrides(small, STATEMENTS | {"te.experts": 1, "te.caseload_cap": 2000,
                                                          "statements.minutes": 30.0})
    log = simkit.simulate(scenario, seed=3, keep_observations=True).observations.statements
    assert (np.diff(log.written_day[log.written_day >= 0]) >= 0).all()


@pytest.mark.parametrize("changes, keys", [
    ({"te.experts": 0, "statements.coach_share": 0.5}, ("statements.coach_share = 0.5", "te.experts = 0")),
    ({"coaches.count": 0, "coaches.teams": [], "statements.coach_share": 1.0},
     ("statements.coach_share = 1.0", "coaches.count = 0")),
])
def test_a_writer_pool_with_nobody_is_a_one_line_error(changes, keys):
    te24 = Path(__file__).resolve().parents[2] / "scenarios" / "te24-seinajoki-ilmajoki-isokyro-2025.toml"
    with pytest.raises(simkit.ScenarioError) as error:
        simkit.load_scenario(te24, changes)
    assert len(error.value.problems) == 1
    assert all(key in error.value.problems[0] for key in keys)
    assert "\n" not in str(error.value)
