"""A campaign: the replications of one sweep or plan, reused from the run store where possible.

Replication ``r`` of every scenario in a campaign is ``simulate(point_scenario, seed, r)`` with
the campaign's one master seed. The model names a random stream per component, so the points
share their random numbers (common random numbers) and their differences can be paired.

With a run store, a replication is claimed in the store before it runs, so that two campaigns
on one store (two sweeps started at once) never compute the same replication: each runs what it
could claim, then waits for the other's and reads them (:meth:`simkit.store.RunStore.claim`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simkit.analysis.stats import CONFIDENCE
from simkit.executors import Task, run_tasks
from simkit.runner import Replications, Result, simulate
from simkit.scenario import Scenario, ScenarioError, with_overrides
from simkit.scenario.limits import allowed_range
from simkit.scenario.schema import LARGEST_SEED
from simkit.store import RunStore
from simkit.views.progress import Work, auto_progress

Store = RunStore | str | Path | None
WAIT_SECONDS = 0.5  # how often to look for replications another process is computing


@dataclass(frozen=True)
class Point:
    """One scenario of a sweep or plan: the base scenario with ``overrides`` (dotted keys) applied,
    dated changes of the same keys shifted alike (:func:`level_overrides`)."""

    overrides: dict[str, Any]
    scenario: Scenario

    @classmethod
    def of(cls, base: Scenario, overrides: dict[str, Any]) -> Point:
        return cls(dict(overrides), with_overrides(base, level_overrides(base, overrides)) if overrides else base)

    @property
    def label(self) -> str:
        """``"coaches.count=24, kela.contact_persons=2"``; ``"base"`` without overrides."""
        return ", ".join(f"{key}={value}" for key, value in self.overrides.items()) or "base"


def level_overrides(base: Scenario, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``overrides``, plus the base's ``[[events]]`` with the same numeric keys shifted by the same
    amount, kept within the key's allowed range: "4 coaches fewer" then holds after an event that
    sets the coaches too, instead of ending on that date."""
    deltas = {key: value - base.value(key) for key, value in overrides.items()
              if isinstance(value, int | float) and not isinstance(value, bool)
              and any(key in event.changes for event in base.events)}
    if not any(deltas.values()):
        return dict(overrides)
    events = []
    for event in base.events:
        data = event.model_dump(mode="python", by_alias=True)
        for key, delta in deltas.items():
            if key in data["set"]:
                low, high = allowed_range(key)
                data["set"][key] = min(high, max(low, data["set"][key] + delta))
        events.append(data)
    return {**overrides, "events": events}


class Campaign:
    """Gathers replications 0..n-1 of scenarios around one base scenario and seed.

    Each replication comes from this campaign's memory, else from the run store (counted in
    ``reused``), else it is run (counted in ``computed``; see :func:`simkit.executors.run_tasks`)
    and saved to the store the moment it finishes. ``store`` is a :class:`RunStore`, a path
    to one, or None for no store. With ``progress`` each batch of replications to run gets a bar
    (a widget in JupyterLab, else on stderr when it is a terminal) with the time left, counting the
    days they simulate, so that it moves within a long replication (on a Dask cluster, the
    replications: :class:`simkit.views.progress.Work`).
    """

    def __init__(self, base: Scenario, seed: int, store: Store, workers: int | None, scheduler: str | None,
                 progress: bool, description: str):
        if not 0 <= seed <= LARGEST_SEED or isinstance(seed, bool):
            raise ScenarioError([f"seed {seed}: a seed is a whole number from 0 to 2**63 - 1 = {LARGEST_SEED}"])
        self.base = base
        self.seed = seed
        self.workers = workers
        self.scheduler = scheduler
        self.computed = 0
        self.reused = 0
        self._store = store if isinstance(store, RunStore) or store is None else RunStore(store)
        self._owns_store = self._store is not store
        self._results: dict[tuple[str, int], Result] = {}
        self._progress = progress
        self._description = description

    def __enter__(self) -> Campaign:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._owns_store and self._store is not None:
            self._store.close()

    def describe(self, description: str) -> None:
        """Label the next progress bars (e.g. with the point being evaluated)."""
        self._description = description

    def replications(self, points: Sequence[Point], count: int, confidence: float = CONFIDENCE) -> list[Replications]:
        """Replications 0..count-1 of every point, in the order of ``points``."""
        wanted = {(p.scenario.content_hash(), r): (p, r) for p in points for r in range(count)}
        missing = self._recall_stored([key for key in wanted if key not in self._results], wanted)
        while missing:
            claimed = self._claim(missing)
            self._run([wanted[key] for key in claimed])
            missing = self._recall_stored([key for key in missing if key not in self._results], wanted)
            if missing and not claimed:  # another process is computing them: wait, then read them
                time.sleep(WAIT_SECONDS)
        return [
            Replications(p.scenario, self.seed, [self._results[p.scenario.content_hash(), r] for r in range(count)],
                         confidence)
            for p in points
        ]

    def _recall_stored(self, missing: list[tuple[str, int]], wanted: dict) -> list[tuple[str, int]]:
        """Take what the store has; return the keys still missing."""
        if self._store is None:
            return missing
        by_point: dict[str, list[int]] = {}
        for scenario_hash, replication in missing:
            by_point.setdefault(scenario_hash, []).append(replication)
        for scenario_hash, indices in by_point.items():
            point, _ = wanted[scenario_hash, indices[0]]
            for index, result in self._store.load(point.scenario, self.seed, indices).items():
                self._results[scenario_hash, index] = result
                self.reused += 1
        return [key for key in missing if key not in self._results]

    def _claim(self, keys: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The replications among ``keys`` this campaign may compute (all of them without a store)."""
        if self._store is None:
            return keys
        claimed = self._store.claim([(scenario_hash, self.seed, replication) for scenario_hash, replication in keys])
        return [(scenario_hash, replication) for scenario_hash, _, replication in claimed]

    def _run(self, work: list[tuple[Point, int]]) -> None:
        if not work:
            return
        try:
            self._compute(work)
        finally:
            if self._store is not None:  # claims of replications not finished (an error, Ctrl-C)
                self._store.release([(point.scenario.content_hash(), self.seed, replication)
                                     for point, replication in work
                                     if (point.scenario.content_hash(), replication) not in self._results])

    def _compute(self, work: list[tuple[Point, int]]) -> None:
        overrides = {point.scenario.content_hash(): point.overrides for point, _ in work}
        # replication by replication: the points of one replication that differ in staffing only
        # run on the same clients, which a process then draws once (simkit.model.draws)
        tasks = [Task(point.scenario, self.seed, replication)
                 for point, replication in sorted(work, key=lambda item: item[1])]
        counted = Work.of([task.scenario for task in tasks], self.scheduler, self._progress)  # what the bar counts
        with auto_progress(counted.total, counted.description(self._description), counted.unit, self._progress) as bar:
            finished = counted.on_replication(bar)
            for result in run_tasks(simulate, tasks, self.workers, self.scheduler, counted.on_day(bar)):
                scenario_hash = result.scenario.content_hash()
                if self._store is not None:
                    self._store.save(result, self.base.content_hash(), overrides[scenario_hash])
                self._results[scenario_hash, result.replication] = result
                self.computed += 1
                if finished is not None:
                    finished(1)
