"""The job-seeker status metrics: each stay cut at the client's status changes (unemployed, in a service,
in education, employed), the status summary metrics and the daily status columns (from ``Observations`` only)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simkit.intervals import end_of_day_counts, per_day, time_average
from simkit.memo import once_per
from simkit.observations import JobSeekerStatus, Observations, Population, Stays
from simkit.units import DAYS_PER_MONTH


@dataclass(frozen=True)
class StatusPieces:
    """Stays (or parts of stays) split by the client's status: ``row`` is the stay's row."""

    row: np.ndarray
    begin: np.ndarray
    end: np.ndarray
    status: np.ndarray
    starts_spell: np.ndarray  # the status began inside the stay (or with it): a new spell of it


def status_pieces(obs: Observations, begin: np.ndarray | None = None) -> StatusPieces:
    """Each stay from ``begin`` (default: its start) to its end, cut at the client's status changes."""
    stays = obs.stays
    begin = stays.start if begin is None else begin
    table = _stay_intervals(obs.population, stays)
    row, start = table.row, table.start
    piece_begin = np.maximum(begin[row], start)
    piece_end = np.minimum(stays.end[row], table.finish)
    keep = piece_end > piece_begin
    return StatusPieces(row=row[keep], begin=piece_begin[keep], end=piece_end[keep], status=table.status[keep],
                        starts_spell=(start >= stays.start[row])[keep])


@dataclass(frozen=True)
class _StayIntervals:
    """Each stay's client status intervals: the stay's ``row``, the interval's ``start``, ``finish`` and
    ``status`` (days), by stay, then by start."""

    row: np.ndarray
    start: np.ndarray
    finish: np.ndarray
    status: np.ndarray


def _stay_intervals(population: Population, stays: Stays) -> _StayIntervals:
    def compute() -> _StayIntervals:
        client, start, status, finish = _client_intervals(population)
        size = np.bincount(client, minlength=len(population))
        count = size[stays.client]
        row = np.repeat(np.arange(len(stays.client)), count)
        low = (np.cumsum(size) - size)[stays.client]
        interval = np.repeat(low, count) + (np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count))
        return _StayIntervals(row=row, start=start[interval], finish=finish[interval], status=status[interval])

    return once_per("status intervals", compute, stays, population)


def _client_intervals(pop: Population) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(client, start, status, finish) of each client's status intervals, by client, then start: from
    registration unemployed, then each change, to the exit."""
    changes = pop.status_changes
    n, m = len(pop), len(changes.client)
    every_client = np.concatenate([np.arange(n), changes.client])
    every_start = np.concatenate([pop.registration, changes.time])
    # The changes are in time order and none comes before its client's registration, so the order by
    # (client, start) is each client's registration, then its changes in their order.
    per_client = np.bincount(changes.client, minlength=n)
    by_client = stable_order(changes.client)
    order = np.empty(n + m, dtype=np.int64)
    order[np.arange(n) + np.cumsum(per_client) - per_client] = np.arange(n)
    order[np.arange(m) + changes.client[by_client] + 1] = n + by_client
    client, start = every_client[order], every_start[order]
    if not np.all((start[1:] >= start[:-1]) | (client[1:] != client[:-1])):  # not from the model's draws
        order = np.lexsort((every_start, every_client))
        client, start = every_client[order], every_start[order]
    status = np.concatenate([np.full(n, int(JobSeekerStatus.UNEMPLOYED)), changes.status])[order]
    last = np.append(client[1:] != client[:-1], True)
    finish = np.where(last, pop.exit[client], np.append(start[1:], np.inf))
    return client, start, status, finish


def stable_order(ids: np.ndarray) -> np.ndarray:
    """``np.argsort(ids, kind="stable")`` of non-negative integers below 2**32, as radix sorts of 16 bits."""
    order = np.argsort(ids.astype(np.uint16), kind="stable")  # numpy sorts 16-bit keys by radix
    if ids.size and ids.max() >= 1 << 16:
        order = order[np.argsort((ids[order] >> 16).astype(np.uint16), kind="stable")]
    return order


def stays_with(obs: Observations, pool_names: list[str]) -> np.ndarray:
    """Which stays are with one of these pools (a read-only mask over the stays), once per run."""
    def compute() -> np.ndarray:
        mask = np.isin(obs.stays.pool, [list(obs.pools).index(pool) for pool in pool_names])
        mask.flags.writeable = False
        return mask

    return once_per(f"stays with {', '.join(pool_names)}", compute, obs.stays, obs.pools)


def _kept_pieces(obs: Observations, begin: str) -> StatusPieces:
    """:func:`status_pieces` from the stays' ``begin`` ("start" or "assigned"), once per run."""
    return once_per(f"status pieces from {begin}", lambda: status_pieces(obs, getattr(obs.stays, begin)), obs.stays,
                    obs.population)


