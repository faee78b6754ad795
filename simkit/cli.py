"""The ``simkit`` command: run and validate scenarios.

Every error ends with a one-line message on stderr and a non-zero exit code, never a
traceback: 2 for a bad scenario or bad arguments, 1 for anything else.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click
from tqdm.auto import tqdm

from simkit.io import atomic_write_csv, json_safe
from simkit.metrics import METRICS
from simkit.report import by_period_text, metrics_json, summary_text, write_results
from simkit.runner import replicate
from simkit.scenario import ScenarioError, load_scenario

BAD_INPUT = 2


class SimkitGroup(click.Group):
    """A click group that turns known errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScenarioError as error:
            _fail(error.problems, BAD_INPUT)
        except OSError as error:
            _fail([f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")], 1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail(["interrupted"], 130)
        except Exception as error:  # an unexpected bug: still no traceback for the user
            if os.environ.get("SIMKIT_DEBUG"):
                raise
            _fail([f"internal error: {type(error).__name__}: {error} (set SIMKIT_DEBUG=1 for the traceback)"], 1)


def _fail(problems: Iterable[str], code: int) -> None:
    for problem in problems:
        click.echo(f"simkit: error: {problem}", err=True)
    sys.exit(code)


@click.group(cls=SimkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="simkit")
def main() -> None:
    """simkit: simulate caseloads, TE staff load and the Kela contact line of an employment area."""


def progress_bar(total: int, description: str) -> tqdm:
    """A progress bar on stderr that appears only when the work takes more than a moment."""
    return tqdm(total=total, desc=description, file=sys.stderr, delay=0.5, disable=None, leave=False)


def with_progress(total: int, description: str, work: Callable[[Callable[[int], None]], object]) -> object:
    with progress_bar(total, description) as bar:
        return work(bar.update)


override_option = click.option(
    "--set", "overrides", multiple=True, metavar="KEY=VALUE",
    help="Override a scenario key, e.g. --set coaches.count=25 (value read as TOML; repeatable).",
)
scheduler_option = click.option(
    "--scheduler", metavar="ADDRESS", default=None,
    help="Run on this Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: $SIMKIT_SCHEDULER; unset: local processes).",
)
workers_option = click.option(
    "--workers", type=click.IntRange(min=0), default=0, show_default=True,
    help="Processes for replications; 0 = one per core. Results do not depend on it.",
)


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Master seed (default: the scenario's).")
@click.option("--replications", "-r", type=click.IntRange(min=1), default=None,
              help="Replications (default: the scenario's).")
@override_option
@workers_option
@scheduler_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of a table.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write daily.csv, replications.csv, summary.csv and run.json into this folder.")
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
        write_results(runs, out, {"source": str(scenario_file), "overrides": list(overrides)})
        if by_period:
            atomic_write_csv(out / "by_period.csv", runs.by_period(), index=False)
    if as_json:
        output = metrics_json(runs) | ({"by_period": json_safe(runs.by_period().to_dict("records"))} if by_period else {})
        click.echo(json.dumps(output, ensure_ascii=False, default=str))
    else:
        click.echo(summary_text(runs) + (f"\n\n{by_period_text(runs)}" if by_period else ""))


@main.command()
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
        _fail(problems, BAD_INPUT)


@main.command(name="metrics")
def list_metrics() -> None:
    """List every metric simkit reports, with its unit and meaning."""
    for metric in METRICS:
        click.echo(f"{metric.name:<36} {metric.unit:<30} {metric.description}")


def _scenario_files(paths: Iterable[Path]) -> list[Path]:
    files = []
    for path in paths:
        files.extend(sorted(path.rglob("*.toml")) if path.is_dir() else [path])
    return files


from simkit.cli_planning import plan, runs, sweep  # noqa: E402  (they reuse the options above)

main.add_command(sweep)
main.add_command(plan)
main.add_command(runs)
