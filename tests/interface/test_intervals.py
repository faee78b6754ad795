"""Honest intervals (simkit.analysis.stats): inside each metric's range, with a note when they
need one, and the share interval's coverage checked on binomial cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

import simkit
from simkit.analysis import stats
from simkit.registry import SHARE, is_share
from simkit.report import metrics_json, summary_text
from simkit.scenario import bundled_scenarios


@pytest.fixture(scope="module")
def understaffed() -> simkit.Scenario:
    """The understaffed training case cut to 4 months: a waiting list from the first day."""
    return simkit.with_overrides(simkit.load_scenario(bundled_scenarios()["understaffed-coach-team"]), {
        "scenario.days": 120, "scenario.warmup_days": 0,
    })


@pytest.mark.parametrize("replications", [2, 3])
def test_no_interval_leaves_the_metric_range_on_small_runs(understaffed, replications):
    runs = simkit.replicate(understaffed, replications, seed=11)
    summary = runs.summary
    assert len(summary) > 40
    for name, row in summary.dropna(subset=["ci_low"]).iterrows():
        assert row["ci_low"] >= 0, name
        assert row["ci_low"] <= row["mean"] <= row["ci_high"], name
        if is_share(name):
            assert row["ci_high"] <= 1, name
    fewer = simkit.replicate(simkit.with_overrides(understaffed, {"coaches.count": 8}), replications, seed=11)
    change = fewer.compare(runs)
    shares = [name for name in change.index if is_share(name)]
    assert change.loc[shares, "ci_low"].dropna().ge(-1).all() and change.loc[shares, "ci_high"].dropna().le(1).all()


@pytest.mark.parametrize(("p", "trials", "replications"), [(0.9, 50, 3), (0.5, 20, 3), (0.7, 100, 5), (0.98, 200, 4)])
def test_share_interval_covers_a_binomial_share_about_95_percent_of_the_time(p, trials, replications):
    """Each replication's share is k/trials with k ~ Binomial(trials, p): the interval of the mean
    share should hold p in about 95% of 4,000 sets of replications, and never leave [0, 1]."""
    rng = np.random.default_rng(20261130)
    shares = rng.binomial(trials, p, size=(4000, replications)) / trials
    low, high = stats.interval(shares.mean(axis=1), shares.std(axis=1, ddof=1), replications,
                               stats.value_bounds(SHARE))
    coverage = np.mean((low <= p) & (p <= high))
    assert 0.93 <= coverage <= 0.975, coverage
    assert low.min() >= 0 and high.max() <= 1


def test_share_interval_is_the_t_interval_far_from_the_bounds():
    values = [0.50, 0.52, 0.48, 0.51, 0.49]
    _, low, high = stats.mean_ci(values, unit=SHARE)
    _, t_low, t_high = stats.mean_ci(values)
    assert (low, high) == pytest.approx((t_low, t_high), abs=1e-3)


def test_a_series_named_after_a_metric_gets_that_metrics_interval():
    on_time = pd.Series([0.99, 1.0, 0.97], name="coach.first_meeting_on_time_share")
    assert stats.mean_ci(on_time) == stats.mean_ci(on_time.to_numpy(), unit=SHARE)
    assert stats.mean_ci(on_time)[2] < 1
    assert stats.mean_ci(pd.Series([0.99, 1.0, 0.97], name="not a metric"))[2] > 1


def test_share_interval_stays_below_one_where_the_t_interval_does_not():
    mean, low, high = stats.mean_ci([0.99, 1.0, 0.97], unit=SHARE)
    assert stats.mean_ci([0.99, 1.0, 0.97])[2] > 1
    assert 0 < low < mean < high < 1


def test_non_negative_interval_is_the_log_scale_interval_of_the_mean():
    values = np.array([1.5, 1.98, 0.2])
    _, low, high = stats.mean_ci(values, unit="minutes")
    factor = math.exp(scipy_stats.t.ppf(0.975, 2) * values.std(ddof=1) / math.sqrt(3) / values.mean())
    assert (low, high) == pytest.approx((values.mean() / factor, values.mean() * factor))
    assert stats.mean_ci([0.0, 0.0], unit="clients") == (0.0, 0.0, 0.0)


def test_notes_for_one_replication_no_spread_and_a_system_on_the_edge():
    frame = pd.DataFrame({"coach.first_meeting_on_time_share": [0.07, 0.98, 0.6],
                          "clients.waiting_for_coach": [0.0, 0.0, 370.0], "kela.callbacks_per_day": [2.0, 2.0, 2.0]})
    units = {name: simkit.registry.metric_unit(name) for name in frame}
    table = stats.summary_table(frame, units)
    on_time = table.loc["coach.first_meeting_on_time_share"]
    assert on_time["flags"] == "on_the_edge;imprecise"
    assert "from 7% to 98%" in on_time["note"] and f"about {on_time['replications_needed']:,} replications" in on_time["note"]
    assert table.loc["clients.waiting_for_coach", "flags"] == "uneven;imprecise"
    assert table.loc["kela.callbacks_per_day", "flags"] == "no_spread"
    single = stats.summary_table(frame.iloc[:1], units)
    assert set(single["flags"]) == {"one_replication"} and single["ci_low"].isna().all()
    assert stats.interval_note(on_time, "fi").startswith("kynnyksellä: toistojen arvot vaihtelevat välillä 7%–98%")
    assert stats.interval_note(table.loc["clients.waiting_for_coach"], "sv").startswith("ojämn: replikeringarna")


@pytest.mark.parametrize(("sd", "n", "half"), [(10.0, 3, 2.0), (0.2, 5, 0.05), (1.0, 2, 0.05)])
def test_replications_needed_is_the_smallest_count_reaching_the_precision(sd, n, half):
    needed = stats.replications_needed(sd, n, half)
    def width(i):
        return scipy_stats.t.ppf(0.975, i - 1) * sd / math.sqrt(i)
    assert needed >= n and width(needed) <= half
    assert needed == n or width(needed - 1) > half


def test_precise_enough_rows_have_no_note():
    frame = pd.DataFrame({"coach.caseload_mean": [120.0, 121.0, 119.5, 120.4]})
    table = stats.summary_table(frame, {"coach.caseload_mean": "clients per person"})
    assert table.loc["coach.caseload_mean", "note"] == ""
    assert table.loc["coach.caseload_mean", "replications_needed"] == 4


def test_json_and_text_carry_the_notes(understaffed):
    runs = simkit.replicate(understaffed, 2, seed=11)
    reported = metrics_json(runs)["metrics"]
    notes = {name: entry["note"] for name, entry in reported.items() if entry["note"]}
    assert notes and all(isinstance(entry["replications_needed"], int) for entry in reported.values())
    text = summary_text(runs)
    assert "2 replications" in text
    name, note = next(iter(notes.items()))
    assert note in next(line for line in text.splitlines() if line.startswith(name + " "))
    assert "1 replication," in summary_text(simkit.replicate(understaffed, 1, seed=11))
