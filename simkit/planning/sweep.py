"""Sweeps: every combination of staffing levels (or any scenario keys), compared with the base.

``sweep(scenario, {"coaches.count": [16, 20, 24], "kela.contact_persons": [1, 2]})`` runs
replications 0..R-1 of the base scenario and of each of the 6 points with one master seed
(common random numbers), so each point's difference from the base is paired by replication
and its confidence interval is narrow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simkit._version import __version__
from simkit.analysis.stats import CONFIDENCE
from simkit.i18n import t
from simkit.io import (
    atomic_write_csv,
    atomic_write_json,
    atomic_write_parquet,
    written_as_a_set,
)
from simkit.planning.campaign import Campaign, Point, Store
from simkit.planning.grid import grid_points
from simkit.runner import Replications
from simkit.scenario import Scenario
from simkit.store import DEFAULT_STORE
from simkit.tidy import tidy_by_area

SWEEP_FILES = ("replications.csv", "replications.parquet", "summary.csv", "summary.parquet", "differences.csv",
               "differences.parquet", "sweep.json")


@dataclass(frozen=True)
class SweepPoint:
    """One point of a sweep and its replications."""

    point: Point
    runs: Replications = field(repr=False)


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep: the base scenario's replications and every point's, paired by replication."""

    grid: dict[str, list[Any]]
    base: Replications = field(repr=False)
    points: list[SweepPoint] = field(repr=False)
    runs_computed: int
    runs_reused: int

    @property
    def seed(self) -> int:
        return self.base.seed

    @property
    def replications(self) -> int:
        return len(self.base.results)

    @property
    def table(self) -> pd.DataFrame:
        """Tidy: one row per point and replication, the grid keys, then one column per metric."""
        return self._stacked(lambda p: p.runs.per_replication)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per point and metric: mean, CI bounds (at the runs' confidence), std, n, unit."""
        return self._stacked(lambda p: p.runs.summary)

    @property
    def differences(self) -> pd.DataFrame:
        """One row per point and metric: base mean, mean paired difference point - base, its CI."""
        return self._stacked(lambda p: p.runs.compare(self.base))

    def write(self, folder: str | Path) -> list[Path]:
        """Write replications, summary and differences (.csv and .parquet) and sweep.json as a set
        (:func:`simkit.io.written_as_a_set`: all of them replace the folder's earlier ones, or none);
        a multi-area scenario's tables in the tidy form, with an ``area`` column (:func:`simkit.tidy.tidy_by_area`)."""
        folder = Path(folder)
        tables = {name: tidy_by_area(frame) for name, frame in
                  (("replications", self.table), ("summary", self.summary), ("differences", self.differences))}
        with written_as_a_set(folder, SWEEP_FILES) as temporary:
            for name, frame in tables.items():
                atomic_write_csv(temporary / f"{name}.csv", frame, index=False)
                atomic_write_parquet(temporary / f"{name}.parquet", frame)
            atomic_write_json(temporary / "sweep.json", {
                "grid": self.grid,
                "seed": self.seed,
                "replications": self.replications,
                "runs_computed": self.runs_computed,
                "runs_reused": self.runs_reused,
                "base_scenario": self.base.scenario.model_dump(mode="json"),
                "base_scenario_hash": self.base.scenario.content_hash(),
                "simkit_version": __version__,
            })
        return [folder / name for name in SWEEP_FILES]

    def _stacked(self, frame_of: Callable[[SweepPoint], pd.DataFrame]) -> pd.DataFrame:
        """``frame_of(point)`` of every point, led by the point's label and grid values, stacked."""
        frames = []
        for point in self.points:
            frame = frame_of(point).reset_index()
            labels = pd.DataFrame([{"point": point.point.label, **point.point.overrides}] * len(frame))
            frames.append(pd.concat([labels, frame], axis=1))
        return pd.concat(frames, ignore_index=True)


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    store: Store = DEFAULT_STORE,
    progress: bool = True,
    scheduler: str | None = None,
    confidence: float = CONFIDENCE,
) -> SweepResult:
    """Run the Cartesian product of ``grid`` (dotted key -> values) over ``scenario``.

    ``replications`` and ``seed`` default to the scenario's. Runs go to a local process pool
    (``workers`` processes, None: one per core) or to the Dask ``scheduler`` (an address such
    as ``tcp://10.0.0.5:8786``; default ``$SIMKIT_SCHEDULER``); the numbers do not depend on
    where they run. Every finished replication is saved to ``store`` (None: no store) and
    reused by the next sweep that needs it, so an interrupted sweep resumes where it stopped.
    """
    seed = scenario.scenario.seed if seed is None else seed
    count = scenario.scenario.replications if replications is None else replications
    if count < 2:
        raise ValueError(f"a sweep needs at least 2 replications for confidence intervals, not {count}")
    points = [Point.of(scenario, overrides) for overrides in grid_points(grid)]
    with Campaign(scenario, seed, store, workers, scheduler, progress, t("progress_sweep", what=scenario.name)) as campaign:
        base, *runs = campaign.replications([Point.of(scenario, {}), *points], count, confidence)
    return SweepResult(
        grid={key: list(values) for key, values in grid.items()},
        base=base,
        points=[SweepPoint(point, point_runs) for point, point_runs in zip(points, runs)],
        runs_computed=campaign.computed,
        runs_reused=campaign.reused,
    )
