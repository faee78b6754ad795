"""Figures for the notebooks: every one has a title, axis labels with units and a legend.

Each function draws on a new figure (or on ``ax`` if given) and returns the ``Figure``. Labels
follow the current language (:func:`simkit.i18n.set_language`). Daily series show the mean over
replications with a 95% band: by default the confidence interval of the daily mean, which stays
inside the column's range (``band="ci"``, :func:`simkit.analysis.stats.interval`), or the range
holding 95% of the replications (``band="range"``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.rcParams.setdefault("figure.max_open_warning", 0)
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simkit.analysis.stats import CONFIDENCE, UNBOUNDED, interval, value_bounds
from simkit.i18n import daily_label, metric_label, t, unit_label
from simkit.model.meetings import YEAR, meeting_rules
from simkit.registry import SHARE, lookup, metric_unit
from simkit.views.summary import number

BAND_ROOM = 1.5  # a band reaching above 1.5 x the highest replication value is cut at the top of the axes
COLOURS = ("#1f5fa8", "#d9730d", "#2e8b57", "#a83279", "#6b6b6b")


def _wrap(title: str, width: int = 48) -> str:
    """Long titles on two lines (Finnish labels run longer than English ones)."""
    return textwrap.fill(title, width) if title else title


def _axes(ax=None, figsize=(8.0, 4.0)):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _legend_below(ax, owns_figure: bool, ncols: int) -> None:
    """A legend under the axes: outside the figure's drawing area when the figure is this axis's own
    (constrained layout makes room, so it never overlaps the x label), else inside the axes."""
    if owns_figure:
        handles, labels = ax.get_legend_handles_labels()
        ax.figure.legend(handles, labels, loc="outside lower center", ncols=ncols, fontsize="small", frameon=False)
    else:
        ax.legend(loc="best", fontsize="small")


def daily_band_table(daily: pd.DataFrame, column: str, band: str = "ci",
                     confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per date: mean over replications and the 95% band (``low``, ``high``) of ``column``.

    ``daily`` is :attr:`simkit.Replications.daily` (one row per day and replication). Days
    before the statistics window (warm-up) are left out.
    """
    frame = daily[daily["in_window"]] if "in_window" in daily else daily
    wide = frame.pivot_table(index="date", columns="replication", values=column, aggfunc="first")
    values = wide.to_numpy(dtype=float)
    n = np.sum(~np.isnan(values), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nanmean(values, axis=1) if values.size else np.array([])
        if band == "range":
            tail = (1 - confidence) / 2 * 100
            low = np.nanpercentile(values, tail, axis=1)
            high = np.nanpercentile(values, 100 - tail, axis=1)
        elif band == "ci":
            sd = np.nanstd(values, axis=1, ddof=1) if values.shape[1] > 1 else np.full(len(mean), np.nan)
            resolved = lookup(column)
            bounds = value_bounds(resolved.metric.unit) if resolved else UNBOUNDED
            low, high = interval(mean, sd, n, bounds, confidence)
        else:
            raise ValueError(f"band must be 'ci' or 'range', not {band!r}")
    highest = np.nanmax(values, axis=1) if values.size else np.array([])
    return pd.DataFrame({"mean": mean, "low": low, "high": high, "n": n, "highest": highest}, index=wide.index)


def daily_band(series: pd.DataFrame | Mapping[str, pd.DataFrame], columns: str | Sequence[str],
               title: str | None = None, ylabel: str | None = None, band: str = "ci", ax=None,
               reference: float | None = None, reference_label: str | None = None):
    """Daily series, mean line and 95% band across replications.

    ``series`` is one ``Replications.daily`` frame, or a mapping ``{legend label: frame}`` to
    draw several runs (e.g. base and variant) on one axis. ``columns`` names the daily columns.
    """
    runs = {"": series} if isinstance(series, pd.DataFrame) else dict(series)
    columns = [columns] if isinstance(columns, str) else list(columns)
    owns_figure = ax is None
    fig, ax = _axes(ax)
    colour = iter(COLOURS * 4)
    highest = band_top = lowest = 0.0
    for run_label, daily in runs.items():
        for column in columns:
            table = daily_band_table(daily, column, band)
            highest = max(highest, float(np.nanmax(table["highest"], initial=0.0)))
            band_top = max(band_top, float(np.nanmax(table["high"], initial=0.0)))
            lowest = min(lowest, float(np.nanmin(table[["low", "mean"]].to_numpy(), initial=0.0)))
            n = int(table["n"].max()) if len(table) else 0
            name = " – ".join(part for part in (run_label, daily_label(column) if len(columns) > 1 or not run_label else "") if part)
            c = next(colour)
            ax.plot(table.index, table["mean"], color=c, lw=1.4, label=f"{name or daily_label(column)}: {t('mean')}")
            ax.fill_between(table.index, table["low"], table["high"], color=c, alpha=0.25, lw=0,
                            label=t("band_ci" if band == "ci" else "band_range", n=n))
    if reference is not None:
        ax.axhline(reference, color="black", ls="--", lw=1, label=reference_label or f"{reference:g}")
    if highest > 0 and band_top > BAND_ROOM * highest:  # few, skewed replications: a band far above every value
        top = BAND_ROOM * max(highest, reference or 0.0)  # the band runs off the top rather than flatten the lines
        ax.set_ylim(lowest - 0.05 * (top - lowest), top)
    ax.set_ylabel(ylabel or metric_label(columns[0], with_unit=True))
    ax.set_xlabel(t("date"))
    ax.set_title(_wrap(title or ", ".join(daily_label(c) for c in columns)))
    _legend_below(ax, owns_figure, ncols=2)
    ax.grid(alpha=0.3)
    for label in ax.get_xticklabels():  # this axis only: the figure may hold other panels
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return fig


def metric_bars(summaries: Mapping[str, pd.DataFrame], metrics: Sequence[str], title: str | None = None):
    """Small multiples: one panel per metric, one bar per run with its 95% CI.

    ``summaries`` maps a legend label to a ``Replications.summary`` table.
    """
    metrics = list(metrics)
    cols = min(len(metrics), 3)
    rows = int(np.ceil(len(metrics) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 3.0 * rows), layout="constrained", squeeze=False)
    labels = list(summaries)
    for index, name in enumerate(metrics):
        ax = axes.flat[index]
        for i, label in enumerate(labels):
            row = summaries[label].loc[name]
            err = np.array([[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]])
            err = np.clip(np.nan_to_num(err), 0.0, None)  # the mean lies in its interval: at most a rounding off
            ax.bar(i, row["mean"], yerr=err, capsize=4, color=COLOURS[i % len(COLOURS)], label=label)
        ax.set_xticks(range(len(labels)), [""] * len(labels))
        ax.set_title(metric_label(name), fontsize="medium")
        ax.set_ylabel(unit_label(metric_unit(name)))
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    handles, legend_labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="outside lower center", ncols=len(labels))
    fig.suptitle(title or "")
    return fig


