"""The simulation against queueing theory: Little's law and Erlang C (many replications: slow)."""

from __future__ import annotations

import pytest

import simkit
from simkit.analysis.checks import erlang_c_line, steady_state
from simkit.analytic import erlang_c, little_expected_active

pytestmark = pytest.mark.slow


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
