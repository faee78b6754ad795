"""``simkit plan`` with --per-area, several --vary levers or --minimise cost: the text and files of a
:class:`simkit.planning.areas.CostPlan` (the command's options live with ``plan`` in :mod:`simkit.cli.planning`)."""

from __future__ import annotations

import math
from pathlib import Path

from simkit.io import (
    atomic_write_csv,
    atomic_write_json,
    atomic_write_parquet,
    json_safe,
    written_as_a_set,
)
from simkit.planning.areas import CostPlan

COST_PLAN_FILES = ("plan.json", "areas.csv", "areas.parquet", "options.csv", "options.parquet")


def cost_plan_text(result: CostPlan) -> str:
    """A table: per area the cheapest lever values, person-years, euros and each target's mean [CI]."""
    level = f"{result.confidence:.0%} confidence"
    lines = [f"Cheapest {', '.join(result.levers)} meeting every target with {level}"
             + (" in every area (areas are independent: the per-area minima add up to the total minimum)"
                if len(result.areas) > 1 else "") + ":"]
    table = result.table
    targets = list(dict.fromkeys(target.metric for target in result.targets))
    header = ["area", *result.levers, "person-years", "cost (EUR)", *(f"{metric} [95% CI]" for metric in targets)]
    rows = []
    for record in table.to_dict(orient="records"):
        rows.append([str(record["title"]), *(_whole(record[lever]) for lever in result.levers),
                     _number(record["person_years"], 1), _euros(record["cost_eur"]),
                     *(_estimate(record, target) for target in targets)])
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines += ["  " + "  ".join(f"{cell:<{width}}" if index == 0 else f"{cell:>{width}}"
                                for index, (cell, width) in enumerate(zip(row, widths)))
              for row in [header, *rows]]
    if not result.found:
        lines.append("No value in the search range meets every target in the areas marked '-': raise --high, "
                     "relax a target or allow more --max-replications.")
    inexact = [area.area for area in result.areas if area.found and not area.exact]
    if inexact:
        lines.append(f"Not proven cheapest (the levers' lower bounds together missed a target): {', '.join(inexact)}.")
    lines.append(f"Person-years and euros are the whole staff of the statistics window ([costs]); "
                 f"{len(result.options)} staffing options were tried (--out writes them with their costs).")
    return "\n".join(lines)


def write_cost_plan(result: CostPlan, out: Path) -> None:
    """plan.json, areas.csv/.parquet (the table) and options.csv/.parquet (every staffing tried, with
    its cost), written as a set."""
    with written_as_a_set(out, COST_PLAN_FILES) as folder:
        atomic_write_json(folder / "plan.json", json_safe(result.to_json()))
        for name, frame in (("areas", result.table), ("options", result.options)):
            atomic_write_csv(folder / f"{name}.csv", frame, index=False)
            atomic_write_parquet(folder / f"{name}.parquet", frame)


def _estimate(record: dict, target: str) -> str:
    mean = record.get(f"{target} mean", math.nan)
    if mean is None or math.isnan(mean):
        return "-"
    return f"{_number(mean, 3)} [{_number(record[f'{target} ci_low'], 3)}, {_number(record[f'{target} ci_high'], 3)}]"


def _whole(value) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else str(int(value))


def _number(value: float, digits: int) -> str:
    return "-" if math.isnan(value) else f"{value:,.{digits}f}" if digits == 1 else f"{value:.{digits}g}"


def _euros(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.0f}"
