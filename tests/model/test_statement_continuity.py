"""Statements are diary work: a little more absence changes them a little, and more absence never
makes them faster (Seinäjoki–Ilmajoki file, Nordic window 2.5.2022–30.6.2023, as in issue 9)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

import simkit

SEINAJOKI = Path(__file__).resolve().parents[2] / "scenarios" / "seinajoki-ilmajoki-2021.toml"
REPLICATIONS = 4


@cache
def statements_with_sick_leave(share: float) -> dict[str, float]:
    """Mean statement metrics over the replications (same seed: common random numbers)."""
    scenario = simkit.load_scenario(SEINAJOKI, {"scenario.start_date": dt.date(2022, 5, 2), "scenario.days": 425,
                                                "calendar.sick_leave_share": share})
    means = simkit.replicate(scenario, REPLICATIONS, seed=1).per_replication.mean()
    return {name: float(means[name]) for name in ("statements.on_time_share", "statements.days_mean",
                                                  "kela.payment_delay_days_mean")}


def test_a_little_sick_leave_moves_statements_a_little():
    none, little = statements_with_sick_leave(0.0), statements_with_sick_leave(0.001)
    assert abs(little["statements.on_time_share"] - none["statements.on_time_share"]) < 0.02
    assert little["statements.days_mean"] == pytest.approx(none["statements.days_mean"], rel=0.05, abs=0.05)


@pytest.mark.parametrize("share", [0.04, 0.16])
def test_more_absence_never_makes_statements_faster(share):
    none, more = statements_with_sick_leave(0.0), statements_with_sick_leave(share)
    assert more["statements.on_time_share"] <= none["statements.on_time_share"]
    assert more["statements.days_mean"] >= none["statements.days_mean"]
    assert more["kela.payment_delay_days_mean"] >= none["kela.payment_delay_days_mean"]
