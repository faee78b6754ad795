"""The ``simkit`` command: run, validate and plan scenarios, and read the run store.

One module per group of commands (:mod:`~simkit.cli.run`, :mod:`~simkit.cli.planning`,
:mod:`~simkit.cli.runs`), the shared options and the error handling in
:mod:`~simkit.cli.common`; this module only assembles the ``simkit`` group.

Every error ends with a one-line message on stderr and a non-zero exit code, never a
traceback: 2 for a bad scenario or bad arguments, 1 for anything else.
"""

from __future__ import annotations

import click

from simkit.cli.common import SimkitGroup
from simkit.cli.planning import plan, sweep
from simkit.cli.run import list_metrics, run, validate
from simkit.cli.runs import runs
from simkit.cli_report import report


@click.group(name="simkit", cls=SimkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="simkit")
def main() -> None:
    """simkit: simulate caseloads, TE staff load and the Kela contact line of an employment area.

    \b
    Limits, from the environment:
      SIMKIT_MAX_RUN_MB     memory one run may need, estimated before it starts (default 4096)
      SIMKIT_MAX_FILE_MB    largest scenario or caseload file read (default 64)
      SIMKIT_STORE_TIMEOUT  seconds to wait for a run store another program is writing (default 60)
      SIMKIT_SCHEDULER      a Dask scheduler address to run on (default: local processes)
    """


for _command in (run, validate, list_metrics, sweep, plan, runs, report):
    main.add_command(_command)

__all__ = ["main"]
