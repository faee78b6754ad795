"""Run a multi-area scenario: each area as its own system, then the metrics of each area and of the whole.

Each ``[[areas]]`` entry runs the single-area engine on its own scenario
(:func:`simkit.scenario.areas.area_scenarios`): its own coaches, waiting list and Kela line. Its
random numbers come from a seed derived from (seed, replication, area name) (:func:`area_seed`),
so changing one area leaves every other area's numbers bit-identical (common random numbers
per area). Every metric is reported per area as ``area.<name>.<metric>`` and for the whole as
``<metric>``, combined by the rule of its kind (``COMBINATION``):

* **sum**: counts, stocks, flows, person-years and euros (all areas share one window);
* **weighted mean**: a ratio is the pooled ratio, i.e. the areas' values weighted by each
  area's denominator (first-meeting shares by the clients whose deadline fell in the window,
  owed meetings by client time, the held share by meetings owed, caseloads by person-days
  on duty, utilisation by client time available, ...; :func:`weights`);
* **pooled percentile**: ``caseload_p95`` is the 95th percentile of all areas' caseload values.

An area whose denominator is zero (no first meetings, say) has no value and no weight.

The daily series of a multi-area run (:func:`combine_daily`) holds the whole's columns, combined
by the same rules (counts summed, a day's mean caseload weighted by the staff on duty, a day's
mean Kela wait by the calls answered), then each area's own series as ``area.<name>.<column>``.

Files (CSV, Parquet) hold the tidy form instead (:func:`simkit.tidy.tidy_by_area`): an ``area``
column holding the area's name, or ``all areas`` for the whole, beside the bare metric or column name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from simkit.metrics import (
    audit,
    caseload_values,
    daily_series,
    first_meeting_cases,
    staff_groups,
    summarise,
)
from simkit.model.engine import AreaModel, Progress
from simkit.model.streams import stream_seed
from simkit.observations import Observations
from simkit.scenario.areas import area_scenarios
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import window_periods

AREA_PREFIX = "area"
WHOLE_AREA = "all areas"  # the name of the whole in tables (no area name has a space: scenario.schema.AREA_NAME)
DAY_LABELS = ("date", "day", "in_window")  # the daily series' columns that name the day, not a count

# The last part of a metric name -> how areas combine: "sum", "percentile", or the weight's name.
COMBINATION: dict[str, str] = {
    "arrivals_per_day": "sum", "active_pilot": "sum", "active_te": "sum", "waiting_for_coach": "sum",
    "waiting_for_te": "sum", "per_month": "sum", "questions_per_day": "sum", "callbacks_per_day": "sum",
    "referrals_per_month": "sum", "places_used_mean": "sum", "queue_mean": "sum", "person_years": "sum",
    "cost_eur": "sum",
    "caseload_p95": "percentile",
    "share_pilot": "arrivals", "mean_days_in_service": "exits",
    "caseload_mean": "staff days", "utilisation": "time available", "hours_per_client_month": "client days",
    "meetings_per_client_year": "client days", "first_meeting_working_days": "first meetings held",
    "first_meeting_on_time_share": "first meetings owed", "first_meeting_unmet_share": "first meetings owed",
    "late_meeting_share": "meetings held", "meetings_owed_per_client_year": "client days",
    "meetings_missed_per_client_year": "client days", "meetings_held_share": "meetings owed",
    "wait_minutes_mean": "calls resolved", "answered_share": "calls resolved",
    "answer_hours_mean": "questions answered", "on_time_share": "statements raised",
    "payment_delay_days_mean": "statements raised", "days_mean": "statements written",
    "referred_share": "statements raised",
    "wait_days_mean": "places started",
    "unemployed_pilot": "sum", "unemployed_te": "sum", "new_job_searches_per_month_pilot": "sum",
    "unemployment_spells_per_month_pilot": "sum", "caseload_unemployed_mean": "staff days",
}
SUMMED_DAILY = ("arrivals", "exits", "active_pilot", "active_te", "waiting_for_coach", "waiting_for_te",
                "kela_questions", "kela_callbacks", "unemployed_pilot", "unemployed_te", "in_service_pilot",
                "in_education_pilot", "employed_pilot", "new_job_searches_pilot", "unemployment_spells_pilot")
SUMMED_DAILY_SUFFIXES = ("_clients", "_on_duty", "_meetings", "_missed")


def area_seed(seed: int, replication: int, name: str) -> int:
    """The seed area ``name`` runs with in replication ``replication`` of master seed ``seed``."""
    return int(stream_seed(seed, replication, f"{AREA_PREFIX}.{name}").generate_state(1, np.uint64)[0])


def simulate_areas(scenario: Scenario, seed: int, replication: int, on_day: Progress | None = None
                   ) -> AreasRun:
    """One replication of every area (``on_day`` is called with 1 after each day of each area:
    areas x horizon times; the areas run one after another)."""
    runs = {name: AreaModel(area, area_seed(seed, replication, name), replication).run(on_day)
            for name, area in area_scenarios(scenario).items()}
    metrics = area_metrics(runs)
    periods = window_periods(scenario)  # cut at every dated event, whichever area it names
    by_period = (metrics,) if len(periods) == 1 else tuple(
        area_metrics({name: replace(obs, window=(period.start_day, period.end_day)) for name, obs in runs.items()})
        for period in periods)
    audits = [audit(obs) for obs in runs.values()]
    return AreasRun(metrics, combine_daily(runs), {key: sum(counts[key] for counts in audits) for key in audits[0]},
                    by_period)


@dataclass(frozen=True)
class AreasRun:
    """What :func:`simulate_areas` gives: every metric of the whole and per area, the daily series of
    the whole and per area (:func:`combine_daily`), the audit counts summed over areas, and every
    metric of each period between dated events in the window (one dict per
    :func:`simkit.scenario.timeline.window_periods`)."""

    metrics: dict[str, float]
    daily: pd.DataFrame
    audit: dict[str, int]
    period_metrics: tuple[dict[str, float], ...]


def area_metrics(runs: Mapping[str, Observations]) -> dict[str, float]:
    """The metrics of the whole (:func:`combine`) and of each area (``area.<name>.<metric>``), each
    area over its observations' window."""
    per_area = {name: summarise(obs) for name, obs in runs.items()}
    metrics = combine(per_area, {name: weights(obs, per_area[name]) for name, obs in runs.items()},
                      {name: _caseload_values(obs) for name, obs in runs.items()})
    for name, values in per_area.items():
        metrics |= {f"{AREA_PREFIX}.{name}.{metric}": value for metric, value in values.items()}
    return metrics


