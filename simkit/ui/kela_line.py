"""Notebook 03, the Kela contact line: the simulated line beside Erlang C, the scenario's own line
at several question rates, and the sliders that call :func:`kela_point`."""

from __future__ import annotations

import math
from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from simkit import analytic, plots
from simkit.analysis.stats import mean_ci
from simkit.i18n import metric_label, t, t_count, unit_label
from simkit.metrics import METRIC_BY_NAME
from simkit.scenario import Scenario, with_overrides
from simkit.ui.runs import Panel, replications_bar

MINUTES_PER_HOUR = 60.0


def erlang_c_wait_minutes(servers: int, calls_per_hour: float, handle_minutes: float) -> float:
    """Mean wait in queue (minutes) of an M/M/c line by Erlang C (:mod:`simkit.analytic`); inf if overloaded."""
    return analytic.erlang_c(calls_per_hour / MINUTES_PER_HOUR, handle_minutes, servers).mean_wait


def contact_persons_needed(questions_per_day: float, handle_minutes: float, target_wait_minutes: float,
                           open_hours_per_day: float = 24.0) -> int:
    """Fewest contact persons whose Erlang C mean wait is at most the target.

    ``questions_per_day`` arrive evenly over ``open_hours_per_day`` (24 for an always-open line).
    """
    calls_per_minute = questions_per_day / open_hours_per_day / MINUTES_PER_HOUR
    return analytic.servers_for_mean_wait(calls_per_minute, handle_minutes, target_wait_minutes)


# The textbook line: open around the clock, patient callers, one kind of question, nobody off the line.
ALWAYS_OPEN = {"kela.open_hours": [0.0, 24.0], "kela.call_hours": [0.0, 24.0], "kela.open_weekdays": 7,
               "kela.call_weekdays": 7, "kela.patience_minutes": math.inf, "kela.question_types": [],
               "kela.offline_hours_per_week": 0.0, "kela.handle_distribution": "exponential"}


def kela_line_vs_erlang(scenario: Scenario, questions_per_client_month: Sequence[float],
                        contact_persons: Sequence[int] = (1, 2), replications: int = 5, seed: int | None = None,
                        progress: bool = True) -> pd.DataFrame:
    """The textbook line: open around the clock, callers never hang up; simulation and Erlang C.

    One row per question rate and staff: the simulated mean wait (95% CI), the measured arrival
    rate and load, and the Erlang C mean wait at that measured rate.
    """
    rows = []
    combos = [(q, c, with_overrides(scenario, {**ALWAYS_OPEN, "kela.questions_per_client_month": q,
                                                "kela.contact_persons": c}))
              for c in contact_persons for q in questions_per_client_month]
    with replications_bar([variant for _, _, variant in combos], replications,
                          t("running", n=len(combos) * replications), progress) as bar:
        for q, c, variant in combos:
            runs = bar.replicate(variant, replications, seed)
            per = runs.per_replication
            mean, low, high = mean_ci(per["kela.wait_minutes_mean"])
            calls_per_hour = float(per["kela.questions_per_day"].mean()) / 24.0
            handle = variant.kela.handle_minutes
            rows.append({
                "kela.questions_per_client_month": q, "contact_persons": c,
                "questions_per_day": calls_per_hour * 24.0,
                "load_per_person": calls_per_hour * handle / MINUTES_PER_HOUR / c,
                "mean": mean, "ci_low": low, "ci_high": high,
                "erlang_c": erlang_c_wait_minutes(c, calls_per_hour, handle),
            })
    return pd.DataFrame(rows)


def erlang_figure(table: pd.DataFrame):
    labelled = table.assign(staff=[t_count("persons", int(c)) for c in table["contact_persons"]])
    return plots.curve_with_ci(
        labelled, "kela.questions_per_client_month", groups="staff", title=t("title.erlang"),
        xlabel=t("axis.questions_per_client_month"), ylabel=t("axis.wait_minutes"), analytic="erlang_c",
        analytic_label=t("erlang_c"),
    )