def status_summary(obs: Observations, groups: dict[str, list[str]]) -> dict[str, float]:
    """Unemployed clients (all and per person of each staff group in ``groups``: metric prefix -> pool names)
    and the spells and job searches that start."""
    start, end = obs.window
    pop, stays = obs.population, obs.stays
    pieces = _kept_pieces(obs, "start")
    unemployed = pieces.status == JobSeekerStatus.UNEMPLOYED
    municipal = stays.municipal[pieces.row]
    months = (end - start) / DAYS_PER_MONTH
    in_window = (pieces.begin >= start) & (pieces.begin < end)
    arrived = (~pop.initial) & (pop.registration >= start) & (pop.registration < end) & pop.municipal
    values = {
        "clients.unemployed_pilot": time_average(pieces.begin[unemployed & municipal],
                                                  pieces.end[unemployed & municipal], start, end),
        "clients.unemployed_te": time_average(pieces.begin[unemployed & ~municipal],
                                               pieces.end[unemployed & ~municipal], start, end),
        "clients.new_job_searches_per_month_pilot": arrived.sum() / months,
        "clients.unemployment_spells_per_month_pilot": (unemployed & municipal & pieces.starts_spell
                                                        & in_window).sum() / months,
    }
    with_staff = _kept_pieces(obs, "assigned")
    unemployed = with_staff.status == JobSeekerStatus.UNEMPLOYED
    for name, pool_names in groups.items():
        served = stays_with(obs, pool_names)[with_staff.row] & unemployed
        staff_days = float(sum(obs.pools[pool].on_duty[start:end].sum() for pool in pool_names))
        client_days = time_average(with_staff.begin[served], with_staff.end[served], start, end) * (end - start)
        values[f"{name}.caseload_unemployed_mean"] = client_days / staff_days if staff_days else math.nan
    return values


def status_daily(obs: Observations) -> dict[str, np.ndarray]:
    """End-of-day counts of active clients by status (the pilot's; TE's unemployed) and the day's
    new job searches and unemployment spells of municipal clients."""
    horizon = obs.window[1]
    pop, stays = obs.population, obs.stays
    pieces = _kept_pieces(obs, "start")
    municipal = stays.municipal[pieces.row]

    # one count by group: the pilot's clients by status (0-3), then TE's unemployed (4)
    te_unemployed = len(JobSeekerStatus)
    group = np.where(municipal, pieces.status, te_unemployed)
    counted = municipal | (pieces.status == JobSeekerStatus.UNEMPLOYED)
    counts = end_of_day_counts(pieces.begin[counted], pieces.end[counted], horizon, group[counted], te_unemployed + 1)
    columns = {"unemployed_pilot": counts[JobSeekerStatus.UNEMPLOYED], "unemployed_te": counts[te_unemployed],
               "in_service_pilot": counts[JobSeekerStatus.IN_SERVICE],
               "in_education_pilot": counts[JobSeekerStatus.IN_EDUCATION],
               "employed_pilot": counts[JobSeekerStatus.EMPLOYED]}
    columns["new_job_searches_pilot"] = per_day(pop.registration[~pop.initial & pop.municipal], horizon)
    spells = municipal & pieces.starts_spell & (pieces.status == JobSeekerStatus.UNEMPLOYED)
    columns["unemployment_spells_pilot"] = per_day(pieces.begin[spells], horizon)
    return columns
