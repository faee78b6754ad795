"""What every ``simkit`` command shares: the options, their checks, and the one-line errors.

Every option is checked before any work starts: ``--seed`` in [0, 2**63 - 1] (the range the run
store keeps), ``--replications`` within the schema's ``scenario.replications`` limit, ``--workers``
at most ``MAX_WORKERS``, the Dask scheduler reachable within a few seconds, ``--out`` writable.
Every error is one line on stderr, ``simkit: error: ...``; click's usage errors too. Exit codes:
2 for bad input (a scenario, an option, a store that is not one), 1 for anything else, 130 for
Ctrl-C.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from simkit.executors import (
    SCHEDULER_VARIABLE,
    SchedulerError,
    check_scheduler,
    scheduler_address,
)
from simkit.io import check_output_folder
from simkit.scenario import ScenarioError
from simkit.scenario.errors import printable
from simkit.scenario.limits import allowed_range
from simkit.scenario.schema import LARGEST_SEED
from simkit.store import DEFAULT_STORE, StoreError

BAD_INPUT = 2
INTERRUPTED = 130
MAX_WORKERS = 256
MOST_REPLICATIONS = int(allowed_range("scenario.replications")[1])


class SimkitGroup(click.Group):
    """A click group that turns every known error into one line on stderr (never a traceback)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            fail([_usage_line(error)], BAD_INPUT if isinstance(error, click.UsageError) else error.exit_code)
        except click.Abort:
            fail(["interrupted"], INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScenarioError as error:
            fail(error.problems, BAD_INPUT)
        except (StoreError, SchedulerError) as error:
            fail([str(error)], BAD_INPUT)
        except OSError as error:
            fail([f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")], 1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            fail(["interrupted"], INTERRUPTED)
        except Exception as error:  # an unexpected bug: still no traceback for the user
            if os.environ.get("SIMKIT_DEBUG"):
                raise
            fail([f"internal error: {type(error).__name__}: {error} (set SIMKIT_DEBUG=1 for the traceback)"], 1)


def fail(problems: Iterable[str], code: int) -> None:
    """Print each problem as one line ``simkit: error: ...`` on stderr (control characters written as
    ``\\uXXXX``, so a name cannot move the cursor or split the line) and exit with ``code``."""
    for problem in problems:
        click.echo(f"simkit: error: {printable(problem)}", err=True)
    sys.exit(code)


def _usage_line(error: click.ClickException) -> str:
    """A click error as one line: the command, the message and where help is."""
    message = " ".join(error.format_message().split())
    context = getattr(error, "ctx", None)
    if context is None:
        return message
    return f"{context.command_path}: {message} (see {context.command_path} --help)"


def _check_scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    address = scheduler_address(value)
    if address:
        try:
            check_scheduler(address)
        except SchedulerError as error:
            origin = f"(from ${SCHEDULER_VARIABLE}) " if value is None else ""
            raise click.BadParameter(f"{origin}{error}", ctx, param) from None
    return value


def _check_out(names: tuple[str, ...]):
    def check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        if value is not None:
            try:
                check_output_folder(value, names)
            except OSError as error:
                raise click.BadParameter(f"{error.filename}: {error.strerror}", ctx, param) from None
        return value
    return check


def out_option(names: tuple[str, ...], help_text: str):
    """``--out FOLDER``, checked before any work; the files ``names`` are written there as a set."""
    return click.option("--out", type=click.Path(path_type=Path), default=None, callback=_check_out(names),
                        help=help_text)


def replications_option(smallest: int, default: int | None, help_text: str):
    return click.option("--replications", "-r", type=click.IntRange(smallest, MOST_REPLICATIONS), default=default,
                         show_default=default is not None, help=help_text)


override_option = click.option(
    "--set", "overrides", multiple=True, metavar="KEY=VALUE",
    help="Override a scenario key, e.g. --set coaches.count=25 (value read as TOML; repeatable).",
)
scheduler_option = click.option(
    "--scheduler", metavar="ADDRESS", default=None, callback=_check_scheduler,
    help=f"Run on this Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: ${SCHEDULER_VARIABLE}; unset: local "
         "processes). It must accept a connection within a few seconds.",
)
workers_option = click.option(
    "--workers", type=click.IntRange(0, MAX_WORKERS), default=0, show_default=True,
    help=f"Processes for replications (a plan with --per-area: areas planned at once); 0 = one per core, at most "
         f"{MAX_WORKERS}. Results do not depend on it.",
)
seed_option = click.option("--seed", type=click.IntRange(0, LARGEST_SEED), default=None,
                           help="Master seed, 0 to 2**63 - 1 (default: the scenario's).")
scenario_argument = click.argument(
    "scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False, path_type=Path)
)
store_option = click.option(
    "--store", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_STORE, show_default=True,
    envvar="SIMKIT_STORE",
    help="SQLite run store (or $SIMKIT_STORE): finished replications are saved here at once and reused on the "
         "next run.",
)
existing_store_option = click.option(
    "--store", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_STORE,
    show_default=True, envvar="SIMKIT_STORE", help="SQLite run store to read (or $SIMKIT_STORE).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of text.")
