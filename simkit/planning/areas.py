"""The cheapest staffing that meets the targets: per area, over one or several levers, in euros.

Areas are independent systems (each its own staff, waiting list and Kela line, with its own
random numbers: :mod:`simkit.areas`), and the cost of the whole is the sum of the areas' costs.
So the cheapest staffing of the whole that meets a target in every area is each area's own
cheapest staffing: the per-area minima add up to the total minimum. Each area is planned on
:func:`simkit.scenario.areas.area_alone`, which runs exactly as the area does inside the whole.

Within an area, one lever is sized by :func:`simkit.planning.plan` (the smallest value meeting
every target with confidence is the cheapest, as cost grows with it). With several levers
(coaches, TE experts, contact persons) and targets that are monotone (more staff never makes a
target worse), the search is:

1. each lever's **lower bound**: its smallest value meeting the targets while every other
   lever is at the top of its range (no cheaper staffing can have less of that lever);
2. if the lower bounds together meet the targets, they are the cheapest staffing (**exact**);
3. otherwise each lever in turn is raised from its bound (the others at theirs) to the smallest
   value that meets the targets, and the cheapest of these staffings is taken; it meets the
   targets but is not proven the cheapest (``exact`` is False and the report says so).

Every option tried is reported with its cost (person-years x [costs], :func:`planned_staff`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from simkit.analysis.stats import CONFIDENCE
from simkit.areas import WHOLE_AREA
from simkit.costs import staff_metrics
from simkit.executors import in_local_processes, local_workers, scheduler_address
from simkit.i18n import t
from simkit.planning.campaign import Point
from simkit.planning.plan import SEARCH_CEILING_FACTOR, PlanResult, plan
from simkit.planning.targets import Target, parse_target
from simkit.scenario import Scenario, ScenarioError
from simkit.scenario.areas import area_alone, area_scenarios, split_area_key
from simkit.scenario.timeline import timeline
from simkit.store import DEFAULT_STORE, RunStore
from simkit.views.progress import auto_progress


def planned_staff(scenario: Scenario) -> dict[str, float]:
    """The staff metrics of :func:`simkit.costs.staff_metrics` from the scenario alone (the staff on
    duty follows its counts and dated changes), summed over its areas: what a staffing option costs,
    without running it; equal to the simulated metrics."""
    totals: dict[str, float] = {}
    for area in (area_scenarios(scenario) or {"": scenario}).values():
        info = area.scenario
        horizon = info.warmup_days + info.days
        periods = timeline(area, info.start_date - dt.timedelta(days=info.warmup_days))
        on_duty = {"coach": periods.per_day(horizon, lambda s: s.coaches.count),  # teams add up to it
                   "te": periods.per_day(horizon, lambda s: s.te.experts),
                   "kela": periods.per_day(horizon, lambda s: s.kela.contact_persons)}
        for name, value in staff_metrics(area, on_duty, (info.warmup_days, horizon)).items():
            totals[name] = totals.get(name, 0.0) + value
    return totals


@dataclass(frozen=True)
class AreaPlan:
    """The cheapest staffing found for one area (or the whole): lever values, person-years, euros."""

    area: str
    title: str
    levers: dict[str, int | None]
    exact: bool
    person_years: float
    cost_eur: float
    checks: dict[str, tuple[float, float, float]]  # target metric -> (mean, ci_low, ci_high) at the levers
    searches: tuple[PlanResult, ...] = field(repr=False)
    options: pd.DataFrame = field(repr=False)

    @property
    def found(self) -> bool:
        return all(value is not None for value in self.levers.values())


@dataclass(frozen=True)
class CostPlan:
    """Per-area cheapest staffings and their total (the sum: areas are independent)."""

    levers: tuple[str, ...]
    targets: tuple[Target, ...]
    confidence: float
    areas: tuple[AreaPlan, ...]

    @property
    def found(self) -> bool:
        return all(area.found for area in self.areas)

    @property
    def person_years(self) -> float:
        return sum(area.person_years for area in self.areas) if self.found else math.nan

    @property
    def cost_eur(self) -> float:
        return sum(area.cost_eur for area in self.areas) if self.found else math.nan

    @property
    def table(self) -> pd.DataFrame:
        """One row per area and a total row: lever values, person-years, euros, each target's mean and CI."""
        rows = [_row(area.area, area.title, area.levers, area.person_years, area.cost_eur, area.checks, area.exact)
                for area in self.areas]
        if len(self.areas) > 1:
            totals = {lever: _total(area.levers[lever] for area in self.areas) for lever in self.levers}
            rows.append(_row(WHOLE_AREA, WHOLE_AREA, totals, self.person_years, self.cost_eur, {},
                             all(area.exact for area in self.areas)))
        return pd.DataFrame(rows)

    @property
    def options(self) -> pd.DataFrame:
        """Every staffing tried, per area: lever values, replications, verdict, person-years, euros."""
        return pd.concat([area.options for area in self.areas], ignore_index=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "levers": list(self.levers),
            "targets": [str(target) for target in self.targets],
            "confidence": self.confidence,
            "found": self.found,
            "person_years": self.person_years,
            "cost_eur": self.cost_eur,
            "areas": self.table.to_dict(orient="records"),
            "options": self.options.to_dict(orient="records"),
        }