KELA_METRICS = ("kela.questions_per_day", "kela.wait_minutes_mean", "kela.answered_share",
                "kela.callbacks_per_day", "kela.answer_hours_mean", "kela.utilisation")


def kela_line_by_rate(scenario: Scenario, questions_per_client_month: Sequence[float], replications: int = 5,
                      seed: int | None = None, progress: bool = True) -> pd.DataFrame:
    """The scenario's own line (office hours, impatient callers) at several question rates.

    One row per rate and metric of :data:`KELA_METRICS`: mean and 95% CI.
    """
    rows = []
    rates = [(q, with_overrides(scenario, {"kela.questions_per_client_month": q})) for q in questions_per_client_month]
    with replications_bar([variant for _, variant in rates], replications, t("running", n=len(rates) * replications),
                          progress) as bar:
        for q, variant in rates:
            runs = bar.replicate(variant, replications, seed)
            for name in KELA_METRICS:
                mean, low, high = mean_ci(runs.per_replication[name])
                rows.append({"kela.questions_per_client_month": q, "metric": name, "mean": mean,
                             "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def kela_rate_figure(table: pd.DataFrame, metrics: Sequence[str] = ("kela.wait_minutes_mean", "kela.answered_share",
                                                                    "kela.answer_hours_mean")):
    """One panel per Kela metric against the question rate (mean and 95% CI)."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.6), layout="constrained", squeeze=False)
    for ax, name in zip(axes.flat, metrics):
        part = table[table["metric"] == name].assign(metric=metric_label(name))
        plots.curve_with_ci(part, "kela.questions_per_client_month", groups="metric", ax=ax,
                            title=metric_label(name), xlabel=t("axis.questions_per_client_month"),
                            ylabel=unit_label(METRIC_BY_NAME[name].unit))
    fig.suptitle(t("title.kela_by_rate"))
    return fig


def kela_point(scenario: Scenario, questions_per_client_month: float, contact_persons: int,
               replications: int = 4, seed: int | None = None) -> dict:
    """The textbook line at one rate and staff: simulated mean wait (95% CI) beside Erlang C."""
    table = kela_line_vs_erlang(scenario, [questions_per_client_month], [contact_persons], replications, seed,
                                progress=False)
    return table.iloc[0].to_dict()


def kela_explorer(scenario: Scenario, replications: int = 4, seed: int | None = None) -> Panel:
    """Sliders for the question rate and the contact persons; simulation and formula side by side."""
    rate = widgets.FloatSlider(value=0.5, min=0.1, max=3.0, step=0.1, description=t("axis.questions_per_client_month"),
                               continuous_update=False, style={"description_width": "220px"},
                               layout=widgets.Layout(width="520px"))
    persons = widgets.IntSlider(value=1, min=1, max=6, description=t("contact_persons"), continuous_update=False,
                                style={"description_width": "220px"}, layout=widgets.Layout(width="520px"))
    out = widgets.HTML()

    def update(_=None):
        point = kela_point(scenario, rate.value, persons.value, replications, seed)
        erlang = point["erlang_c"]
        formula = "∞" if math.isinf(erlang) else f"{erlang:.2f}"
        out.value = (
            f"<table><tr><td>{t('axis.questions_per_client_month')}</td><td>{rate.value:.1f}</td></tr>"
            f"<tr><td>{metric_label('kela.questions_per_day')}</td><td>{point['questions_per_day']:.1f}</td></tr>"
            f"<tr><td>{t('load_per_person')}</td><td>{100 * point['load_per_person']:.0f} %</td></tr>"
            f"<tr><td>{t('simulation')}</td><td>{point['mean']:.2f} min "
            f"[{point['ci_low']:.2f}, {point['ci_high']:.2f}]</td></tr>"
            f"<tr><td>{t('erlang_c')}</td><td>{formula} min</td></tr></table>"
        )

    rate.observe(update, names="value")
    persons.observe(update, names="value")
    update()
    return Panel([rate, persons, out], name=t("title.erlang"))

