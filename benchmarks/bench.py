"""Speed measurements: single replications (events per second) and the sweep speed-up on 1 and 2 cores.

Run from the repository root::

    python benchmarks/bench.py             # everything but Dask, the notebook and the plan (a few minutes)
    python benchmarks/bench.py --quick     # Seinäjoki and the sweep only, no national run
    python benchmarks/bench.py --dask      # also the sweep on a local Dask cluster of 1, 2 and 4 workers
    python benchmarks/bench.py --first-call  # also the first replication in a fresh Jupyter kernel
    python benchmarks/bench.py --plan 3    # also a per-area cost plan of 3 of the 45 TE24 areas
    python benchmarks/bench.py --te24-sweep 2  # also 45 areas x 10 staffing levels x 2 replications on 2 cores

The scenarios: a municipality-year (the Seinäjoki–Ilmajoki file cut to 365 days), the file
itself (its whole horizon), the national file as one pool (about 250,000 active clients, 2
years) and as its 25 pilot areas (each its own system, ``national-pilot-2022-areas.toml``).

Times are wall-clock seconds (``time.perf_counter``) of ``simkit.simulate``, which includes
drawing the population, the SimPy run and the metrics; events are the events the engine handled
(``Result.audit["events"]``: registrations and exits, meetings due, statements, referrals, Kela
calls answered; :class:`simkit.observations.EventCounts`). A single-replication figure is the median of the
repeats, with the fastest beside it; a sweep figure is the fastest of three, since other work
on a shared machine only ever slows a run down. Record the figures in ``docs/performance.md``.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np
import pandas as pd

import simkit
from simkit.scenario.areas import area_scenarios

ROOT = Path(__file__).resolve().parents[1]
SEINAJOKI = ROOT / "scenarios" / "seinajoki-ilmajoki-2021.toml"
NATIONAL = ROOT / "scenarios" / "national-pilot-2022.toml"
NATIONAL_AREAS = ROOT / "scenarios" / "national-pilot-2022-areas.toml"
TE24 = ROOT / "scenarios" / "te24-2025.toml"
PLAN_TARGET = "coach.first_meeting_on_time_share>=0.9"
DASK_WORKERS = (1, 2, 4)
SWEEP_GRID = {"coaches.count": [16, 18, 20, 22, 24, 26]}  # the base (20 coaches) is one of the points
SWEEP_REPLICATIONS = 12  # 72 replications: enough work that starting processes does not decide the speed-up
SWEEP_REPEATS = 3


@dataclass(frozen=True)
class Timing:
    """Repeated single replications of one scenario."""

    name: str
    seconds: list[float]  # wall-clock time of each replication
    cpu_seconds: list[float]  # CPU time of each replication (this process)
    events: list[int]  # events the engine handled in each replication
    active_clients: float  # time-weighted mean of active clients (pilot and TE), clients

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def events_per_second(self) -> float:
        return statistics.median(e / s for e, s in zip(self.events, self.seconds))


def time_replications(name: str, scenario: simkit.Scenario, repeats: int) -> Timing:
    """Run replications 0..repeats-1 one after another in this process and time each."""
    seconds, cpu_seconds, events, active = [], [], [], []
    for replication in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = simkit.simulate(scenario, scenario.scenario.seed, replication)
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
        events.append(result.audit["events"])
        active.append(result.metrics["clients.active_pilot"] + result.metrics["clients.active_te"])
    return Timing(name, seconds, cpu_seconds, events, statistics.mean(active))


@dataclass(frozen=True)
class SweepTiming:
    """The fastest of several runs of one sweep."""

    seconds: float  # wall-clock time
    cpu_seconds: float  # CPU time of this process and of its finished worker processes (not Dask's)


def time_sweep(scenario: simkit.Scenario, **where) -> tuple[SweepTiming, pd.DataFrame]:
    """Wall-clock and CPU seconds of a sweep without a store (so every replication runs), and its table.

    ``where`` is ``workers=N`` or ``scheduler=ADDRESS``."""
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    result = simkit.sweep(scenario, SWEEP_GRID, SWEEP_REPLICATIONS, store=None, progress=False, **where)
    return SweepTiming(time.perf_counter() - start, _cpu_seconds() - cpu_start), result.table


def fastest_sweeps(scenario: simkit.Scenario, ways: dict[str, dict]) -> dict[str, SweepTiming]:
    """The fastest of SWEEP_REPEATS sweeps for each way of running (taking turns); checks equal tables."""
    timings: dict[str, list[SweepTiming]] = {name: [] for name in ways}
    tables = {}
    for _ in range(SWEEP_REPEATS):
        for name, where in ways.items():
            timing, tables[name] = time_sweep(scenario, **where)
            timings[name].append(timing)
    first, *others = tables.values()
    for table in others:
        pd.testing.assert_frame_equal(first, table)  # a speed-up must not change a number
    return {name: min(runs, key=lambda timing: timing.seconds) for name, runs in timings.items()}


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def machine() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
            f" simkit {simkit.__version__} at {commit.stdout.strip() or 'unknown commit'}; load average {load}"
            " (other work on the machine slows every figure)")


def first_call_in_a_kernel() -> dict[str, float]:
    """Seconds to import simkit and run a municipality-year in a fresh Jupyter kernel, then the
    same replication's next run (what a trainee's first click costs against the ones after)."""
    import nbclient
    import nbformat

    cells = [
        "import json, time\nstart = time.perf_counter()\nimport simkit\nimported = time.perf_counter() - start",
        (f"scenario = simkit.load_scenario({str(SEINAJOKI)!r}, ['scenario.days=365'])\n"
         "start = time.perf_counter()\nsimkit.simulate(scenario, None, 0)\nfirst = time.perf_counter() - start"),
        ("start = time.perf_counter()\nsimkit.simulate(scenario, None, 0)\nsecond = time.perf_counter() - start\n"
         "print(json.dumps({'import': imported, 'first': first, 'second': second}))"),
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    start = time.perf_counter()
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
                            ).execute()
    figures = json.loads(notebook.cells[-1].outputs[0]["text"])
    return {"kernel start and all cells": time.perf_counter() - start, **figures}


def time_area_plan(areas: int) -> tuple[float, float, float, pd.DataFrame]:
    """Wall-clock and CPU seconds of a per-area cost plan (no store) of ``areas`` TE24 areas spread
    over the range of sizes (evenly spaced inside the list sorted by clients), the share of TE24's
    clients they hold (a whole-country plan takes about the time / that share), and the plan's table."""
    te24 = simkit.load_scenario(TE24)
    by_size = sorted(area_scenarios(te24).items(), key=lambda item: item[1].inflow.initial_clients)
    chosen = [by_size[round(index)] for index in np.linspace(0, len(by_size) - 1, areas + 2)[1:-1]]  # no extremes
    share = sum(area.inflow.initial_clients for _, area in chosen) / sum(a.inflow.initial_clients for _, a in by_size)
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    result = simkit.plan_cost(te24, ["coaches.count"], [PLAN_TARGET], only=[name for name, _ in chosen], store=None,
                              progress=False)
    return time.perf_counter() - start, _cpu_seconds() - cpu_start, share, result.table