def plan_cost(
    scenario: Scenario,
    levers: Sequence[str],
    targets: Sequence[Target | str],
    confidence: float = CONFIDENCE,
    *,
    per_area: bool = True,
    only: Sequence[str] = (),
    low: int = 1,
    high: int | None = None,
    **plan_options: Any,
) -> CostPlan:
    """The cheapest values of ``levers`` (dotted keys such as ``coaches.count``) meeting every target.

    With ``per_area`` (and ``[[areas]]``) each area is planned alone and its own keys are the
    levers (``only``: just the areas named); otherwise the scenario is planned as one unit.
    ``low`` and ``high`` bound every lever (``high`` defaults to 16 x the value in the unit planned). ``plan_options`` go to
    :func:`simkit.planning.plan` (replications, max_replications, seed, workers, store,
    progress, scheduler); with several areas, ``workers`` local processes plan that many areas at
    once (the same answer as one after another, :func:`_plan_units`).
    """
    targets = tuple(t if isinstance(t, Target) else parse_target(t) for t in targets)
    levers = tuple(dict.fromkeys(levers))
    if not levers:
        raise ScenarioError(["a plan needs a setting to vary, e.g. --vary coaches.count"])
    if per_area and any(split_area_key(lever) for lever in levers):
        raise ScenarioError([f"--vary {lever}: with --per-area vary the key itself (e.g. coaches.count): each area "
                             "is planned with its own value" for lever in levers if split_area_key(lever)])
    _check_area_keys(scenario, levers)
    names = [area.name for area in scenario.areas]
    unknown = [name for name in only if name not in names]
    if unknown:
        raise ScenarioError([f"--area {name}: no such area (areas: {', '.join(names) or 'none'})" for name in unknown])
    units = ({name: area_alone(scenario, name) for name in names if not only or name in only}
             if per_area and scenario.areas else {WHOLE_AREA: scenario})
    plan_one = partial(_plan_unit, levers=levers, targets=targets, confidence=confidence, low=low, high=high)
    return CostPlan(levers, targets, confidence, _plan_units(units, plan_one, plan_options))


def _plan_units(units: dict[str, Scenario], plan_one: Callable[..., AreaPlan],
                options: dict[str, Any]) -> tuple[AreaPlan, ...]:
    """``plan_one(name, unit, options=...)`` for each unit. Several areas run at once, one per local
    process (``workers``: areas are independent systems, so every core stays busy and the answer
    does not change), each area's replications then one after another in its process, sharing the
    run store; with one worker, one area, or a Dask scheduler (which takes the replications
    instead), one area after another."""
    processes = min(local_workers(options.get("workers")), len(units))
    if processes == 1 or scheduler_address(options.get("scheduler")):
        return tuple(plan_one(name, unit, options=options) for name, unit in units.items())
    store = options.get("store", DEFAULT_STORE)
    inner = {**options, "workers": 1, "progress": False, "store": store.path if isinstance(store, RunStore) else store}
    items = list(units.items())
    plans: dict[int, AreaPlan] = {}
    with auto_progress(len(items), t("progress_plan_areas"), t("progress_areas"), options.get("progress", True)) as bar:
        for index, area_plan in in_local_processes(partial(_plan_item, plan_one, inner), items, processes):
            plans[index] = area_plan
            bar.update(1)
    return tuple(plans[index] for index in range(len(items)))


def _plan_item(plan_one: Callable[..., AreaPlan], options: dict[str, Any], item: tuple[str, Scenario]) -> AreaPlan:
    return plan_one(*item, options=options)


@dataclass(frozen=True)
class _Search:
    """One one-lever search: the other levers' fixed values and what :func:`plan` found."""

    others: dict[str, int]
    result: PlanResult


