"""What every ``simkit`` command shares: the options and the one-line error handling."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from simkit.scenario import ScenarioError
from simkit.store import DEFAULT_STORE

BAD_INPUT = 2


class SimkitGroup(click.Group):
    """A click group that turns known errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScenarioError as error:
            fail(error.problems, BAD_INPUT)
        except OSError as error:
            fail([f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")], 1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            fail(["interrupted"], 130)
        except Exception as error:  # an unexpected bug: still no traceback for the user
            if os.environ.get("SIMKIT_DEBUG"):
                raise
            fail([f"internal error: {type(error).__name__}: {error} (set SIMKIT_DEBUG=1 for the traceback)"], 1)


def fail(problems: Iterable[str], code: int) -> None:
    """Print each problem as ``simkit: error: ...`` on stderr and exit with ``code``."""
    for problem in problems:
        click.echo(f"simkit: error: {problem}", err=True)
    sys.exit(code)


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
seed_option = click.option("--seed", type=click.IntRange(min=0), default=None,
                           help="Master seed (default: the scenario's).")
scenario_argument = click.argument(
    "scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False, path_type=Path)
)
store_option = click.option(
    "--store", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_STORE, show_default=True,
    help="SQLite run store: finished replications are saved here at once and reused on the next run.",
)
existing_store_option = click.option(
    "--store", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_STORE,
    show_default=True, help="SQLite run store to read.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of text.")
