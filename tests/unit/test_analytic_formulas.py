"""The queueing formulas the simulation is checked against: Erlang B and C."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from simkit.analytic import erlang_b, erlang_c, servers_for_mean_wait


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