def combine(per_area: Mapping[str, Mapping[str, float]], area_weights: Mapping[str, Mapping[str, float]],
            area_caseloads: Mapping[str, Mapping[str, np.ndarray]]) -> dict[str, float]:
    """The whole's metrics from the areas': sums, weighted means and pooled percentiles (see the module)."""
    names = list(dict.fromkeys(metric for values in per_area.values() for metric in values))
    combined = {}
    for metric in names:
        rule = combination(metric)
        having = [area for area in per_area if metric in per_area[area]]
        if rule == "sum":
            combined[metric] = float(sum(per_area[area][metric] for area in having))
        elif rule == "percentile":
            group = metric.rpartition(".")[0]
            values = np.concatenate([area_caseloads[area][group] for area in having])
            combined[metric] = float(np.percentile(values, 95)) if values.size else math.nan
        else:
            combined[metric] = weighted_mean([(per_area[area][metric], area_weights[area][metric]) for area in having])
    return combined


def combination(metric: str) -> str:
    """How areas combine ``metric``: "sum", "percentile" or the name of the weight of its mean."""
    last = metric.rpartition(".")[2]
    if last not in COMBINATION:
        raise KeyError(f"{metric}: no rule for combining areas (add one to simkit.areas.COMBINATION)")
    return COMBINATION[last]


def weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Σ value x weight / Σ weight over pairs with a value and a positive weight (NaN if none)."""
    kept = [(value, weight) for value, weight in pairs if weight > 0 and not math.isnan(value)]
    if len(kept) == 1:
        return kept[0][0]  # exactly the one area's value (value x weight / weight may round)
    total = sum(weight for _, weight in kept)
    return sum(value * weight for value, weight in kept) / total if total else math.nan


def weights(obs: Observations, metrics: Mapping[str, float]) -> dict[str, float]:
    """The denominator of each mean metric of one area's run (each metric's own count or time)."""
    start, end = obs.window
    result: dict[str, float] = {
        "clients.share_pilot": metrics["clients.arrivals_per_day"],
        "clients.mean_days_in_service": metrics["exits.per_month"],
    }
    for group, pool_names in staff_groups(obs).items():
        pools = [obs.pools[pool] for pool in pool_names]
        staff_days = float(sum(pool.on_duty[start:end].sum() for pool in pools))
        caseload = metrics[f"{group}.caseload_mean"]
        client_days = caseload * staff_days if staff_days and not math.isnan(caseload) else 0.0
        first_owed = first_meeting_cases(obs, [list(obs.pools).index(pool) for pool in pool_names])
        owed = float(sum(np.sum(pool.due_owed[start:end]) for pool in pools))
        available = sum(float(pool.meeting_minutes_available[start:end].sum()) for pool in pools)
        result |= {
            f"{group}.caseload_mean": staff_days,
            f"{group}.utilisation": float(available),
            f"{group}.hours_per_client_month": client_days,
            f"{group}.meetings_per_client_year": client_days,
            f"{group}.first_meeting_working_days": float((first_owed & (obs.first_meetings.met_day >= 0)).sum()),
            f"{group}.first_meeting_on_time_share": float(first_owed.sum()),
            f"{group}.first_meeting_unmet_share": float(first_owed.sum()),
            f"{group}.late_meeting_share": float(sum(np.sum(pool.held[start:end]) for pool in pools)),
            f"{group}.caseload_unemployed_mean": staff_days,
            f"{group}.meetings_owed_per_client_year": client_days,
            f"{group}.meetings_missed_per_client_year": client_days,
            f"{group}.meetings_held_share": owed,
        }
    result |= _kela_weights(obs)
    result |= _statement_weights(obs)
    for name, record in obs.services.items():
        started = np.asarray(record.started, dtype=float)
        result[f"services.{name}.wait_days_mean"] = float(((started >= start) & (started < end)).sum())
    return result


def _kela_weights(obs: Observations) -> dict[str, float]:
    line = obs.kela
    start, end = obs.window
    raised_in = (line.raised >= start) & (line.raised < end)
    placed_in = (line.placed >= start) & (line.placed < end)
    answered = ~np.isnan(line.answered_at)
    resolved = placed_in & ((answered & ~line.called_back) | line.called_back)
    result = {
        "kela.wait_minutes_mean": float(resolved.sum()),
        "kela.answered_share": float(resolved.sum()),
        "kela.utilisation": float(line.line_days[start:end].sum()),
        "kela.answer_hours_mean": float((raised_in & answered).sum()),
    }
    for index, kind in enumerate(obs.scenario.kela.question_types):
        of_kind = line.kind == index
        result |= {
            f"kela.{kind.name}.wait_minutes_mean": float((resolved & of_kind).sum()),
            f"kela.{kind.name}.answered_share": float((resolved & of_kind).sum()),
            f"kela.{kind.name}.answer_hours_mean": float((raised_in & answered & of_kind).sum()),
        }
    return result


def _statement_weights(obs: Observations) -> dict[str, float]:
    start, end = obs.window
    raised_day = np.floor(obs.statements.raised).astype(int)
    in_window = (raised_day >= start) & (raised_day < end)
    return {
        "statements.on_time_share": float(in_window.sum()),
        "kela.payment_delay_days_mean": float(in_window.sum()),
        "statements.days_mean": float((in_window & (obs.statements.written_day >= 0)).sum()),
        "statements.referred_share": float(in_window.sum()),
    }


def _caseload_values(obs: Observations) -> dict[str, np.ndarray]:
    return {group: caseload_values(obs, pools) for group, pools in staff_groups(obs).items()}


def combine_daily(runs: Mapping[str, Observations]) -> pd.DataFrame:
    """The daily series of a multi-area run: the whole's (:func:`whole_daily`), then each area's
    own :func:`simkit.metrics.daily_series` as ``area.<name>.<column>`` (all but ``DAY_LABELS``)."""
    frames = {name: daily_series(obs) for name, obs in runs.items()}
    areas = [frame.drop(columns=list(DAY_LABELS)).add_prefix(f"{AREA_PREFIX}.{name}.") for name, frame in frames.items()]
    return pd.concat([whole_daily(runs, frames), *areas], axis=1)


def whole_daily(runs: Mapping[str, Observations], frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The whole's daily series from the areas' (``frames``, by area name): counts summed over areas,
    a day's mean caseload the clients with staff over the staff on duty (all areas), a day's mean
    Kela wait weighted by the calls answered directly that day."""
    first = next(iter(frames.values()))
    whole = first[list(DAY_LABELS)].copy()
    columns = dict.fromkeys(column for frame in frames.values() for column in frame.columns)
    for column in [column for column in columns if column not in DAY_LABELS]:
        present = [name for name in frames if column in frames[name]]
        if column in SUMMED_DAILY or column.endswith(SUMMED_DAILY_SUFFIXES):
            whole[column] = sum(frames[name][column].to_numpy() for name in present)
        elif column.endswith("_caseload_mean"):  # after its _clients and _on_duty: the pooled ratio
            group = column.removesuffix("_caseload_mean")
            clients, on_duty = whole[f"{group}_clients"].to_numpy(), whole[f"{group}_on_duty"].to_numpy()
            with np.errstate(invalid="ignore", divide="ignore"):
                whole[column] = np.where(on_duty > 0, clients / np.maximum(on_duty, 1), np.nan)
        elif column == "kela_wait_minutes_mean":
            whole[column] = _daily_weighted([(frames[name][column].to_numpy(), _answered_per_day(runs[name], len(first)))
                                             for name in present])
        else:
            raise KeyError(f"daily column {column}: no rule for combining areas")
    return whole


