"""The simulation against queueing theory: Little's law and Erlang C."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

import simkit
from simkit.analysis.checks import erlang_c_line, steady_state
from simkit.analytic import erlang_b, erlang_c, little_expected_active, servers_for_mean_wait


# -- the formulas themselves ---------------------------------------------------------------
def test_erlang_c_matches_published_reference():
    """pyworkforce's test_erlang.py: 100 contacts / 30 min, 3-minute handle time, 14 agents."""
    line = erlang_c(arrival_rate=100 / 30, mean_handle=3.0, servers=14)
    assert line.prob_wait == pytest.approx(0.174, abs=5e-4)
    assert line.utilisation == pytest.approx(0.714, abs=5e-4)
    assert line.service_level(answer_within=20 / 60, mean_handle=3.0) == pytest.approx(0.888, abs=5e-4)


def test_erlang_c_single_server_is_mm1():
    rho = 0.8
    line = erlang_c(arrival_rate=rho, mean_handle=1.0, servers=1)
    assert line.prob_wait == pytest.approx(rho)
    assert line.mean_wait == pytest.approx(rho / (1 - rho))


def test_erlang_c_is_stable_for_thousands_of_servers():
    line = erlang_c(arrival_rate=4900.0, mean_handle=1.0, servers=5000)
    assert 0.0 < line.prob_wait < 1.0 and math.isfinite(line.mean_wait)
    # Halfin–Whitt limit: with c = a + beta*sqrt(a), P(wait) -> 1 / (1 + beta*Phi(beta)/phi(beta))
    beta = (5000 - 4900) / math.sqrt(4900)
    assert line.prob_wait == pytest.approx(1 / (1 + beta * norm.cdf(beta) / norm.pdf(beta)), rel=0.05)


def test_erlang_b_recursion_matches_the_closed_form_for_small_counts():
    a, c = 7.3, 9
    closed = (a ** c / math.factorial(c)) / sum(a ** k / math.factorial(k) for k in range(c + 1))
    assert erlang_b(c, a) == pytest.approx(closed)


def test_overloaded_line_has_infinite_wait():
    line = erlang_c(arrival_rate=2.0, mean_handle=1.0, servers=2)
    assert line.prob_wait == 1.0 and math.isinf(line.mean_wait)


def test_servers_for_mean_wait_is_the_smallest_that_meets_it():
    servers = servers_for_mean_wait(arrival_rate=4.0, mean_handle=1.0, max_mean_wait=0.05)
    assert erlang_c(4.0, 1.0, servers).mean_wait <= 0.05 < erlang_c(4.0, 1.0, servers - 1).mean_wait


# -- the simulation against them -----------------------------------------------------------
@pytest.mark.parametrize("distribution", ["exponential", "lognormal"])
def test_littles_law_for_active_clients(small, distribution):
    """Steady state: active clients = arrivals per day x mean spell, within 3%."""
    steady = steady_state(small, distribution)
    runs = simkit.replicate(steady, 4, seed=11)
    per_rep = runs.per_replication
    active = (per_rep["clients.active_pilot"] + per_rep["clients.active_te"]).mean()
    expected = little_expected_active(steady.inflow.per_week / 7, steady.spell.mean_days)
    assert active == pytest.approx(expected, rel=0.03)
    assert per_rep["clients.arrivals_per_day"].mean() == pytest.approx(10.0, rel=0.03)


@pytest.mark.parametrize("contact_persons, load", [(3, 0.5), (2, 0.85)])
def test_contact_line_matches_erlang_c(small, contact_persons, load):
    scenario = erlang_c_line(small, contact_persons, load)
    runs = simkit.replicate(scenario, 8, seed=5)
    per_rep = runs.per_replication
    arrival_rate = per_rep["kela.questions_per_day"].mean() / (24 * 60)  # per minute
    theory = erlang_c(arrival_rate, scenario.kela.handle_minutes, contact_persons)
    wait, wait_low, wait_high = runs.metric("kela.wait_minutes_mean")
    busy, busy_low, busy_high = runs.metric("kela.utilisation")
    assert wait_low <= theory.mean_wait <= wait_high
    assert wait == pytest.approx(theory.mean_wait, rel=0.10)
    assert busy_low <= theory.utilisation <= busy_high
    assert busy == pytest.approx(theory.utilisation, rel=0.10)
    assert per_rep["kela.answered_share"].eq(1.0).all()


def test_the_theory_variants_strip_what_the_formulas_lack(seinajoki):
    line = erlang_c_line(seinajoki, 2, 0.5)
    assert line.events == [] and line.kela.question_types == [] and line.kela.offline_hours_per_week == 0
    assert line.kela.open_hours == (0.0, 24.0) and line.kela.patience_minutes == float("inf")
    steady = steady_state(seinajoki)
    assert steady.inflow.initial_clients == round(70 / 7 * 120) and set(steady.inflow.seasonality) == {1.0}
