"""The planning commands of ``simkit``: ``sweep``, ``plan`` and ``runs`` (the run store).

They are registered on the ``simkit`` group at the end of :mod:`simkit.cli` (import them
through it): errors become one-line messages there, exit 2 for bad input.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from simkit.cli import override_option, scheduler_option, workers_option
from simkit.cli_areas import cost_plan_text, write_cost_plan
from simkit.io import atomic_write_csv, atomic_write_json, atomic_write_parquet, json_safe
from simkit.planning import PlanResult, SweepResult, known_metric, parse_grid
from simkit.planning import plan as plan_staff
from simkit.planning import sweep as run_sweep
from simkit.planning.areas import plan_cost
from simkit.planning.plan import FIRST_REPLICATIONS, MOST_REPLICATIONS
from simkit.report import summary_text
from simkit.runner import Replications
from simkit.scenario import ScenarioError, load_scenario
from simkit.store import DEFAULT_STORE, RunStore

SHOWN_METRICS = ("coach.caseload_mean", "coach.first_meeting_on_time_share", "te.caseload_mean",
                 "kela.answer_hours_mean")

scenario_argument = click.argument(
    "scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False, path_type=Path)
)
seed_option = click.option("--seed", type=click.IntRange(min=0), default=None,
                           help="Master seed (default: the scenario's).")
store_option = click.option(
    "--store", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_STORE, show_default=True,
    help="SQLite run store: finished replications are saved here at once and reused on the next run.",
)
existing_store_option = click.option(
    "--store", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_STORE,
    show_default=True, help="SQLite run store to read.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of text.")


@click.command()
@scenario_argument
@click.option("--grid", "axes", multiple=True, required=True, metavar="KEY=SPEC",
              help="A swept key: KEY=START:STOP[:STEP] (STOP included) or KEY=V1,V2,... (repeatable).")
@click.option("--replications", "-r", type=click.IntRange(min=2), default=None,
              help="Replications per point (default: the scenario's).")
@seed_option
@override_option
@workers_option
@scheduler_option
@store_option
@click.option("--metric", "shown", multiple=True, default=SHOWN_METRICS, show_default=True, metavar="METRIC",
              help="Metric shown in the table (repeatable); the files hold every metric.")
@json_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write replications, summary and differences (.csv and .parquet) and sweep.json here.")
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
@click.option("--replications", "-r", type=click.IntRange(min=2), default=FIRST_REPLICATIONS, show_default=True,
              help="Replications of each value tried first.")
@click.option("--max-replications", type=click.IntRange(min=2), default=MOST_REPLICATIONS, show_default=True,
              help="Most replications of one value while an interval straddles a target.")
@click.option("--low", type=click.IntRange(min=0), default=1, show_default=True, help="Smallest value considered.")
@click.option("--high", type=click.IntRange(min=0), default=None,
              help="Largest value considered (default: 16 x the scenario's value).")
@seed_option
@override_option
@workers_option
@scheduler_option
@store_option
@json_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write plan.json, trace (.csv, .parquet) and the chosen value's summary.csv here "
                   "(a cost plan: plan.json, areas and options .csv/.parquet).")
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


@click.group()
def runs() -> None:
    """Read the run store: list what is stored, show one scenario's results, export them."""


@runs.command(name="list")
@existing_store_option
def list_runs(store: Path) -> None:
    """List stored scenarios: hash, seed, replications, last finished, name and overrides."""
    with RunStore(store) as run_store:
        groups = run_store.groups()
        other_model = run_store.other_model_replications()
    click.echo(f"{'hash':<12}  {'seed':>6}  {'runs':>5}  {'last finished (UTC)':<19}  scenario")
    for row in groups.itertuples():
        overrides = ", ".join(f"{k}={v}" for k, v in json.loads(row.overrides).items())
        label = f"{row.scenario_name} [{overrides}]" if overrides else row.scenario_name
        click.echo(f"{row.scenario_hash[:12]}  {row.seed:>6}  {row.replications:>5}  {row.last_finished[:19]}  {label}")
    if other_model:
        click.echo(f"({other_model} more replications came from other model code: not listed, never reused)")


@runs.command()
@click.argument("hash_prefix", metavar="HASH")
@existing_store_option
def show(hash_prefix: str, store: Path) -> None:
    """Show the stored results of one scenario (HASH: a prefix from `simkit runs list`), per seed."""
    with RunStore(store) as run_store:
        scenario = run_store.scenario(hash_prefix)
        stored = [Replications(scenario, seed, [r for _, r in sorted(run_store.load(scenario, seed).items())])
                  for seed in run_store.seeds(scenario)]
    if not stored:
        raise ScenarioError([f"{store}: the runs of {hash_prefix} came from other model code; run them again"])
    click.echo("\n\n".join(summary_text(runs) for runs in stored))


@runs.command()
@click.argument("hash_prefix", metavar="[HASH]", default="")
@existing_store_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: .csv or .parquet.")
def export(hash_prefix: str, store: Path, out: Path) -> None:
    """Write every stored replication (or those of scenarios whose hash starts with HASH), one row each."""
    writers = {".csv": lambda path, frame: atomic_write_csv(path, frame, index=False), ".parquet": atomic_write_parquet}
    if out.suffix not in writers:
        raise click.BadParameter("must end in .csv or .parquet", param_hint="--out")
    with RunStore(store) as run_store:
        frame = run_store.per_replication(hash_prefix)
    writers[out.suffix](out, frame)
    click.echo(f"{len(frame)} replications written to {out}")


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


def _write_plan(result: PlanResult, folder: Path) -> None:
    atomic_write_json(folder / "plan.json", result.to_json())
    atomic_write_csv(folder / "trace.csv", result.trace_table, index=False)
    atomic_write_parquet(folder / "trace.parquet", result.trace_table)
    if result.runs is not None:
        atomic_write_csv(folder / "summary.csv", result.runs.summary)


def _estimate(row) -> str:
    return f"{_number(row['mean'])} {_interval(row)}"


def _interval(row, signed: bool = False) -> str:
    if math.isnan(row["ci_low"]):
        return "-"
    return f"[{_number(row['ci_low'], signed)}, {_number(row['ci_high'], signed)}]"


def _number(value: float, signed: bool = False) -> str:
    return "nan" if math.isnan(value) else f"{value:{'+' if signed else ''}.4g}"
