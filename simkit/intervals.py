"""Counting over intervals of time, in days: open intervals averaged over a window, events and means per
day, intervals open at the end of each day. numpy only (a leaf of the results layer)."""

from __future__ import annotations

import math

import numpy as np


def mean_or_nan(values: np.ndarray) -> float:
    """The mean of ``values``; nan when there are none."""
    values = np.asarray(values, dtype=float)
    return float(values.mean()) if values.size else math.nan


def time_average(begin: np.ndarray, finish: np.ndarray, start: float, end: float) -> float:
    """Mean number of open intervals [begin, finish) over [start, end)."""
    overlap = np.clip(np.minimum(finish, end) - np.maximum(begin, start), 0.0, None)
    return float(overlap.sum() / (end - start))


def per_day(times: np.ndarray, horizon: int) -> np.ndarray:
    day = np.floor(times[(times >= 0) & (times < horizon)]).astype(int)
    return np.bincount(day, minlength=horizon)


def per_day_mean(times: np.ndarray, values: np.ndarray, horizon: int) -> np.ndarray:
    inside = (times >= 0) & (times < horizon)
    day = np.floor(times[inside]).astype(int)
    total = np.bincount(day, weights=values[inside], minlength=horizon)
    count = np.bincount(day, minlength=horizon)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def end_of_day_counts(
    begin: np.ndarray, finish: np.ndarray, horizon: int, group: np.ndarray | None = None, groups: int = 1
) -> np.ndarray:
    """Intervals [begin, finish) open just before the end of each day d (begin < d + 1 <= finish),
    per group; a change at midnight belongs to the day it starts. Shape (groups, horizon).

    An interval that never opens (``begin >= finish``, e.g. the time with staff of a client who
    left while still on the waiting list: assigned at infinity) counts on no day."""
    def index(times: np.ndarray) -> np.ndarray:
        return np.clip(np.floor(np.minimum(times, horizon + 1.0)), 0, horizon).astype(int)

    opened = begin < finish
    row = 0 if group is None else group[opened] * (horizon + 1)  # (group, day) as one index
    size = groups * (horizon + 1)
    change = np.bincount(row + index(begin[opened]), minlength=size) - np.bincount(row + index(finish[opened]),
                                                                                    minlength=size)
    return np.cumsum(change.reshape(groups, horizon + 1).astype(float), axis=1)[:, :horizon]