def _plan_unit(name: str, unit: Scenario, levers: tuple[str, ...], targets: tuple[Target, ...], confidence: float,
               low: int, high: int | None, options: dict[str, Any]) -> AreaPlan:
    """The cheapest staffing of one unit (an area alone, or the whole)."""
    tops = {lever: high if high is not None else SEARCH_CEILING_FACTOR * max(_value(unit, lever), 1)
            for lever in levers}
    searches: list[_Search] = []

    def smallest(lever: str, others: dict[str, int], start_low: int) -> int | None:
        base = Point.of(unit, others).scenario if others else unit
        result = plan(base, lever, targets, confidence, low=start_low, high=tops[lever], **options)
        searches.append(_Search(dict(others), result))
        return result.value

    def but(lever: str, levels: dict[str, int]) -> dict[str, int]:
        return {other: value for other, value in levels.items() if other != lever}

    lowest = {lever: smallest(lever, but(lever, tops), low) for lever in levers}
    if len(levers) == 1 or any(value is None for value in lowest.values()):
        return _area_plan(name, unit, lowest, len(levers) == 1, searches)
    first = levers[0]
    if smallest(first, but(first, lowest), lowest[first]) == lowest[first]:
        return _area_plan(name, unit, lowest, True, searches)
    raised = [{**lowest, first: searches[-1].result.value}]
    raised += [{**lowest, lever: smallest(lever, but(lever, lowest), lowest[lever])} for lever in levers[1:]]
    choices = [levels for levels in raised if None not in levels.values()]
    if not choices:
        return _area_plan(name, unit, dict.fromkeys(levers), False, searches)
    cheapest = min(choices, key=lambda levels: planned_staff(_at(unit, levels))["staff.cost_eur"])
    return _area_plan(name, unit, cheapest, False, searches)


def _area_plan(name: str, unit: Scenario, levels: dict[str, int | None], exact: bool,
               searches: list[_Search]) -> AreaPlan:
    found = None not in levels.values()
    staff = planned_staff(_at(unit, levels)) if found else {"staff.person_years": math.nan, "staff.cost_eur": math.nan}
    title = unit.areas[0].title if len(unit.areas) == 1 else unit.name
    return AreaPlan(name, title, dict(levels), exact, staff["staff.person_years"], staff["staff.cost_eur"],
                    _checks_at(levels, searches) if found else {}, tuple(search.result for search in searches),
                    _options(name, unit, searches))


def _checks_at(levels: dict[str, int | None], searches: list[_Search]) -> dict[str, tuple[float, float, float]]:
    """The targets' means and CIs from the last search that ended at exactly these lever values."""
    for search in reversed(searches):
        if {**search.others, search.result.vary: search.result.value} == levels:
            return {check.target.metric: (check.mean, check.ci_low, check.ci_high) for check in search.result.checks}
    return {}


def _options(name: str, unit: Scenario, searches: list[_Search]) -> pd.DataFrame:
    """Every staffing tried: the lever values, replications, verdict, person-years, euros and target means."""
    rows = []
    for search in searches:
        for step in search.result.trace:
            levels = {**search.others, search.result.vary: step.value}
            staff = planned_staff(_at(unit, levels))
            rows.append({"area": name, **levels, "replications": step.replications, "verdict": step.verdict.value,
                         "person_years": staff["staff.person_years"], "cost_eur": staff["staff.cost_eur"],
                         **{check.target.metric: check.mean for check in step.checks}})
    return pd.DataFrame(rows)


def _at(unit: Scenario, levels: dict[str, int | None]) -> Scenario:
    return Point.of(unit, {key: value for key, value in levels.items() if value is not None}).scenario


def _value(scenario: Scenario, key: str) -> int:
    value = scenario.value(key)
    if type(value) is not int:
        raise ScenarioError([f"--vary {key}: not a whole-number setting such as coaches.count or te.experts"])
    return value


def _check_area_keys(scenario: Scenario, levers: Sequence[str]) -> None:
    names = [area.name for area in scenario.areas]
    for lever in levers:
        area_key = split_area_key(lever)
        if area_key is not None and area_key[0] not in names:
            raise ScenarioError([f"--vary {lever}: no area {area_key[0]} (areas: {', '.join(names) or 'none'})"])


def _row(area: str, title: str, levers: dict[str, int | None], person_years: float, cost_eur: float,
         checks: dict[str, tuple[float, float, float]], exact: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"area": area, "title": title or area, **levers, "person_years": person_years, "cost_eur": cost_eur, "exact": exact}
    for metric, (mean, low, high) in checks.items():
        row |= {f"{metric} mean": mean, f"{metric} ci_low": low, f"{metric} ci_high": high}
    return row


def _total(values) -> int | None:
    values = list(values)
    return None if any(value is None for value in values) else sum(values)
