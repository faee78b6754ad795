"""Turn replications into the outputs people read: a text table, JSON, and result files."""

from __future__ import annotations

import math
from pathlib import Path

import simkit
from simkit.areas import area_text
from simkit.io import atomic_write_csv, atomic_write_json, json_safe
from simkit.runner import Replications
from simkit.tidy import tidy_by_area
from simkit.views.summary import replications_text


def metrics_json(runs: Replications) -> dict:
    """``{"scenario", "seed", "replications", "metrics": {name: {"mean", "ci95", "unit",
    "replications_needed", "note"}}}``: ``ci95`` stays inside the metric's range
    (:mod:`simkit.analysis.stats`), ``note`` says when it needs a word ("" when not)."""
    summary = runs.summary
    return json_safe({
        "scenario": runs.scenario.name,
        "seed": runs.seed,
        "replications": len(runs.results),
        "metrics": {
            name: {"mean": row["mean"], "ci95": [row["ci_low"], row["ci_high"]], "unit": row["unit"],
                   "replications_needed": int(row["replications_needed"]), "note": row["note"]}
            for name, row in summary.iterrows()
        },
    })


def summary_text(runs: Replications) -> str:
    """A table of every metric by its dotted name: mean, 95% confidence interval, unit, and the
    interval's note (:func:`simkit.analysis.stats.summary_table`) where it needs one."""
    summary = runs.summary
    per_area = [name for name in summary.index if name.startswith("area.")]  # a multi-area run: a table below
    whole, summary = summary, summary.drop(per_area)
    head = f"{runs.scenario.name}: {replications_text(len(runs.results))}, seed {runs.seed}"
    width = max(len(name) for name in summary.index)
    unit_width = max(len(unit) for unit in summary["unit"])
    lines = [head, "", f"{'metric':<{width}}  {'mean':>10}  {'95% CI':>23}  {'unit':<{unit_width}}  note"]
    for name, row in summary.iterrows():
        interval = (
            f"[{_number(row['ci_low'])}, {_number(row['ci_high'])}]" if not math.isnan(row["ci_low"]) else "-"
        )
        line = f"{name:<{width}}  {_number(row['mean']):>10}  {interval:>23}  {row['unit']:<{unit_width}}  {row['note']}"
        lines.append(line.rstrip())
    if per_area:
        lines += ["", "Per area (means; every area.<name>.<metric> is in --json and --out):", area_text(whole)]
    return "\n".join(lines)


def by_period_text(runs: Replications) -> str:
    """The mean of every metric for the whole window and for each period between dated events
    (a column each), with the event that began each period and what it set."""
    table = runs.by_period()
    periods = list(dict.fromkeys(table["period"]))
    means = table.pivot(index="metric", columns="period", values="mean").loc[list(dict.fromkeys(table["metric"]))]
    firsts = table.drop_duplicates("period").set_index("period")
    width = max(len(name) for name in means.index)
    column = max(12, *(len(period) for period in periods))
    lines = [f"{runs.scenario.name}: by period ({replications_text(len(runs.results))}, seed {runs.seed})", ""]
    lines += [f"{period}: {firsts.loc[period, 'event'] or 'as the scenario starts'}"
              f"{' (' + firsts.loc[period, 'changes'] + ')' if firsts.loc[period, 'changes'] else ''}"
              for period in periods[1:]]
    lines += ["", f"{'metric':<{width}}  " + "  ".join(f"{period:>{column}}" for period in periods)]
    lines += [f"{name:<{width}}  " + "  ".join(f"{_number(row[period]):>{column}}" for period in periods)
              for name, row in means.iterrows()]
    return "\n".join(lines)


def write_results(runs: Replications, folder: str | Path, run_info: dict) -> list[Path]:
    """Write daily.csv, replications.csv, summary.csv and run.json into ``folder``, each atomically;
    the tables of a multi-area run in the tidy form, with an ``area`` column (:func:`simkit.tidy.tidy_by_area`)."""
    folder = Path(folder)
    written = {
        "daily.csv": lambda path: atomic_write_csv(path, tidy_by_area(runs.daily), index=False),
        "replications.csv": lambda path: atomic_write_csv(path, tidy_by_area(runs.per_replication), index=False),
        "summary.csv": lambda path: atomic_write_csv(path, tidy_by_area(runs.summary), index=False),
        "run.json": lambda path: atomic_write_json(path, {
            **run_info,
            "scenario": runs.scenario.model_dump(mode="json"),
            "scenario_hash": runs.scenario.content_hash(),
            "seed": runs.seed,
            "replications": len(runs.results),
            "simkit_version": simkit.__version__,
            "metrics": metrics_json(runs)["metrics"],
        }),
    }
    paths = []
    for name, write in written.items():
        write(folder / name)
        paths.append(folder / name)
    return paths


def _number(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
