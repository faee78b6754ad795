"""``simkit run``, ``simkit validate`` and ``simkit metrics``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from simkit.areas import area_text
from simkit.cli.common import (
    BAD_INPUT,
    fail,
    out_option,
    override_option,
    replications_option,
    scenario_argument,
    scheduler_option,
    seed_option,
    store_option,
    workers_option,
)
from simkit.io import atomic_write_csv, json_safe, written_as_a_set
from simkit.metrics import METRICS
from simkit.planning.campaign import Campaign, Point
from simkit.report import by_period_text, metrics_json, write_results
from simkit.runner import Replications
from simkit.scenario import ScenarioError, load_scenario, parse_override
from simkit.tidy import tidy_by_area
from simkit.views.summary import people_summary

PER_AREA = "Per area (means; every area.<name>.<metric> is in --json and --out):"
RUN_FILES = ("daily.csv", "replications.csv", "summary.csv", "run.json")  # what report.write_results writes
BY_PERIOD_FILE = "by_period.csv"  # and, with --by-period, every metric for each period


def stored_replications(scenario_file: Path, overrides: tuple[str, ...], seed: int | None, count: int | None,
                        workers: int, scheduler: str | None, store: Path | None) -> Replications:
    """Replications of SCENARIO with its ``--set`` overrides, read from the run store where they are
    there and saved to it as they finish (``store`` None: computed, not saved)."""
    scenario = load_scenario(scenario_file, overrides)  # first: its errors name the --set that caused them
    base = load_scenario(scenario_file) if overrides else scenario
    count = count or scenario.scenario.replications
    point = Point(dict(parse_override(text) for text in overrides), scenario)
    with Campaign(base, scenario.scenario.seed if seed is None else seed, store, workers or None, scheduler,
                  progress=sys.stderr.isatty(), description=scenario.name, days=True) as campaign:
        return campaign.replications([point], count)[0]


def print_summary(runs: Replications, as_json: bool, show_all: bool = False, by_period: bool = False) -> None:
    """What ``simkit run`` prints on stdout: one JSON object, or the metrics grouped for people
    (the headline ones, or every one with ``show_all``); with ``by_period`` also every metric for
    each period between dated events."""
    if as_json:
        output = metrics_json(runs) | ({"by_period": json_safe(runs.by_period().to_dict("records"))} if by_period else {})
        click.echo(json.dumps(output, ensure_ascii=False, default=str))
        return
    summary = runs.summary
    per_area = f"\n\n{PER_AREA}\n{area_text(summary)}" if summary.index.str.startswith("area.").any() else ""
    click.echo(people_summary(summary, runs.scenario.name, len(runs.results), runs.seed, show_all=show_all)
               + per_area + (f"\n\n{by_period_text(runs)}" if by_period else ""))


@click.command()
@scenario_argument
@seed_option
@replications_option(1, None, "Replications (default: the scenario's).")
@override_option
@workers_option
@scheduler_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of a table.")
@click.option("--all", "show_all", is_flag=True, help="Every metric, not only the headline ones.")
@store_option
@click.option("--no-store", is_flag=True, help="Neither read nor save the run store.")
@out_option((*RUN_FILES, BY_PERIOD_FILE), "Write daily.csv, replications.csv, summary.csv and run.json (and "
                                         "by_period.csv) into this folder (new, empty or holding earlier results), "
                                         "all or none; a multi-area run's tables have an area column.")
@click.option("--by-period", is_flag=True,
              help="Also every metric for each period between dated events (JSON: by_period; --out: by_period.csv); "
                   "runs afresh, without the run store (it keeps whole-window figures only).")
def run(scenario_file: Path, seed: int | None, replications: int | None, overrides: tuple[str, ...],
        workers: int, scheduler: str | None, as_json: bool, show_all: bool, store: Path, no_store: bool,
        out: Path | None, by_period: bool) -> None:
    """Run SCENARIO and print the metrics with 95% confidence intervals. Finished replications are
    saved to the run store (``simkit runs list``) and reused when the same run is asked again.
    At a terminal, a bar on stderr counts the days simulated (on a Dask scheduler: the
    replications finished)."""
    runs = stored_replications(scenario_file, overrides, seed, replications, workers, scheduler,
                               None if no_store or by_period else store)
    if out is not None:
        with written_as_a_set(out, (*RUN_FILES, BY_PERIOD_FILE)) as folder:
            write_results(runs, folder, {"source": str(scenario_file), "overrides": list(overrides)})
            if by_period:
                atomic_write_csv(folder / BY_PERIOD_FILE, tidy_by_area(runs.by_period()), index=False)
    print_summary(runs, as_json, show_all, by_period)


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
