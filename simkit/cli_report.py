"""``simkit report``: the planner's report of a comparison or a plan, as HTML and/or Excel.

A click group for the CLI package to register (``main.add_command(report)``); it raises
:class:`simkit.scenario.ScenarioError` for bad input, which the ``simkit`` group turns into one
line and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from simkit.planning import level_overrides, plan
from simkit.runner import replicate
from simkit.scenario import ScenarioError, load_scenario, with_overrides
from simkit.scenario.loading import parse_override
from simkit.views.progress import Work, terminal_progress
from simkit.views.report import comparison_report, plan_report, write_report

_scenario_argument = click.argument("scenario_file", metavar="SCENARIO",
                                    type=click.Path(exists=True, dir_okay=False, path_type=Path))
_set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                           help="Override a key of the base scenario (value read as TOML; repeatable).")
_seed_option = click.option("--seed", type=click.IntRange(min=0), default=None, help="Master seed (default: the scenario's).")
_html_option = click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                            help="Write the self-contained HTML report here.")
_xlsx_option = click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                            help="Write the Excel workbook of the tables here.")


@click.group()
def report() -> None:
    """A planner's report (HTML page and Excel workbook) of a comparison or a plan."""


@report.command()
@_scenario_argument
@click.option("--variant", "variant", multiple=True, required=True, metavar="KEY=VALUE",
              help="What the variant changes, e.g. --variant coaches.count=16 (repeatable); a staff level "
                   "shifts dated changes of the same staff alike, as the workbench does.")
@_set_option
@click.option("--replications", "-r", type=click.IntRange(min=2), default=10, show_default=True,
              help="Replications of the base and of the variant.")
@_seed_option
@_html_option
@_xlsx_option
def compare(scenario_file: Path, variant: tuple[str, ...], overrides: tuple[str, ...], replications: int,
            seed: int | None, html_path: Path | None, xlsx_path: Path | None) -> None:
    """Compare SCENARIO with a variant of it (same seed, paired) and write the report."""
    _need_output(html_path, xlsx_path)
    base = load_scenario(scenario_file, overrides)
    malformed = [text for text in variant if "=" not in text]
    if malformed:
        raise ScenarioError([f"--variant {text}: expected KEY=VALUE, e.g. coaches.count=16" for text in malformed])
    changes = level_overrides(base, dict(parse_override(text) for text in variant))
    runs = {}
    for label, scenario in (("base", base), ("variant", with_overrides(base, changes))):
        counted = Work.of([scenario] * replications)
        with terminal_progress(counted.total, counted.description(f"{label}: {scenario.name}"), counted.unit) as bar:
            runs[label] = replicate(scenario, replications, seed, progress=counted.on_replication(bar),
                                    on_day=counted.on_day(bar))
    built = comparison_report(runs["base"], runs["variant"], changes, source=scenario_file)
    _written(write_report(built, html_path, xlsx_path))


@report.command(name="plan")
@_scenario_argument
@click.option("--vary", required=True, metavar="KEY", help="The whole-number setting to search, e.g. coaches.count.")
@click.option("--target", "targets", multiple=True, required=True, metavar="METRIC<=BOUND",
              help='A target, e.g. --target "coach.caseload_mean<=120" (repeatable).')
@_set_option
@click.option("--replications", "-r", type=click.IntRange(min=2), default=5, show_default=True,
              help="Replications per level first (doubled while a target is undecided).")
@click.option("--max-replications", type=click.IntRange(min=2), default=20, show_default=True)
@click.option("--low", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--high", type=click.IntRange(min=0), default=None, help="Highest level (default: 16 x the scenario's).")
@_seed_option
@_html_option
@_xlsx_option
def plan_command(scenario_file: Path, vary: str, targets: tuple[str, ...], overrides: tuple[str, ...],
                 replications: int, max_replications: int, low: int, high: int | None, seed: int | None,
                 html_path: Path | None, xlsx_path: Path | None) -> None:
    """Find the smallest VARY meeting every target for SCENARIO and write the report."""
    _need_output(html_path, xlsx_path)
    scenario = load_scenario(scenario_file, overrides)
    result = plan(scenario, vary, targets, replications=replications, max_replications=max(replications, max_replications),
                  low=low, high=high, seed=seed, store=None, progress=True)
    _written(write_report(plan_report(result, source=scenario_file), html_path, xlsx_path))


def _need_output(html_path: Path | None, xlsx_path: Path | None) -> None:
    if html_path is None and xlsx_path is None:
        raise click.UsageError("give --html PATH, --xlsx PATH or both")


def _written(paths: list[Path]) -> None:
    click.echo("wrote " + ", ".join(str(path) for path in paths))
