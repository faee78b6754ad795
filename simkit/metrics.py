"""What simkit reports: the summary metrics and the daily series.

Each metric and daily column is declared once, in the registry (:mod:`simkit.registry`: name,
unit, meaning, labels), which serves the JSON output, the CSV headers, the tables and the plot
labels. All averages are over the statistics window (after warm-up); "time-weighted" means
averaged over continuous time, not over events. The job-seeker status metrics are computed in
:mod:`simkit.status_metrics`, the counting over intervals of time in :mod:`simkit.intervals`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simkit.costs import staff_metrics
from simkit.intervals import (
    end_of_day_counts,
    mean_or_nan,
    per_day,
    per_day_mean,
    time_average,
)
from simkit.memo import once_per
from simkit.observations import ClientState, Observations, PoolRecord, ServiceRecord
from simkit.registry import METRIC_BY_NAME, METRICS, SERVICE_METRICS, metric_unit
from simkit.status_metrics import (
    StatusPieces,
    status_daily,
    status_pieces,
    status_summary,
    stays_with,
)
from simkit.units import DAYS_PER_MONTH, MINUTES_PER_DAY, YEAR

__all__ = [  # the registry's and the status module's names are re-exported from here
    "METRICS",
    "METRIC_BY_NAME",
    "SERVICE_METRICS",
    "StatusPieces",
    "audit",
    "caseload_values",
    "daily_series",
    "first_meeting_cases",
    "metric_unit",
    "staff_groups",
    "status_pieces",
    "summarise",
]


# -- summary ------------------------------------------------------------------------------
def summarise(obs: Observations) -> dict[str, float]:
    """All metrics of one run, keyed by the names in ``METRICS``."""
    start, end = obs.window
    days = end - start
    pop, stays = obs.population, obs.stays
    arrived_in_window = (~pop.initial) & (pop.registration >= start) & (pop.registration < end)
    exited_in_window = (pop.exit >= start) & (pop.exit < end)
    municipal = stays.municipal
    waiting_until = np.minimum(stays.assigned, stays.end)
    values = {
        "clients.arrivals_per_day": arrived_in_window.sum() / days,
        "clients.share_pilot": mean_or_nan(pop.municipal[arrived_in_window]),
        "clients.active_pilot": time_average(stays.start[municipal], stays.end[municipal], start, end),
        "clients.active_te": time_average(stays.start[~municipal], stays.end[~municipal], start, end),
        "clients.waiting_for_coach": time_average(stays.start[municipal], waiting_until[municipal], start, end),
        "clients.waiting_for_te": time_average(stays.start[~municipal], waiting_until[~municipal], start, end),
        "clients.mean_days_in_service": mean_or_nan((pop.exit - pop.registration)[exited_in_window]),
        "exits.per_month": exited_in_window.sum() / (days / DAYS_PER_MONTH),
    }
    for name, pools in staff_groups(obs).items():
        values.update(_staff_summary(obs, name, pools))
    values.update(status_summary(obs, staff_groups(obs)))
    values.update(_kela_summary(obs))
    values.update(_statement_summary(obs))
    on_duty = {name: pool.on_duty for name, pool in obs.pools.items()} | {"kela": obs.kela.on_duty}
    values.update(staff_metrics(obs.scenario, on_duty, obs.window))
    for name, record in obs.services.items():
        values.update(_service_summary(obs, name, record))
    return {name: float(value) for name, value in values.items()}


def _service_summary(obs: Observations, name: str, record: ServiceRecord) -> dict[str, float]:
    start, end = obs.window
    referred, started, ended = record.referred, record.started, record.ended
    got_place = ~np.isnan(started)
    queue_until = np.where(got_place, started, ended)
    in_window = (referred >= start) & (referred < end)
    return {
        f"services.{name}.referrals_per_month": in_window.sum() / ((end - start) / DAYS_PER_MONTH),
        f"services.{name}.places_used_mean": time_average(started[got_place], ended[got_place], start, end),
        f"services.{name}.queue_mean": time_average(referred, queue_until, start, end),
        f"services.{name}.wait_days_mean": mean_or_nan((started - referred)[got_place & (started >= start) & (started < end)]),
    }


def _statement_summary(obs: Observations) -> dict[str, float]:
    """Statements raised in the window, written in a diary or referred to the central unit; one
    not written by the end counts as late until then."""
    start, end = obs.window
    log, due = obs.statements, obs.scenario.statements.due_days
    raised_day = np.floor(log.raised).astype(int)
    in_window = (raised_day >= start) & (raised_day < end)
    written = log.written_day >= 0
    took = np.where(written, log.written_day, end) - raised_day
    delay = np.maximum(took - due, 0)
    return {
        "statements.per_month": in_window.sum() / ((end - start) / DAYS_PER_MONTH),
        "statements.on_time_share": mean_or_nan((written & (took <= due))[in_window]),
        "statements.days_mean": mean_or_nan(took[in_window & written]),
        "statements.referred_share": mean_or_nan(log.referred[in_window]),
        "kela.payment_delay_days_mean": mean_or_nan(delay[in_window]),
    }


def staff_groups(obs: Observations) -> dict[str, list[str]]:
    """Metric prefixes and their pools: "coach" (every coach team), "te", and each coach team."""
    names = list(obs.pools)
    coach = [name for name in names if name.startswith("coach")]
    teams = {name: [name] for name in coach if name != "coach"}
    return {"coach": coach, "te": ["te"], **teams}


def _staff_summary(obs: Observations, name: str, pool_names: list[str]) -> dict[str, float]:
    """The staff metrics of a group of pools (all coaches, TE experts, or one team)."""
    start, end = obs.window
    stays = obs.stays
    indices = [list(obs.pools).index(pool) for pool in pool_names]
    served = stays_with(obs, pool_names)
    pools: list[PoolRecord] = [obs.pools[pool] for pool in pool_names]
    client_days = time_average(stays.assigned[served], stays.end[served], start, end) * (end - start)
    staff_days = float(sum(pool.on_duty[start:end].sum() for pool in pools))
    held = int(sum(np.sum(pool.held[start:end]) for pool in pools))
    late = int(sum(np.sum(pool.late[start:end]) for pool in pools))
    owed, held_of_owed, missed = (int(sum(np.sum(getattr(pool, due)[start:end]) for pool in pools))
                                  for due in ("due_owed", "due_held", "due_missed"))
    meeting_hours = held * obs.scenario.meeting.mean_minutes / 60.0
    used_hours = sum(float(pool.minutes_used[start:end].sum()) for pool in pools) / 60.0
    available_hours = sum(float(pool.meeting_minutes_available[start:end].sum()) for pool in pools) / 60.0
    return {
        f"{name}.caseload_mean": client_days / staff_days if staff_days else math.nan,
        f"{name}.caseload_p95": _caseload_p95(obs, pool_names),
        f"{name}.utilisation": used_hours / available_hours if available_hours else math.nan,
        f"{name}.hours_per_client_month": meeting_hours / (client_days / DAYS_PER_MONTH) if client_days else math.nan,
        **_first_meeting_summary(obs, name, indices),
        f"{name}.meetings_per_client_year": held / (client_days / YEAR) if client_days else math.nan,
        f"{name}.late_meeting_share": late / held if held else math.nan,
        f"{name}.meetings_owed_per_client_year": owed / (client_days / YEAR) if client_days else math.nan,
        f"{name}.meetings_held_share": held_of_owed / owed if owed else math.nan,
        f"{name}.meetings_missed_per_client_year": missed / (client_days / YEAR) if client_days else math.nan,
    }


def first_meeting_cases(obs: Observations, pool_indices: list[int]) -> np.ndarray:
    """Which clients the first-meeting metrics of these pools count (a mask over the population):
    those whose deadline fell in the window, met on time, met late, still waiting at the end or
    gone unmet after the deadline (not those who left unmet before it), who were with one of the
    pools when met on time, else at the deadline."""
    start, end = obs.window
    first = obs.first_meetings
    deadline, met = first.deadline_day, first.met_day
    on_time = (met >= 0) & (met <= deadline)
    owed = (deadline >= start) & (deadline < end) & (on_time | (obs.population.exit >= deadline))
    return _with_pools_when_due(obs, pool_indices) & owed


def _with_pools_when_due(obs: Observations, pool_indices: list[int]) -> np.ndarray:
    """Which clients were with one of the pools when met on time, else at the deadline (a read-only
    mask over the population, whatever the window: once per run)."""
    def compute() -> np.ndarray:
        first, stays = obs.first_meetings, obs.stays
        deadline, met = first.deadline_day, first.met_day
        when = np.where((met >= 0) & (met <= deadline), met, deadline)[stays.client]
        with_pool = (stays.start <= when) & (when < stays.end) & np.isin(stays.pool, pool_indices)
        counted = np.zeros(len(deadline), dtype=bool)
        counted[stays.client[with_pool]] = True
        counted.flags.writeable = False
        return counted

    return once_per(f"with pools {pool_indices} when due", compute, obs.stays, obs.first_meetings)


def _first_meeting_summary(obs: Observations, name: str, pool_indices: list[int]) -> dict[str, float]:
    """On time, working days and unmet of the clients :func:`first_meeting_cases` counts."""
    first = obs.first_meetings
    met = first.met_day
    counted = first_meeting_cases(obs, pool_indices)
    return {
        f"{name}.first_meeting_on_time_share": mean_or_nan(((met >= 0) & (met <= first.deadline_day))[counted]),
        f"{name}.first_meeting_working_days": mean_or_nan(first.met_working_days[counted & (met >= 0)]),
        f"{name}.first_meeting_unmet_share": mean_or_nan((met < 0)[counted]),
    }


def _kela_summary(obs: Observations) -> dict[str, float]:
    line = obs.kela
    start, end = obs.window
    days = end - start
    raised_in = (line.raised >= start) & (line.raised < end)
    placed_in = (line.placed >= start) & (line.placed < end)
    answered = ~np.isnan(line.answered_at)
    direct = answered & ~line.called_back
    resolved = placed_in & (direct | line.called_back)
    wait = np.where(line.called_back, line.patience, line.answered_at - line.placed)
    started_in = answered & (line.answered_at >= start) & (line.answered_at < end)
    open_days = float(line.line_days[start:end].sum())
    values = {
        "kela.questions_per_day": raised_in.sum() / days,
        "kela.wait_minutes_mean": mean_or_nan(wait[resolved]) * MINUTES_PER_DAY,
        "kela.answered_share": mean_or_nan(direct[resolved]),
        "kela.utilisation": line.handle[started_in].sum() / open_days if open_days else math.nan,
        "kela.callbacks_per_day": (line.called_back & placed_in).sum() / days,
        "kela.answer_hours_mean": mean_or_nan((line.answered_at - line.raised)[raised_in & answered]) * 24.0,
    }
    kinds = obs.scenario.kela.question_types
    for index, kind in enumerate(kinds):
        of_kind = line.kind == index
        values |= {
            f"kela.{kind.name}.questions_per_day": (raised_in & of_kind).sum() / days,
            f"kela.{kind.name}.wait_minutes_mean": mean_or_nan(wait[resolved & of_kind]) * MINUTES_PER_DAY,
            f"kela.{kind.name}.answered_share": mean_or_nan(direct[resolved & of_kind]),
            f"kela.{kind.name}.answer_hours_mean": mean_or_nan(
                (line.answered_at - line.raised)[raised_in & answered & of_kind]) * 24.0,
        }
    return values


def _caseload_p95(obs: Observations, pool_names: list[str]) -> float:
    """95th percentile of end-of-day caseloads over the people on duty and the window's days."""
    values = caseload_values(obs, pool_names)
    return float(np.percentile(values, 95)) if values.size else math.nan