def comparison_bars(comparison: pd.DataFrame, metrics: Sequence[str] | None = None, title: str | None = None,
                    ax=None):
    """Paired differences (variant − base) with 95% CIs, one bar per metric, in percent of the base.

    ``comparison`` is :meth:`simkit.Replications.compare`; the tick labels give each metric's
    base value and unit, so metrics in different units share one axis.
    """
    table = comparison if metrics is None else comparison.loc[list(metrics)]
    base = table["base_mean"].replace(0, np.nan).abs()
    pct = 100 * table["mean"] / base
    low = 100 * table["ci_low"] / base
    high = 100 * table["ci_high"] / base
    fig, ax = _axes(ax, figsize=(8.0, 0.5 * len(table) + 1.6))
    y = np.arange(len(table))[::-1]
    colours = [COLOURS[0] if (h < 0 or lo > 0) else COLOURS[4] for lo, h in zip(low.fillna(0), high.fillna(0))]
    ax.barh(y, pct.fillna(0), color=colours, alpha=0.85, label=t("difference"))
    ax.errorbar(pct.fillna(0), y, xerr=[np.nan_to_num(pct - low), np.nan_to_num(high - pct)], fmt="none",
                ecolor="black", capsize=3, label="95% CI")
    ticks = [f"{metric_label(name)}\n({t('base')}: {_base_value(row)})" for name, row in table.iterrows()]
    ax.set_yticks(y, ticks, fontsize="small")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(f"{t('difference')} (%)")
    ax.set_title(_wrap(title or t("difference")))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize="small", frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def _base_value(row: pd.Series) -> str:
    """A base value in the one number format of the views: a share in percent, else with its unit."""
    share = row["unit"] == SHARE
    return number(row["base_mean"], share) if share else f"{number(row['base_mean'])} {unit_label(row['unit'])}"


