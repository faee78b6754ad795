"""The planning commands of ``simkit``: ``sweep`` and ``plan``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from simkit.cli.areas import COST_PLAN_FILES, cost_plan_text, write_cost_plan
from simkit.cli.common import MOST_REPLICATIONS as MOST_REPLICATIONS_ALLOWED
from simkit.cli.common import (
    json_option,
    out_option,
    override_option,
    replications_option,
    scenario_argument,
    scheduler_option,
    seed_option,
    store_option,
    workers_option,
)
from simkit.io import (
    atomic_write_csv,
    atomic_write_json,
    atomic_write_parquet,
    json_safe,
    written_as_a_set,
)
from simkit.planning import PlanResult, SweepResult, known_metric, parse_grid
from simkit.planning import plan as plan_staff
from simkit.planning import sweep as run_sweep
from simkit.planning.areas import plan_cost
from simkit.planning.plan import FIRST_REPLICATIONS, MOST_REPLICATIONS
from simkit.planning.sweep import SWEEP_FILES
from simkit.report import summary_text
from simkit.scenario import ScenarioError, load_scenario
from simkit.tidy import tidy_by_area

SHOWN_METRICS = ("coach.caseload_mean", "coach.first_meeting_on_time_share", "te.caseload_mean",
                 "kela.answer_hours_mean")
PLAN_FILES = ("plan.json", "trace.csv", "trace.parquet", "summary.csv")


@click.command()
@scenario_argument
@click.option("--grid", "axes", multiple=True, required=True, metavar="KEY=SPEC",
              help="A swept key: KEY=START:STOP[:STEP] (STOP included) or KEY=V1,V2,... (repeatable).")
@replications_option(2, None, "Replications per point (default: the scenario's).")
@seed_option
@override_option
@workers_option
@scheduler_option
@store_option
@click.option("--metric", "shown", multiple=True, default=SHOWN_METRICS, show_default=True, metavar="METRIC",
              help="Metric shown in the table (repeatable); the files hold every metric.")
@json_option
@out_option(SWEEP_FILES, "Write replications, summary and differences (.csv and .parquet) and sweep.json into this "
                         "folder (new, empty or holding earlier results), all or none.")
def sweep(scenario_file: Path, axes: tuple[str, ...], replications: int | None, seed: int | None,
          overrides: tuple[str, ...], workers: int, scheduler: str | None, store: Path, shown: tuple[str, ...],
          as_json: bool, out: Path | None) -> None:
    """Run every combination of the --grid values and compare each with SCENARIO (paired, 95% CIs).

    Replication r of every point uses the same random numbers, so each difference from the
    base scenario is paired. Finished replications are saved to the --store at once: run the
    same command again after an interruption and only the missing ones run.
    """
    shown = tuple(known_metric(name, f"--metric {name}") for name in shown)
    scenario = load_scenario(scenario_file, overrides)
    result = run_sweep(scenario, parse_grid(axes), replications, seed, workers=workers or None, store=store,
                       scheduler=scheduler)
    if out is not None:
        result.write(out)
    absent = [name for name in shown if name not in result.base.summary.index]
    if absent:
        raise ScenarioError([f"--metric {name}: this scenario has no metric {name} (its runs are stored)"
                             for name in absent])
    click.echo(json.dumps(_sweep_json(result), ensure_ascii=False) if as_json else _sweep_text(result, shown))


@click.command()
@scenario_argument
@click.option("--vary", "levers", required=True, multiple=True, metavar="KEY",
              help="The whole-number setting to size, e.g. coaches.count; areas.<area>.<key> for one area "
                   "(repeatable: several levers, the cheapest mix).")
@click.option("--per-area", is_flag=True, help="Plan each [[areas]] entry on its own (one plan per area) and add up.")
@click.option("--area", "only", multiple=True, metavar="NAME",
              help="With --per-area: plan only this area (repeatable; default: every area).")
@click.option("--minimise", type=click.Choice(["cost"]), default=None,
              help="Report the cheapest staffing in person-years and euros ([costs]), per area with --per-area.")
@click.option("--target", "targets", multiple=True, required=True, metavar="METRIC<=NUMBER",
              help='A target such as "coach.caseload_mean<=120" or "coach.first_meeting_on_time_share>=0.9" '
                   "(repeatable; all must be met).")
@click.option("--confidence", type=click.FloatRange(0.5, 1.0, max_open=True), default=0.95, show_default=True,
              help="Confidence level of the intervals that must meet the targets.")
@replications_option(2, FIRST_REPLICATIONS, "Replications of each value tried first.")
@click.option("--max-replications", type=click.IntRange(2, MOST_REPLICATIONS_ALLOWED), default=MOST_REPLICATIONS,
              show_default=True, help="Most replications of one value while an interval straddles a target.")
@click.option("--low", type=click.IntRange(min=0), default=1, show_default=True, help="Smallest value considered.")
@click.option("--high", type=click.IntRange(min=0), default=None,
              help="Largest value considered (default: 16 x the scenario's value).")
@seed_option
@override_option
@workers_option
@scheduler_option
@store_option
@json_option
@out_option(tuple(dict.fromkeys(PLAN_FILES + COST_PLAN_FILES)),
            "Write plan.json, trace (.csv, .parquet) and the chosen value's summary.csv into this folder (new, "
            "empty or holding earlier results), all or none; a cost plan writes plan.json, areas and options "
            "(.csv, .parquet).")
def plan(scenario_file: Path, levers: tuple[str, ...], per_area: bool, only: tuple[str, ...], minimise: str | None,
         targets: tuple[str, ...], confidence: float, replications: int,
         max_replications: int, low: int, high: int | None, seed: int | None, overrides: tuple[str, ...],
         workers: int, scheduler: str | None, store: Path, as_json: bool, out: Path | None) -> None:
    """Find the smallest --vary value of SCENARIO whose confidence intervals meet every --target.

    Assumes that more of --vary never makes a target worse. The search starts at the
    scenario's value, halves or doubles it until the answer is bracketed, then bisects. Each
    value gets --replications runs, doubled while an interval straddles a target, up to
    --max-replications; a value still undecided then counts as not meeting the targets.

    With --per-area, several --vary or --minimise cost it reports the cheapest staffing in
    person-years and euros, per area and in total (docs/national-planning.md).
    """
    if max_replications < replications:
        raise click.BadParameter(f"must be at least --replications ({replications})", param_hint="--max-replications")
    scenario = load_scenario(scenario_file, overrides)
    if per_area or minimise or len(levers) > 1 or any(lever.startswith("areas.") for lever in levers):
        cheapest = plan_cost(scenario, levers, targets, confidence, per_area=per_area, only=only, low=low, high=high,
                             replications=replications, max_replications=max_replications, seed=seed,
                             workers=workers or None, store=store, scheduler=scheduler)
        if out is not None:
            write_cost_plan(cheapest, out)
        click.echo(json.dumps(json_safe(cheapest.to_json()), ensure_ascii=False) if as_json
                   else cost_plan_text(cheapest))
        return
    (vary,) = levers
    result = plan_staff(scenario, vary, targets, confidence, replications=replications,
                        max_replications=max_replications, low=low, high=high, seed=seed, workers=workers or None,
                        store=store, scheduler=scheduler)
    if out is not None:
        _write_plan(result, out)
    click.echo(json.dumps(json_safe(result.to_json()), ensure_ascii=False) if as_json else _plan_text(result, store))


# -- text and files --------------------------------------------------------------------
def _sweep_text(result: SweepResult, shown: tuple[str, ...]) -> str:
    base = result.base.summary
    differences = result.differences.set_index(["point", "metric"])
    summary = result.summary.set_index(["point", "metric"])
    width = max(len(p.point.label) for p in result.points)
    lines = [
        f"{result.base.scenario.name}: {len(result.points)} points x {result.replications} replications, "
        f"seed {result.seed} ({result.runs_computed} runs computed, {result.runs_reused} reused from the store)",
        "Each point is compared with the base scenario, paired by replication (common random numbers).",
    ]
    for name in shown:
        lines += ["", f"{name} ({base.loc[name, 'unit']}); base {_estimate(base.loc[name])}",
                  f"  {'point':<{width}}  {'mean':>10}  {'95% CI':>21}  {'vs base':>10}  {'95% CI':>21}"]
        for label in (p.point.label for p in result.points):
            level, change = summary.loc[(label, name)], differences.loc[(label, name)]
            lines.append(f"  {label:<{width}}  {_number(level['mean']):>10}  {_interval(level):>21}  "
                         f"{_number(change['mean'], signed=True):>10}  {_interval(change, signed=True):>21}")
    return "\n".join(lines)


def _sweep_json(result: SweepResult) -> dict:
    summary = result.summary.set_index(["point", "metric"])
    differences = result.differences.set_index(["point", "metric"])
    points = []
    for p in result.points:
        level, change = summary.loc[p.point.label], differences.loc[p.point.label]
        metrics = {
            name: {"mean": level.at[name, "mean"], "ci95": [level.at[name, "ci_low"], level.at[name, "ci_high"]],
                   "difference": change.at[name, "mean"],
                   "difference_ci95": [change.at[name, "ci_low"], change.at[name, "ci_high"]],
                   "unit": level.at[name, "unit"]}
            for name in level.index
        }
        points.append({"overrides": p.point.overrides, "metrics": metrics})
    return json_safe({
        "grid": result.grid, "seed": result.seed, "replications": result.replications,
        "runs_computed": result.runs_computed, "runs_reused": result.runs_reused, "points": points,
    })


def _plan_text(result: PlanResult, store: Path) -> str:
    level = f"{result.confidence:.0%} confidence"
    if result.value is None:
        lines = [f"No {result.vary} in [{result.lowest}, {result.highest}] meets every target with {level};"
                 " raise --high, relax a target or allow more --max-replications."]
    else:
        lines = [f"Smallest {result.vary} meeting every target with {level}: {result.value}"
                 f" ({len(result.runs.results)} replications)"]
        width = max(len(str(check.target)) for check in result.checks)
        lines += [f"  {str(c.target):<{width}}  {_number(c.mean):>10}  [{_number(c.ci_low)}, {_number(c.ci_high)}]"
                  f"  {c.verdict.value}" for c in result.checks]
    lines += ["", "Search (values in the order tried):", f"  {'value':>8}  {'replications':>12}  verdict"]
    lines += [f"  {step.value:>8}  {step.replications:>12}  {step.verdict.value}" for step in result.trace]
    lines += ["", f"Runs: {result.runs_computed} computed, {result.runs_reused} reused from {store}."]
    if result.runs is not None:
        lines += ["", f"Every metric at {result.vary} = {result.value}:", summary_text(result.runs)]
    return "\n".join(lines)


def _write_plan(result: PlanResult, out: Path) -> None:
    with written_as_a_set(out, PLAN_FILES) as folder:
        atomic_write_json(folder / "plan.json", result.to_json())
        trace = tidy_by_area(result.trace_table)
        atomic_write_csv(folder / "trace.csv", trace, index=False)
        atomic_write_parquet(folder / "trace.parquet", trace)
        if result.runs is not None:
            atomic_write_csv(folder / "summary.csv", tidy_by_area(result.runs.summary), index=False)


def _estimate(row) -> str:
    return f"{_number(row['mean'])} {_interval(row)}"


def _interval(row, signed: bool = False) -> str:
    if math.isnan(row["ci_low"]):
        return "-"
    return f"[{_number(row['ci_low'], signed)}, {_number(row['ci_high'], signed)}]"


def _number(value: float, signed: bool = False) -> str:
    return "nan" if math.isnan(value) else f"{value:{'+' if signed else ''}.4g}"