def caseload_values(obs: Observations, pool_names: list[str]) -> np.ndarray:
    """End-of-day caseloads of every person on duty on every day of the window (one value each)."""
    start, end = obs.window
    caseloads = []
    for pool_name in pool_names:
        on_duty = obs.pools[pool_name].on_duty
        people = int(on_duty[:end].max())
        if not people:
            continue
        on_duty_mask = np.arange(people)[:, None] < on_duty[None, start:end]
        caseloads.append(_caseloads(obs, pool_name)[:people, start:end][on_duty_mask])
    return np.concatenate(caseloads) if caseloads else np.empty(0)


def _caseloads(obs: Observations, pool_name: str) -> np.ndarray:
    """End-of-day caseload of each person of the pool who is ever on duty on each day of the run (the
    counts of a day do not depend on later days, so every window of the run reads these)."""
    def compute() -> np.ndarray:
        stays, horizon = obs.stays, len(obs.dates)
        people = int(obs.pools[pool_name].on_duty[:horizon].max())
        has = (stays.pool == list(obs.pools).index(pool_name)) & (stays.person >= 0) & (stays.assigned < horizon)
        return end_of_day_counts(stays.assigned[has], stays.end[has], horizon, stays.person[has], people)

    return once_per(f"caseloads of {pool_name}", compute, obs.stays, obs.pools[pool_name], obs.dates)


