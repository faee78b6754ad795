"""Confidence intervals across replications (Student's t)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95


def mean_ci(values, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high): a t-based confidence interval of the mean; NaNs are left out.

    With one value the interval is (nan, nan); with identical values it has zero width.
    """
    sample = np.asarray(values, dtype=float)
    sample = sample[~np.isnan(sample)]
    if sample.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(sample.mean())
    if sample.size == 1:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + confidence / 2, sample.size - 1) * sample.std(ddof=1) / math.sqrt(sample.size))
    return mean, mean - half, mean + half


def summary_table(per_replication: pd.DataFrame, units: dict[str, str], confidence: float = CONFIDENCE) -> pd.DataFrame:
    """One row per metric: mean, CI bounds, standard deviation, replications used, unit."""
    rows = []
    for name in per_replication.columns:
        column = per_replication[name].to_numpy(dtype=float)
        mean, low, high = mean_ci(column, confidence)
        valid = column[~np.isnan(column)]
        rows.append({
            "metric": name, "mean": mean, "ci_low": low, "ci_high": high,
            "std": float(valid.std(ddof=1)) if valid.size > 1 else math.nan,
            "n": int(valid.size), "unit": units.get(name, ""),
        })
    return pd.DataFrame(rows).set_index("metric")


def paired_differences(base: pd.DataFrame, other: pd.DataFrame, units: dict[str, str],
                       confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per metric, ``other - base`` paired by replication (same seed streams), with a t CI.

    ``base`` and ``other`` have one row per replication (index = replication) and one column
    per metric; only replications present in both are paired. Pairing removes the noise the
    two runs share (common random numbers), so the interval is much narrower than the
    difference of two independent intervals.
    """
    common = base.index.intersection(other.index)
    difference = other.loc[common, base.columns] - base.loc[common, base.columns]
    table = summary_table(difference, units, confidence)
    table.insert(0, "base_mean", base.loc[common].mean())
    return table
