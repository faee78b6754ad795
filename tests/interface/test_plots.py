"""Figures (simkit.plots): titles, axis labels with units, legends, and the 95% band across replications."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simkit import plots, ui

pytestmark = pytest.mark.usefixtures("english_and_no_figures")

def _legend(ax):
    """The axes' legend, or the figure's legend below it (a figure of its own puts it outside the axes)."""
    return ax.get_legend() or (ax.figure.legends[0] if ax.figure.legends else None)



def _daily(values_by_replication: list[list[float]]) -> pd.DataFrame:
    frames = []
    for replication, values in enumerate(values_by_replication):
        frames.append(pd.DataFrame({
            "date": pd.date_range("2021-03-01", periods=len(values)), "in_window": True,
            "coach_caseload_mean": values, "replication": replication,
        }))
    return pd.concat(frames, ignore_index=True)


def test_band_is_the_log_scale_interval_of_the_daily_mean():
    daily = _daily([[100, 110], [104, 110], [108, 110]])
    table = plots.daily_band_table(daily, "coach_caseload_mean")
    factor = np.exp(stats.t.ppf(0.975, 2) * np.std([100, 104, 108], ddof=1) / np.sqrt(3) / 104)
    assert table["mean"].tolist() == [104, 110]
    assert table["low"].iloc[0] == pytest.approx(104 / factor)
    assert table["high"].iloc[0] == pytest.approx(104 * factor)
    assert table["low"].iloc[1] == table["high"].iloc[1] == 110  # identical replications: no width


def test_band_of_a_count_never_goes_below_zero_when_staff_are_short():
    daily = _daily([[0, 0], [0, 1], [30, 2]])  # one replication of three tips over: a skewed day
    table = plots.daily_band_table(daily, "coach_caseload_mean")
    assert (table["low"] > 0).all() and (table["high"] > table["mean"]).all()


def test_range_band_holds_95_percent_of_replications():
    rng = np.random.default_rng(1)
    daily = _daily([[v] for v in rng.normal(0, 1, 400)])
    table = plots.daily_band_table(daily, "coach_caseload_mean", band="range")
    assert table["low"].iloc[0] == pytest.approx(-1.96, abs=0.25)
    assert table["high"].iloc[0] == pytest.approx(1.96, abs=0.25)
    with pytest.raises(ValueError):
        plots.daily_band_table(daily, "coach_caseload_mean", band="other")


def test_warm_up_days_are_left_out():
    daily = _daily([[1, 2, 3], [1, 2, 3]])
    daily["in_window"] = daily["date"] > "2021-03-01"
    assert len(plots.daily_band_table(daily, "coach_caseload_mean")) == 2


def test_daily_band_figure_has_title_unit_label_band_and_legend():
    fig = plots.daily_band(_daily([[100, 110, 120], [102, 112, 118]]), "coach_caseload_mean", title="Caseload")
    ax = fig.axes[0]
    assert ax.get_title() == "Caseload"
    assert ax.get_ylabel() == "Clients per coach (clients per coach)"
    assert ax.get_xlabel() == "Date"
    labels = [text.get_text() for text in _legend(ax).get_texts()]
    assert labels == ["Clients per coach: mean", "95% CI of the mean over 2 replications"]
    assert len(ax.collections) == 1  # the band


def test_daily_band_draws_several_runs_with_their_own_labels():
    runs = {"Base": _daily([[1, 2], [1, 3]]), "Variant": _daily([[2, 3], [2, 4]])}
    fig = plots.daily_band(runs, "coach_caseload_mean", reference=2.5, reference_label="cap")
    labels = [text.get_text() for text in _legend(fig.axes[0]).get_texts()]
    assert labels[0].startswith("Base") and labels[2].startswith("Variant") and labels[-1] == "cap"


def test_labels_follow_the_language():
    ui.set_language("fi")
    fig = plots.daily_band(_daily([[1, 2], [1, 3]]), "coach_caseload_mean")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Päivämäärä"
    assert ax.get_ylabel() == "Asiakkaita / omavalmentaja (asiakasta / omavalmentaja)"
    assert "luottamusväli" in _legend(ax).get_texts()[1].get_text()


def test_meeting_plan_counts_the_first_years_meetings():
    fig = plots.meeting_plan(["2021", "nordic-2022"])
    ax = fig.axes[0]
    labels = [text.get_text() for text in _legend(ax).get_texts()]
    assert [label.split(" meetings")[0] for label in labels] == ["2021 rules: 5", "Nordic model (2022): 12"]
    assert ax.get_title() and "(days)" in ax.get_xlabel()


def _comparison() -> pd.DataFrame:
    return pd.DataFrame({
        "base_mean": [120.0, 0.9], "mean": [12.0, -0.001], "ci_low": [10.0, -0.01], "ci_high": [14.0, 0.008],
        "std": [1.0, 0.01], "n": [5, 5], "unit": ["clients per person", "share"],
    }, index=["coach.caseload_mean", "kela.answered_share"])


def test_comparison_bars_are_percent_of_base_with_intervals():
    fig = plots.comparison_bars(_comparison(), title="t")
    ax = fig.axes[0]
    bars = [patch.get_width() for patch in ax.patches]
    assert bars == pytest.approx([10.0, -0.001 / 0.9 * 100])
    ticks = [tick.get_text() for tick in ax.get_yticklabels()]
    assert ticks[0].startswith("Coaches: clients per coach (mean)") and "120 clients per person" in ticks[0]
    assert ax.get_xlabel().endswith("(%)") and _legend(ax) is not None
    colours = [matplotlib.colors.to_hex(patch.get_facecolor()) for patch in ax.patches]
    assert colours[0] != colours[1]  # an interval that excludes zero is coloured, one across zero grey


def test_curve_with_ci_draws_simulation_formula_and_target():
    table = pd.DataFrame({"x": [1, 2], "mean": [1.0, 2.0], "ci_low": [0.9, 1.8], "ci_high": [1.1, 2.2],
                          "formula": [1.0, 2.1]})
    fig = plots.curve_with_ci(table, "x", title="T", xlabel="X (u)", ylabel="Y (v)", analytic="formula",
                              analytic_label="Erlang C", target=1.5, target_label="target")
    ax = fig.axes[0]
    labels = [text.get_text() for text in _legend(ax).get_texts()]
    assert sorted(labels) == ["Erlang C", "Simulation (95% CI)", "target"]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "X (u)", "Y (v)")


def test_a_band_far_above_every_replication_is_cut_at_the_top_not_flattening_the_lines():
    daily = _daily([[0, 0, 10], [2, 400, 12]])  # two replications, one day far apart: a huge upper bound
    fig = plots.daily_band(daily, "coach_caseload_mean")
    table = plots.daily_band_table(daily, "coach_caseload_mean")
    assert table["high"].max() > 10 * table["highest"].max()
    assert fig.axes[0].get_ylim() == pytest.approx((-0.05 * 600, 1.5 * 400))


def test_comparison_ticks_use_the_one_number_format():
    fig = plots.comparison_bars(pd.DataFrame({
        "base_mean": [2437.5, 0.736], "mean": [10.0, 0.01], "ci_low": [5.0, 0.0], "ci_high": [15.0, 0.02],
        "unit": ["clients", "share"]}, index=["clients.active_pilot", "clients.share_pilot"]))
    ticks = [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    assert "(Base: 2,438 clients)" in ticks[0] and "(Base: 73.6%)" in ticks[1]