# -- daily series -------------------------------------------------------------------------
def daily_series(obs: Observations) -> pd.DataFrame:
    """One row per simulated day: flows during the day and stocks at its end."""
    pop, stays, line = obs.population, obs.stays, obs.kela
    start, end = obs.window
    horizon = end
    day = np.arange(horizon)
    municipal = stays.municipal
    waiting_until = np.minimum(stays.assigned, stays.end)
    frame = {
        "date": obs.dates[:horizon],
        "day": day - start,
        "in_window": day >= start,
        "arrivals": per_day(pop.registration[~pop.initial], horizon),
        "exits": per_day(pop.exit, horizon),
        "active_pilot": end_of_day_counts(stays.start[municipal], stays.end[municipal], horizon)[0],
        "active_te": end_of_day_counts(stays.start[~municipal], stays.end[~municipal], horizon)[0],
        "waiting_for_coach": end_of_day_counts(stays.start[municipal], waiting_until[municipal], horizon)[0],
        "waiting_for_te": end_of_day_counts(stays.start[~municipal], waiting_until[~municipal], horizon)[0],
    }
    for name, pool_names in staff_groups(obs).items():
        served = stays_with(obs, pool_names)
        with_staff = end_of_day_counts(stays.assigned[served], stays.end[served], horizon)[0]
        on_duty = sum(obs.pools[pool].on_duty[:horizon] for pool in pool_names)
        column = name.replace(".", "_")
        frame[f"{column}_clients"] = with_staff
        frame[f"{column}_on_duty"] = on_duty
        with np.errstate(invalid="ignore", divide="ignore"):
            frame[f"{column}_caseload_mean"] = np.where(on_duty > 0, with_staff / np.maximum(on_duty, 1), np.nan)
        frame[f"{column}_meetings"] = sum(obs.pools[pool].held[:horizon] for pool in pool_names)
        frame[f"{column}_missed"] = sum(obs.pools[pool].due_missed[:horizon] for pool in pool_names)
    frame.update(status_daily(obs))
    answered = ~np.isnan(line.answered_at) & ~line.called_back
    frame["kela_questions"] = per_day(line.raised, horizon)
    frame["kela_callbacks"] = per_day(line.placed[line.called_back], horizon)
    frame["kela_wait_minutes_mean"] = per_day_mean(
        line.placed[answered], (line.answered_at - line.placed)[answered] * MINUTES_PER_DAY, horizon
    )
    return pd.DataFrame(frame)


# -- audit --------------------------------------------------------------------------------
def audit(obs: Observations) -> dict[str, int]:
    """Counts for conservation checks (from the model's own state and from the client records)
    and the events the engine handled."""
    horizon = obs.window[1]
    pop = obs.population
    registered = pop.initial | (pop.registration < horizon)
    state = obs.final_state
    return {
        "arrived": int(registered.sum()),
        "exited": int((registered & (pop.exit < horizon)).sum()),
        "active_by_records": int((registered & (pop.exit >= horizon)).sum()),
        "active_by_state": int(((state == ClientState.WAITING) | (state == ClientState.WITH_STAFF)).sum()),
        "with_staff_by_caseloads": int(sum(p.caseload_at_end.sum() for p in obs.pools.values())),
        "waiting_by_lists": int(sum(p.waiting_at_end for p in obs.pools.values())),
        "with_staff_by_state": int((state == ClientState.WITH_STAFF).sum()),
        "waiting_by_state": int((state == ClientState.WAITING).sum()),
        "events": obs.events.total,
    }
