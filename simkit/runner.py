"""Runs: one replication (``simulate``) and many (``replicate``), serial or in a process pool.

Replication ``r`` of ``replicate(scenario, seed=s)`` is exactly ``simulate(scenario, s, r)``:
each replication draws from its own named streams (:mod:`simkit.model.streams`), so results
do not depend on the order or the process in which replications run.

A scenario with dated events has periods with different rules: each result also holds every
metric for each period between the events inside the window (``Result.period_metrics``), and
:meth:`Replications.by_period` gives them beside the whole window, so that nobody reads one
average over two sets of rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from simkit.analysis.stats import CONFIDENCE, paired_differences, summary_table
from simkit.areas import simulate_areas
from simkit.metrics import audit, daily_series, metric_unit, summarise
from simkit.model.engine import AreaModel, Progress
from simkit.observations import Observations
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import Period, window_periods


@dataclass(frozen=True)
class Result:
    """One replication: summary metrics, the daily series and conservation counts (and, if asked
    for, the observations they were computed from).

    A multi-area run's ``metrics`` and ``daily`` hold the whole's under the usual names and each
    area's as ``area.<name>.<metric>`` and ``area.<name>.<column>`` (:mod:`simkit.areas`;
    :func:`simkit.tidy.tidy_by_area` gives them with an ``area`` column instead)."""

    scenario: Scenario
    seed: int
    replication: int
    metrics: dict[str, float]
    daily: pd.DataFrame = field(repr=False)
    audit: dict[str, int] = field(repr=False)
    observations: Observations | None = field(default=None, repr=False)
    period_metrics: tuple[dict[str, float], ...] = field(default=(), repr=False)  # one per window_periods(scenario)


@dataclass(frozen=True)
class Replications:
    """Many replications of one scenario and seed, with t-based confidence intervals."""

    scenario: Scenario
    seed: int
    results: list[Result] = field(repr=False)
    confidence: float = CONFIDENCE

    @property
    def per_replication(self) -> pd.DataFrame:
        """One row per replication, one column per metric."""
        frame = pd.DataFrame([r.metrics for r in self.results], index=[r.replication for r in self.results])
        frame.index.name = "replication"
        return frame

    @property
    def summary(self) -> pd.DataFrame:
        """One row per metric: mean, ci_low, ci_high, std, n, unit."""
        frame = self.per_replication
        return summary_table(frame, {name: metric_unit(name) for name in frame.columns}, self.confidence)

    @property
    def daily(self) -> pd.DataFrame:
        """The daily series of every replication, with a ``replication`` column (a multi-area run's:
        the whole's columns and each area's as ``area.<name>.<column>``, see :class:`Result`)."""
        return pd.concat([r.daily.assign(replication=r.replication) for r in self.results], ignore_index=True)

    def compare(self, base: "Replications") -> pd.DataFrame:
        """Paired differences ``self - base`` per metric with t-based CIs (same seed: CRN)."""
        units = {name: metric_unit(name) for name in self.per_replication.columns}
        return paired_differences(base.per_replication, self.per_replication, units, self.confidence)

    def by_period(self) -> pd.DataFrame:
        """Every metric for the whole window and for each period between dated events inside it:
        one row per period and metric, with ``period`` ("whole window" or "first – last date"),
        ``first_date``, ``last_date``, ``event`` (what began the period) and ``changes`` (what it
        set) beside the summary columns (mean, ci_low, ci_high, ...)."""
        periods = window_periods(self.scenario)
        if any(len(result.period_metrics) != len(periods) for result in self.results):
            raise ValueError("these results hold no figures by period (results from the run store do not): "
                             "run the replications again")
        info = self.scenario.scenario
        whole = Period(info.warmup_days, info.warmup_days + info.days, periods[0].first_date, periods[-1].last_date,
                       "", "")
        tables = [self._period_table("whole window", whole, self.per_replication)]
        for index, period in enumerate(periods):
            frame = pd.DataFrame([result.period_metrics[index] for result in self.results],
                                 index=[result.replication for result in self.results])
            tables.append(self._period_table(period.label, period, frame))
        return pd.concat(tables, ignore_index=True)

    def _period_table(self, label: str, period: Period, per_replication: pd.DataFrame) -> pd.DataFrame:
        units = {name: metric_unit(name) for name in per_replication.columns}
        table = summary_table(per_replication, units, self.confidence).reset_index()
        labels = {"period": label, "first_date": period.first_date, "last_date": period.last_date,
                  "event": period.event, "changes": period.changes}
        return table.assign(**labels)[[*labels, *table.columns]]

    def metric(self, name: str) -> tuple[float, float, float]:
        """(mean, ci_low, ci_high) of one metric."""
        row = self.summary.loc[name]
        return float(row["mean"]), float(row["ci_low"]), float(row["ci_high"])


def simulate(scenario: Scenario, seed: int | None = None, replication: int = 0,
             keep_observations: bool = False, on_day: Progress | None = None) -> Result:
    """Run one replication of ``scenario`` (seed defaults to the scenario's own); a scenario with
    ``[[areas]]`` runs each area as its own system (:mod:`simkit.areas`).

    ``keep_observations`` keeps the run's :class:`~simkit.observations.Observations` on the
    result (for tests and analyses that look past the metrics; they are large; one area's only).
    ``on_day`` (e.g. a progress bar's ``update``) is called with 1 after each simulated day,
    :func:`simulated_days` times in all; the numbers are the same with it or without.
    """
    seed = scenario.scenario.seed if seed is None else seed
    if scenario.areas:  # each area its own system (simkit.areas)
        areas = simulate_areas(scenario, seed, replication, on_day)
        return Result(scenario=scenario, seed=seed, replication=replication, metrics=areas.metrics,
                      daily=areas.daily, audit=areas.audit, period_metrics=areas.period_metrics)
    observations = AreaModel(scenario, seed, replication).run(on_day)
    metrics = summarise(observations)
    return Result(
        scenario=scenario,
        seed=seed,
        replication=replication,
        metrics=metrics,
        daily=daily_series(observations),
        audit=audit(observations),
        observations=observations if keep_observations else None,
        period_metrics=period_metrics(observations, metrics),
    )


def simulated_days(scenario: Scenario) -> int:
    """The days one replication of ``scenario`` simulates: warm-up plus window, once per area
    (areas share the dates)."""
    return (scenario.scenario.warmup_days + scenario.scenario.days) * max(len(scenario.areas), 1)


def period_metrics(observations: Observations, whole: dict[str, float]) -> tuple[dict[str, float], ...]:
    """Every metric of each period between dated events inside the window (``whole``, the whole
    window's, when there is one period)."""
    periods = window_periods(observations.scenario)
    if len(periods) == 1:
        return (whole,)
    return tuple(summarise(replace(observations, window=(period.start_day, period.end_day))) for period in periods)


def replicate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = 1,
    progress: Progress | None = None,
    scheduler: str | None = None,
    on_day: Progress | None = None,
) -> Replications:
    """Run ``replications`` independent replications (defaults from the scenario).

    ``workers`` > 1 runs them in a process pool (``None``: one per core); a Dask ``scheduler``
    address (default ``$SIMKIT_SCHEDULER``) runs them on that cluster (:mod:`simkit.executors`).
    The numbers are the same as in a serial run. ``progress`` is called with 1 after each
    finished replication; ``on_day`` with the days simulated (not on a Dask cluster:
    :func:`simkit.executors.run_tasks`).
    """
    from simkit.executors import Task, run_tasks  # executors take the function to run: no circle

    seed = scenario.scenario.seed if seed is None else seed
    count = scenario.scenario.replications if replications is None else replications
    if count < 1:
        raise ValueError(f"replications must be at least 1, not {count}")
    results = []
    tasks = [Task(scenario, seed, index) for index in range(count)]
    for result in run_tasks(simulate, tasks, workers, scheduler, on_day):
        results.append(result)
        if progress:
            progress(1)
    results.sort(key=lambda result: result.replication)
    return Replications(scenario=scenario, seed=seed, results=results)