def _answered_per_day(obs: Observations, horizon: int) -> np.ndarray:
    line = obs.kela
    direct = ~np.isnan(line.answered_at) & ~line.called_back & (line.placed >= 0) & (line.placed < horizon)
    return np.bincount(np.floor(line.placed[direct]).astype(int), minlength=horizon)[:horizon].astype(float)


def _daily_weighted(pairs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    total = sum(np.where(weight > 0, np.nan_to_num(values) * weight, 0.0) for values, weight in pairs)
    weight = sum(weight for _, weight in pairs)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / np.maximum(weight, 1e-300), np.nan)


def area_table(summary: pd.DataFrame, metrics: list[str], titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per area (then ``WHOLE_AREA`` for the whole): each metric's mean, ci_low and ci_high.

    ``summary`` is :attr:`simkit.Replications.summary` of a multi-area run; ``titles`` maps area
    names to the names people write (``{area.name: area.title for area in scenario.areas}``)."""
    names = list(dict.fromkeys(index.split(".")[1] for index in summary.index if index.startswith(f"{AREA_PREFIX}.")))
    rows = []
    for name in [*names, WHOLE_AREA]:
        prefix = "" if name == WHOLE_AREA else f"{AREA_PREFIX}.{name}."
        row: dict[str, object] = {"area": name, "title": (titles or {}).get(name, name)}
        for metric in metrics:
            for column in ("mean", "ci_low", "ci_high"):
                row[f"{metric} {column}"] = float(summary.loc[f"{prefix}{metric}", column])
        rows.append(row)
    return pd.DataFrame(rows)


AREA_TEXT_METRICS = ("coach.caseload_mean", "coach.first_meeting_on_time_share", "clients.waiting_for_coach",
                     "kela.answered_share", "kela.wait_minutes_mean", "staff.person_years", "staff.cost_eur")


def area_text(summary: pd.DataFrame, metrics: tuple[str, ...] = AREA_TEXT_METRICS) -> str:
    """A readable table of a multi-area run: one line per area and the whole, the means of ``metrics``."""
    table = area_table(summary, [metric for metric in metrics if f"{metric}" in summary.index])
    shown = [metric for metric in metrics if f"{metric} mean" in table]
    widths = [max(len(name), 10) for name in shown]
    width = max(len(str(name)) for name in table["area"])
    lines = [f"{'area':<{width}}  " + "  ".join(f"{name:>{w}}" for name, w in zip(shown, widths))]
    for row in table.to_dict(orient="records"):
        cells = [_short(row[f"{name} mean"]) for name in shown]
        lines.append(f"{row['area']:<{width}}  " + "  ".join(f"{cell:>{w}}" for cell, w in zip(cells, widths)))
    return "\n".join(lines)


def _short(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"
