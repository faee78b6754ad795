"""Figures of areas: each area's cost beside its service level (a bar chart standing in for a map)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from simkit.areas import WHOLE_AREA
from simkit.plots import COLOURS, _wrap


def area_costs(table: pd.DataFrame, metric: str, bound: float | None = None, cost: str = "cost_eur",
               title: str = "Cost and service level by area"):
    """Two panels sharing the areas (sorted by cost): the cost in millions of euros, and ``metric``'s
    mean with its 95% interval (columns ``"<metric> mean"``, ``"... ci_low"``, ``"... ci_high"``,
    as in :attr:`CostPlan.table` or :func:`simkit.areas.area_table`), with the target ``bound``
    as a line. The whole's row (``WHOLE_AREA``) is left out. Returns the Figure."""
    rows = table[table["area"] != WHOLE_AREA].sort_values(cost)
    labels = rows["title"] if "title" in rows else rows["area"]
    height = max(3.0, 0.22 * len(rows) + 1.2)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, height), sharey=True, layout="constrained")
    left.barh(labels, rows[cost] / 1e6, color=COLOURS[0])
    left.set_xlabel("staff cost in the window (million euros)")
    mean, low, high = (rows[f"{metric} {part}"] for part in ("mean", "ci_low", "ci_high"))
    right.errorbar(mean, labels, xerr=[mean - low, high - mean], fmt="o", color=COLOURS[1], label="mean, 95% CI")
    if bound is not None:
        right.axvline(bound, color=COLOURS[4], linestyle="--", label=f"target {bound:g}")
    right.set_xlabel(metric)
    right.legend(loc="lower right")
    fig.suptitle(_wrap(title, 80))
    return fig
