"""The job-seeker status metrics: each stay cut at the client's status changes (unemployed, in a service,
in education, employed), the status summary metrics and the daily status columns (from ``Observations`` only)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simkit.intervals import end_of_day_counts, per_day, time_average
from simkit.observations import JobSeekerStatus, Observations
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
    pop, stays = obs.population, obs.stays
    begin = stays.start if begin is None else begin
    changes = pop.status_changes
    n = len(pop)
    # the client's status intervals: from registration unemployed, then each change, to the exit
    client = np.concatenate([np.arange(n), changes.client])
    start = np.concatenate([pop.registration, changes.time])
    status = np.concatenate([np.full(n, int(JobSeekerStatus.UNEMPLOYED)), changes.status])
    order = np.lexsort((start, client))
    client, start, status = client[order], start[order], status[order]
    last = np.append(client[1:] != client[:-1], True)
    finish = np.where(last, pop.exit[client], np.append(start[1:], np.inf))
    low = np.searchsorted(client, stays.client, side="left")
    count = np.searchsorted(client, stays.client, side="right") - low
    row = np.repeat(np.arange(len(stays.client)), count)
    interval = np.repeat(low, count) + (np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count))
    piece_begin = np.maximum(begin[row], start[interval])
    piece_end = np.minimum(stays.end[row], finish[interval])
    keep = piece_end > piece_begin
    return StatusPieces(row=row[keep], begin=piece_begin[keep], end=piece_end[keep], status=status[interval][keep],
                        starts_spell=(start[interval] >= stays.start[row])[keep])


def status_summary(obs: Observations, groups: dict[str, list[str]]) -> dict[str, float]:
    """Unemployed clients (all and per person of each staff group in ``groups``: metric prefix -> pool names)
    and the spells and job searches that start."""
    start, end = obs.window
    pop, stays = obs.population, obs.stays
    pieces = status_pieces(obs)
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
    with_staff = status_pieces(obs, begin=stays.assigned)
    unemployed = with_staff.status == JobSeekerStatus.UNEMPLOYED
    pool_index = {name: index for index, name in enumerate(obs.pools)}
    for name, pool_names in groups.items():
        served = np.isin(stays.pool[with_staff.row], [pool_index[pool] for pool in pool_names]) & unemployed
        staff_days = float(sum(obs.pools[pool].on_duty[start:end].sum() for pool in pool_names))
        client_days = time_average(with_staff.begin[served], with_staff.end[served], start, end) * (end - start)
        values[f"{name}.caseload_unemployed_mean"] = client_days / staff_days if staff_days else math.nan
    return values


def status_daily(obs: Observations) -> dict[str, np.ndarray]:
    """End-of-day counts of active clients by status (the pilot's; TE's unemployed) and the day's
    new job searches and unemployment spells of municipal clients."""
    horizon = obs.window[1]
    pop, stays = obs.population, obs.stays
    pieces = status_pieces(obs)
    municipal = stays.municipal[pieces.row]

    def count(mask: np.ndarray) -> np.ndarray:
        return end_of_day_counts(pieces.begin[mask], pieces.end[mask], horizon)[0]

    columns = {"unemployed_pilot": count(municipal & (pieces.status == JobSeekerStatus.UNEMPLOYED)),
               "unemployed_te": count(~municipal & (pieces.status == JobSeekerStatus.UNEMPLOYED))}
    for status, column in ((JobSeekerStatus.IN_SERVICE, "in_service_pilot"),
                           (JobSeekerStatus.IN_EDUCATION, "in_education_pilot"),
                           (JobSeekerStatus.EMPLOYED, "employed_pilot")):
        columns[column] = count(municipal & (pieces.status == status))
    columns["new_job_searches_pilot"] = per_day(pop.registration[~pop.initial & pop.municipal], horizon)
    spells = municipal & pieces.starts_spell & (pieces.status == JobSeekerStatus.UNEMPLOYED)
    columns["unemployment_spells_pilot"] = per_day(pieces.begin[spells], horizon)
    return columns
