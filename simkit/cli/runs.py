"""``simkit runs``: read the run store (list, show, export)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from simkit.cli.common import existing_store_option
from simkit.io import atomic_write_csv, atomic_write_parquet
from simkit.report import summary_text
from simkit.runner import Replications
from simkit.scenario import ScenarioError
from simkit.scenario.errors import printable
from simkit.store import RunStore
from simkit.tidy import tidy_by_area


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
        click.echo(f"{row.scenario_hash[:12]}  {row.seed:>6}  {row.replications:>5}  {row.last_finished[:19]}  "
                   f"{printable(label)}")  # a store written by older code may hold any name
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
        groups = run_store.groups()
    if not stored:
        raise ScenarioError([f"{store}: the runs of {hash_prefix} came from other model code; run them again"])
    overrides = groups.loc[groups["scenario_hash"] == scenario.content_hash(), "overrides"]
    settings = ", ".join(f"{k}={v}" for k, v in json.loads(overrides.iloc[0]).items()) if len(overrides) else ""
    heading = printable(f"overrides: {settings or 'none (the file as it is)'}")
    click.echo("\n\n".join(f"{heading}\n{summary_text(runs)}" for runs in stored))


@runs.command()
@click.argument("hash_prefix", metavar="[HASH]", default="")
@existing_store_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: .csv or .parquet.")
def export(hash_prefix: str, store: Path, out: Path) -> None:
    """Write every stored replication (or those of scenarios whose hash starts with HASH), one row each
    (a multi-area scenario's: one for the whole and one per area, named in the column "area")."""
    writers = {".csv": lambda path, frame: atomic_write_csv(path, frame, index=False), ".parquet": atomic_write_parquet}
    if out.suffix not in writers:
        raise click.BadParameter("must end in .csv or .parquet", param_hint="--out")
    with RunStore(store) as run_store:
        frame = run_store.per_replication(hash_prefix)
    writers[out.suffix](out, tidy_by_area(frame))
    click.echo(f"{len(frame)} replications written to {out}")