def time_te24_sweep(replications: int, workers: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds of a sweep of the 45 TE24 areas over 10 staffing levels (every area's
    client time share 0.50, 0.52, ..., 0.68: the same work as 10 levels of each area's coach count)
    with ``replications`` replications each, on ``workers`` local processes, no store."""
    te24 = simkit.load_scenario(TE24)
    grid = {"coaches.client_time_share": [round(0.5 + 0.02 * level, 2) for level in range(10)]}
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    simkit.sweep(te24, grid, replications, store=None, progress=False, workers=workers)
    return time.perf_counter() - start, _cpu_seconds() - cpu_start


@click.command()
@click.option("--quick", is_flag=True, help="Leave out the national-scale replications.")
@click.option("--repeats", type=click.IntRange(min=1), default=5, show_default=True,
              help="Seinäjoki replications timed (the national ones are timed twice).")
@click.option("--dask", is_flag=True, help="Also time the sweep on local Dask clusters of 1, 2 and 4 worker processes.")
@click.option("--first-call", is_flag=True, help="Also time the first replication in a fresh Jupyter kernel.")
@click.option("--plan", "plan_areas", type=click.IntRange(min=0), default=0,
              help="Also time a per-area cost plan of this many TE24 areas of all sizes (0: none).")
@click.option("--te24-sweep", "te24_replications", type=click.IntRange(min=0), default=0,
              help="Also time a sweep of the 45 TE24 areas over 10 staffing levels with this many replications"
                   " each on 2 cores (20: the national-planning target; 0: none).")
def main(quick: bool, repeats: int, dask: bool, first_call: bool, plan_areas: int, te24_replications: int) -> None:
    """Print single-replication times, events per second and the sweep speed-up on 1 and 2 cores."""
    click.echo(machine())
    seinajoki = simkit.load_scenario(SEINAJOKI)
    municipality_year = simkit.with_overrides(seinajoki, {"scenario.days": 365})
    timings = [time_replications(f"Seinäjoki–Ilmajoki, {days} days", scenario, repeats)
               for scenario in (municipality_year, seinajoki) for days in [scenario.scenario.days]]
    if not quick:
        for label, path in (("national, one pool", NATIONAL), ("national, 25 areas", NATIONAL_AREAS)):
            national = simkit.load_scenario(path)
            timings.append(time_replications(f"{label}, {national.scenario.days} days", national, 2))
    click.echo(f"\n{'single replication':<34} {'active clients':>14} {'median s':>9} {'fastest s':>9}"
               f" {'CPU s':>7} {'events':>12} {'events/s':>10}")
    for t in timings:
        click.echo(f"{t.name:<34} {t.active_clients:>14,.0f} {t.median_seconds:>9.3f} {min(t.seconds):>9.3f}"
                   f" {min(t.cpu_seconds):>7.3f} {statistics.median(t.events):>12,.0f} {t.events_per_second:>10,.0f}")

    ways = {"1 core": {"workers": 1}, "2 cores": {"workers": 2}}
    with contextlib.ExitStack() as stack:
        if dask:
            from distributed import LocalCluster

            for count in DASK_WORKERS:
                cluster = stack.enter_context(LocalCluster(n_workers=count, threads_per_worker=1,
                                                           dashboard_address=None))
                ways[_dask_way(count)] = {"scheduler": cluster.scheduler_address}
        fastest = fastest_sweeps(seinajoki, ways)
    runs = len(SWEEP_GRID["coaches.count"]) * SWEEP_REPLICATIONS
    click.echo(f"\nsweep of Seinäjoki, {runs} replications, no store, fastest of {SWEEP_REPEATS} (taking turns);"
               " identical numbers")
    serial = fastest["1 core"].seconds
    for name, timing in fastest.items():
        cpu = f"{timing.cpu_seconds:6.2f} CPU s" if "Dask" not in name else " " * 12  # Dask's workers: not ours
        click.echo(f"  {name:<22} {timing.seconds:6.2f} s  {cpu}  ({runs / timing.seconds:5.1f} replications/s),"
                   f" speed-up {serial / timing.seconds:.2f}x")
    click.echo("  (CPU s: this process and its pool's; more than the 1-core figure is the pool's overhead)")
    if dask:
        one = fastest[_dask_way(1)].seconds
        click.echo("  Dask scaling against its own 1 worker: " + ", ".join(
            f"{count} workers {one / fastest[_dask_way(count)].seconds:.2f}x" for count in DASK_WORKERS)
            + f" (this machine has {os.cpu_count()} cores)")
    if first_call:
        figures = first_call_in_a_kernel()
        click.echo("\nfirst call in a fresh Jupyter kernel (municipality-year): " + ", ".join(
            f"{name} {seconds:.2f} s" for name, seconds in figures.items())
            + f"; first / next replication {figures['first'] / figures['second']:.2f}x")
    if plan_areas:
        seconds, cpu_seconds, share, table = time_area_plan(plan_areas)
        click.echo(f"\nper-area cost plan of {plan_areas} TE24 areas ({share:.1%} of TE24's clients), --vary coaches.count,"
                   f" {PLAN_TARGET}, no store: {seconds:.0f} s ({cpu_seconds:.0f} CPU s of this process and its pool);"
                   f" all 45 areas in about {seconds / share / 60:.0f} min at this pace")
        click.echo(table.to_string())
    if te24_replications:
        seconds, cpu_seconds = time_te24_sweep(te24_replications, workers=2)
        click.echo(f"\nsweep of the 45 TE24 areas x 10 staffing levels x {te24_replications} replications on 2 cores,"
                   f" no store: {seconds:.0f} s ({cpu_seconds:.0f} CPU s); x 20 replications:"
                   f" {seconds * 20 / te24_replications / 60:.1f} min at this pace")


def _dask_way(workers: int) -> str:
    return f"Dask, {workers} local worker{'s' if workers > 1 else ''}"


if __name__ == "__main__":
    main()
