"""``simkit run``, ``simkit validate`` and ``simkit metrics``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click
from tqdm.auto import tqdm

from simkit.cli.common import (
    BAD_INPUT,
    fail,
    out_option,
    override_option,
    replications_option,
    scenario_argument,
    scheduler_option,
    seed_option,
    workers_option,
)
from simkit.io import atomic_write_csv, json_safe, written_as_a_set
from simkit.metrics import METRICS
from simkit.report import by_period_text, metrics_json, summary_text, write_results
from simkit.runner import Replications, replicate
from simkit.scenario import ScenarioError, load_scenario

RUN_FILES = ("daily.csv", "replications.csv", "summary.csv", "run.json")  # what report.write_results writes
BY_PERIOD_FILE = "by_period.csv"  # and, with --by-period, every metric for each period


def progress_bar(total: int, description: str) -> tqdm:
    """A progress bar on stderr that appears only when the work takes more than a moment."""
    return tqdm(total=total, desc=description, file=sys.stderr, delay=0.5, disable=None, leave=False)


def with_progress(total: int, description: str, work: Callable[[Callable[[int], None]], object]) -> object:
    with progress_bar(total, description) as bar:
        return work(bar.update)


def print_summary(runs: Replications, as_json: bool, by_period: bool = False) -> None:
    """What ``simkit run`` prints on stdout: one JSON object, or the table of metrics (with
    ``by_period``, also every metric for each period between dated events)."""
    if as_json:
        output = metrics_json(runs) | ({"by_period": json_safe(runs.by_period().to_dict("records"))} if by_period else {})
        click.echo(json.dumps(output, ensure_ascii=False, default=str))
    else:
        click.echo(summary_text(runs) + (f"\n\n{by_period_text(runs)}" if by_period else ""))


@click.command()
@scenario_argument
@seed_option
@replications_option(1, None, "Replications (default: the scenario's).")
@override_option
@workers_option
@scheduler_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of a table.")
@out_option((*RUN_FILES, BY_PERIOD_FILE), "Write daily.csv, replications.csv, summary.csv and run.json (and "
                                         "by_period.csv) into this folder (new, empty or holding earlier results), "
                                         "all or none.")
@click.option("--by-period", is_flag=True,
              help="Also every metric for each period between dated events (JSON: by_period; --out: by_period.csv).")
def run(scenario_file: Path, seed: int | None, replications: int | None, overrides: tuple[str, ...],
        workers: int, scheduler: str | None, as_json: bool, out: Path | None, by_period: bool) -> None:
    """Run SCENARIO and print the metrics with 95% confidence intervals."""
    scenario = load_scenario(scenario_file, overrides)
    count = replications or scenario.scenario.replications
    runs = with_progress(
        count, scenario.name,
        lambda progress: replicate(scenario, count, seed, workers=workers or None, progress=progress,
                                   scheduler=scheduler),
    )
    if out is not None:
        with written_as_a_set(out, (*RUN_FILES, BY_PERIOD_FILE)) as folder:
            write_results(runs, folder, {"source": str(scenario_file), "overrides": list(overrides)})
            if by_period:
                atomic_write_csv(folder / BY_PERIOD_FILE, runs.by_period(), index=False)
    print_summary(runs, as_json, by_period)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@override_option
def validate(paths: tuple[Path, ...], overrides: tuple[str, ...]) -> None:
    """Check scenario files (folders: every .toml below them). Exit 0 if all are valid, else 2."""
    problems = []
    for path in _scenario_files(paths):
        try:
            load_scenario(path, overrides)
            click.echo(f"ok: {path}")
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        fail(problems, BAD_INPUT)


@click.command(name="metrics")
def list_metrics() -> None:
    """List every metric simkit reports, with its unit and meaning."""
    for metric in METRICS:
        click.echo(f"{metric.name:<36} {metric.unit:<30} {metric.description}")


def _scenario_files(paths: Iterable[Path]) -> list[Path]:
    """The files named and the .toml files below the folders named; a folder without any is an error."""
    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("*.toml"))
            if not found:
                raise ScenarioError([f"{path}: the folder holds no .toml scenario files"])
            files.extend(found)
        else:
            files.append(path)
    return files