def meeting_plan(rule_names: Sequence[str] = ("2021", "nordic-2022"), ax=None):
    """The meetings each rule set requires in a client's first year, on a time line."""
    owns_figure = ax is None
    fig, ax = _axes(ax, figsize=(8.0, 3.4))
    for i, name in enumerate(rule_names):
        rules = meeting_rules(name)
        first = rules.first_meeting_working_days * 7 / 5
        due = [d for d in rules.later_meetings_due if d <= YEAR]
        ax.scatter([first], [i], marker="D", s=60, color=COLOURS[i], zorder=3)
        ax.scatter(due, [i] * len(due), marker="|", s=300, color=COLOURS[i], zorder=3,
                   label=t("meetings_first_year", rules=t("rules_" + name), n=1 + len(due)))
    ax.set_yticks(range(len(rule_names)), [t("rules_" + n) for n in rule_names])
    ax.set_ylim(-0.7, len(rule_names) - 0.3)
    ax.set_xlim(-5, YEAR + 5)
    ax.set_xlabel(t("axis.days_since_registration"))
    ax.set_ylabel(t("axis.rules"))
    ax.set_title(t("title.meeting_plan"))
    _legend_below(ax, owns_figure, ncols=1)
    ax.grid(axis="x", alpha=0.3)
    return fig


def curve_with_ci(table: pd.DataFrame, x: str, groups: str | None = None, title: str = "", xlabel: str = "",
                  ylabel: str = "", scale: float = 1.0, analytic: str | None = None, analytic_label: str = "",
                  highlight: float | None = None, highlight_label: str = "", target: float | None = None,
                  target_label: str = "", ax=None):
    """A metric against a lever: mean with 95% CI error bars (columns ``mean``, ``ci_low``, ``ci_high``).

    ``groups`` splits ``table`` into one line per value (e.g. meeting rules); ``analytic`` names a
    column drawn as a dashed line beside the simulation (e.g. the Erlang C formula).
    """
    fig, ax = _axes(ax)
    parts = table.groupby(groups, sort=False) if groups else [("", table)]
    for i, (label, part) in enumerate(parts):
        part = part.sort_values(x)
        c = COLOURS[i % len(COLOURS)]
        mean = part["mean"] * scale
        err = np.nan_to_num(np.vstack([mean - part["ci_low"] * scale, part["ci_high"] * scale - mean]))
        ax.errorbar(part[x], mean, yerr=err, color=c, marker="o", ms=4, capsize=3,
                    label=f"{label}" if label != "" else t("simulation"))
        if analytic:
            ax.plot(part[x], part[analytic] * scale, color=c, ls="--", lw=1.2,
                    label=f"{analytic_label}{': ' + str(label) if label != '' else ''}")
    if target is not None:
        ax.axhline(target, color="black", ls=":", lw=1, label=target_label or f"{target:g}")
    if highlight is not None:
        ax.axvline(highlight, color="red", lw=1, alpha=0.6, label=highlight_label)
    ax.set_title(title)
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    return fig


def side_by_side(summary: pd.DataFrame, pairs: Sequence[tuple[str, str]], labels: tuple[str, str],
                 title: str = ""):
    """One panel per pair of metrics (e.g. coach and TE caseload), two bars with 95% CIs each."""
    cols = min(len(pairs), 3)
    rows = int(np.ceil(len(pairs) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.8 * cols, 3.1 * rows), layout="constrained", squeeze=False)
    for ax, names in zip(axes.flat, pairs):
        for i, (name, label) in enumerate(zip(names, labels)):
            row = summary.loc[name]
            err = np.nan_to_num(np.array([[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]]))
            ax.bar(i, row["mean"], yerr=err, capsize=4, color=COLOURS[i], label=label)
        panel = metric_label(names[0])
        panel = panel.split(": ", 1)[-1]
        ax.set_title(panel[:1].upper() + panel[1:], fontsize="medium")
        ax.set_xticks(range(len(names)), [""] * len(names))
        ax.set_ylabel(unit_label(metric_unit(names[0])))
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(pairs):]:
        ax.set_visible(False)
    handles, legend_labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="outside lower center", ncols=2)
    fig.suptitle(title)
    return fig
