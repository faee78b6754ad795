"""Confidence intervals across replications that stay inside each metric's range, and notes
that say when an interval cannot be trusted or how many replications a precision needs.

Intervals (95% unless asked otherwise) of the mean of ``n`` replication values with mean ``m``
and standard deviation ``s`` (``se = s / sqrt(n)``, ``t`` the Student quantile with ``n - 1``
degrees of freedom):

- **Shares** (values in [0, 1]): the Wilson score interval with the effective sample size
  ``n_eff = m (1 - m) / se^2`` and ``t`` in place of ``z`` (as Korn and Graubard do for survey
  proportions). It never leaves [0, 1], is asymmetric near 0 and 1, and equals the t-interval
  when the share is far from its bounds. Checked against binomial cases in
  ``tests/interface/test_intervals.py`` (coverage near 95%).
- **Non-negative quantities** (every other metric: counts, rates, times): the interval of the
  mean on the log scale (delta method), ``[m / f, m f]`` with ``f = exp(t se / m)``. It is
  always above 0, equals the t-interval when ``se`` is small against ``m``, and is long on the
  upper side when a few replications run far above the rest (skewed waits, queues).
- **Paired differences** of shares lie in [-1, 1]: the t-interval cut at those bounds; other
  differences have no bounds and get the plain t-interval.

With one replication there is no interval (nan); when every replication gave the same value the
interval has no width. Each summary row also carries ``replications_needed`` for the stated
precision (:data:`SHARE_PRECISION` for shares, :data:`RELATIVE_PRECISION` of the mean for the
rest), from the pilot estimate of Law and Kelton: the smallest ``i >= n`` with
``t(i - 1) s / sqrt(i) <= h``; and a ``flags``/``note`` pair when the interval needs a word: one
replication, no spread, wider than the stated precision, or a system *on the edge* (a share whose
replications spread over half its range or more, or a quantity whose replications differ by
more than their mean): then the mean hides two kinds of year and more replications estimate the
mean better but do not make a typical year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from simkit.registry import SHARE, lookup

CONFIDENCE = 0.95
SHARE_PRECISION = 0.05  # a share's interval is precise enough at ±5 percentage points
RELATIVE_PRECISION = 0.10  # any other metric's at ±10 % of its mean
EDGE_SPREAD = 0.5  # a share whose replications spread over half the range or more is on the edge
MAX_REPLICATIONS = 10_000  # replications_needed is capped here

UNBOUNDED = (-math.inf, math.inf)
NON_NEGATIVE = (0.0, math.inf)
UNIT_INTERVAL = (0.0, 1.0)


def value_bounds(unit: str, difference: bool = False) -> tuple[float, float]:
    """The range of a metric with ``unit``: [0, 1] for a share, [0, inf) for everything else; a
    difference of two shares lies in [-1, 1], any other difference is unbounded."""
    if difference:
        return (-1.0, 1.0) if unit == SHARE else UNBOUNDED
    return UNIT_INTERVAL if unit == SHARE else NON_NEGATIVE


def interval(mean, sd, n, bounds: tuple[float, float] = UNBOUNDED, confidence: float = CONFIDENCE):
    """(low, high) of the mean's confidence interval for arrays of means, standard deviations and
    counts of replications, by the method the ``bounds`` call for (module docstring)."""
    mean, sd, n = (np.asarray(x, dtype=float) for x in (mean, sd, n))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        t = np.where(n > 1, stats.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1)), np.nan)
        se = sd / np.sqrt(n)
        if bounds == UNIT_INTERVAL:
            spread = mean * (1 - mean)
            m_eff = np.where(se > 0, spread / se**2, np.inf)
            centre = (mean + t**2 / (2 * m_eff)) / (1 + t**2 / m_eff)
            half = t / (1 + t**2 / m_eff) * np.sqrt(se**2 + t**2 / (4 * m_eff**2))
            degenerate = (se == 0) | (spread <= 0)
            low, high = np.where(degenerate, mean, centre - half), np.where(degenerate, mean, centre + half)
        elif bounds == NON_NEGATIVE:
            factor = np.exp(np.where(mean > 0, t * se / np.where(mean > 0, mean, 1.0), 0.0))
            low, high = mean / factor, mean * factor
        else:
            low, high = mean - t * se, mean + t * se
        low, high = np.clip(low, *bounds), np.clip(high, *bounds)
    missing = ~(n > 1)
    return np.where(missing, np.nan, low), np.where(missing, np.nan, high)


def mean_ci(values, confidence: float = CONFIDENCE, unit: str | None = None) -> tuple[float, float, float]:
    """(mean, low, high) of replication values; NaNs are left out. ``unit`` (the metric's, from
    :func:`simkit.registry.metric_unit`) picks the interval that stays in the metric's range; a
    pandas Series named after a metric (``runs.per_replication["kela.wait_minutes_mean"]``) gives
    its unit itself. Otherwise the interval is Student's t, unbounded.

    With one value the interval is (nan, nan); with identical values it has zero width.
    """
    sample = _valid(values)
    if sample.size == 0:
        return math.nan, math.nan, math.nan
    if unit is None:
        resolved = lookup(str(getattr(values, "name", "")))
        unit = resolved.metric.unit if resolved else None
    bounds = UNBOUNDED if unit is None else value_bounds(unit)
    sd = sample.std(ddof=1) if sample.size > 1 else math.nan
    low, high = interval(sample.mean(), sd, sample.size, bounds, confidence)
    return float(sample.mean()), float(low), float(high)


def replications_needed(sd: float, n: int, half_width: float, confidence: float = CONFIDENCE) -> int:
    """The smallest ``i >= n`` with ``t(i - 1) sd / sqrt(i) <= half_width`` (Law and Kelton's
    pilot estimate from ``n`` replications with standard deviation ``sd``), at most
    :data:`MAX_REPLICATIONS`."""
    if n < 2 or not sd > 0 or not half_width > 0:
        return n
    quantile = stats.norm.ppf(0.5 + confidence / 2)
    i = max(n, math.ceil((quantile * sd / half_width) ** 2))
    while i < MAX_REPLICATIONS and stats.t.ppf(0.5 + confidence / 2, i - 1) * sd / math.sqrt(i) > half_width:
        i += 1
    return min(i, MAX_REPLICATIONS)


def precision(unit: str, reference: float) -> float:
    """The half-width a metric's interval should reach: :data:`SHARE_PRECISION` for a share,
    :data:`RELATIVE_PRECISION` of ``reference`` (the mean, or the base's mean for a difference)."""
    return SHARE_PRECISION if unit == SHARE else RELATIVE_PRECISION * abs(reference)


def summary_table(per_replication: pd.DataFrame, units: Mapping[str, str], confidence: float = CONFIDENCE,
                  difference: bool = False, reference: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per metric: mean, ci_low, ci_high, std, n, unit, min and max (of the replications),
    precision (the half-width asked for), replications_needed, flags and note.

    ``per_replication`` has one row per replication and one column per metric. ``difference``
    marks paired differences (their bounds, module docstring); their precision is relative to
    ``reference`` (the base's means) instead of their own mean.
    """
    rows = []
    for name in per_replication.columns:
        sample = _valid(per_replication[name])
        unit = units.get(name, "")
        mean = float(sample.mean()) if sample.size else math.nan
        sd = float(sample.std(ddof=1)) if sample.size > 1 else math.nan
        low, high = (float(x) for x in interval(mean, sd, sample.size, value_bounds(unit, difference), confidence))
        target = precision(unit, reference[name] if reference is not None else mean)
        flags = interval_flags(sample, unit, low, high, target, difference)
        row = {
            "metric": name, "mean": mean, "ci_low": low, "ci_high": high, "std": sd, "n": int(sample.size),
            "unit": unit, "min": float(sample.min()) if sample.size else math.nan,
            "max": float(sample.max()) if sample.size else math.nan, "precision": target,
            "replications_needed": replications_needed(sd, sample.size, target, confidence), "flags": ";".join(flags),
        }
        rows.append(row | {"note": interval_note(row)})
    columns = [*row, "note"] if rows else ["metric", "mean", "ci_low", "ci_high", "std", "n", "unit", "note"]
    return pd.DataFrame(rows, columns=columns).set_index("metric")


def paired_differences(base: pd.DataFrame, other: pd.DataFrame, units: Mapping[str, str],
                       confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per metric, ``other - base`` paired by replication (same seed streams), with its interval.

    ``base`` and ``other`` have one row per replication (index = replication) and one column
    per metric; only replications present in both are paired. Pairing removes the noise the
    two runs share (common random numbers), so the interval is much narrower than the
    difference of two independent intervals.
    """
    common = base.index.intersection(other.index)
    difference = other.loc[common, base.columns] - base.loc[common, base.columns]
    base_mean = base.loc[common].mean()
    table = summary_table(difference, units, confidence, difference=True, reference=base_mean.to_dict())
    table.insert(0, "base_mean", base_mean)
    return table


# -- notes ------------------------------------------------------------------------------------
def interval_flags(sample: np.ndarray, unit: str, low: float, high: float, target: float,
                   difference: bool = False) -> list[str]:
    """Why an interval needs a word: ``one_replication``, ``no_spread``, ``on_the_edge``,
    ``uneven`` (a quantity whose replications differ by more than their mean), ``imprecise``."""
    if sample.size == 0:
        return []
    if sample.size == 1:
        return ["one_replication"]
    if sample.min() == sample.max():
        return ["no_spread"]
    flags = []
    if not difference and unit == SHARE and sample.max() - sample.min() >= EDGE_SPREAD:
        flags.append("on_the_edge")
    elif not difference and unit != SHARE and sample.std(ddof=1) > abs(sample.mean()):
        flags.append("uneven")
    if target > 0 and (high - low) / 2 > target:  # no precision is asked of a change from a base of 0
        flags.append("imprecise")
    return flags


NOTES = {
    "one_replication": {"en": "1 replication: no interval; run at least 3",
                        "fi": "1 toisto: ei luottamusväliä; aja vähintään 3",
                        "sv": "1 replikering: inget intervall; kör minst 3"},
    "no_spread": {"en": "all {n} replications gave the same value: the interval has no width",
                  "fi": "kaikki {n} toistoa antoivat saman arvon: välillä ei ole leveyttä",
                  "sv": "alla {n} replikeringar gav samma värde: intervallet har ingen bredd"},
    "on_the_edge": {"en": "on the edge: replications range from {lowest} to {highest}, the system tips between two "
                          "states and the mean hides that",
                    "fi": "kynnyksellä: toistojen arvot vaihtelevat välillä {lowest}–{highest}, järjestelmä keikkuu "
                          "kahden tilan välillä ja keskiarvo peittää sen",
                    "sv": "på gränsen: replikeringarna varierar från {lowest} till {highest}, systemet växlar mellan "
                          "två lägen och medelvärdet döljer det"},
    "uneven": {"en": "uneven: replications range from {lowest} to {highest}, more than their mean apart",
               "fi": "epätasainen: toistojen arvot vaihtelevat välillä {lowest}–{highest}, enemmän kuin keskiarvo",
               "sv": "ojämn: replikeringarna varierar från {lowest} till {highest}, mer än medelvärdet"},
    "imprecise": {"en": "±{half} is wider than ±{target}: about {needed} replications give ±{target}",
                  "fi": "±{half} on leveämpi kuin ±{target}: noin {needed} toistoa antaa ±{target}",
                  "sv": "±{half} är bredare än ±{target}: cirka {needed} replikeringar ger ±{target}"},
}
_POINTS = {"en": "percentage points", "fi": "prosenttiyksikköä", "sv": "procentenheter"}
_OF_MEAN = {"en": "{p:.0f}% of the mean", "fi": "{p:.0f} % keskiarvosta", "sv": "{p:.0f} % av medelvärdet"}


def interval_note(row: Mapping, language: str = "en") -> str:
    """A summary row's flags in words (English, Finnish or Swedish), joined by "; ". Half-widths
    of a share are in percentage points, of anything else in percent of the mean it is measured
    against (the row's own, or the base's for a difference)."""
    flags = [flag for flag in str(row["flags"]).split(";") if flag]
    if not flags:
        return ""
    share = row["unit"] == SHARE

    def value(x: float) -> str:
        return f"{100 * x:.0f}%" if share else f"{x:,.3g}"

    def width(half: float) -> str:
        if share:
            return f"{100 * half:.1f} {_POINTS[language]}"
        scale = row["precision"] / RELATIVE_PRECISION
        return _OF_MEAN[language].format(p=100 * half / scale) if scale else f"{half:,.3g}"

    values = {"n": row["n"], "lowest": value(row["min"]), "highest": value(row["max"]),
              "half": width((row["ci_high"] - row["ci_low"]) / 2), "target": width(row["precision"]),
              "needed": f"{row['replications_needed']:,}"}
    return "; ".join(NOTES[flag][language].format(**values) for flag in flags)


def _valid(values) -> np.ndarray:
    sample = np.asarray(values, dtype=float)
    return sample[~np.isnan(sample)]
