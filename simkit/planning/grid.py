"""Sweep grids: which values each scenario key takes, and their Cartesian product.

On the command line a grid axis is ``KEY=SPEC``:

- ``coaches.count=10:30:2`` is a range from 10 to 30 *inclusive* in steps of 2
  (``10:30`` steps by 1; decimals work too: ``coaches.client_time_share=0.5:0.7:0.1``),
- ``kela.contact_persons=1,2,3`` lists the values,
- ``rules.meetings=nordic-2022`` is a single value.

Each value is read as a TOML value, like ``--set`` (a bare word is a string). A grid has at most
``MAX_POINTS`` points (counted before any list is made), each checked against the schema before
any replication runs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from simkit.scenario import ScenarioError, parse_value

Grid = Mapping[str, Sequence[Any]]
MAX_POINTS = 1000


def parse_axis(text: str) -> tuple[str, list[Any]]:
    """Read ``KEY=SPEC`` (see the module docstring) into the key and its values."""
    key, sep, spec = text.partition("=")
    key, spec = key.strip(), spec.strip()
    if not sep or not key or not spec:
        raise ScenarioError([
            f"--grid {text}: expected KEY=START:STOP[:STEP] or KEY=V1,V2,..., e.g. coaches.count=10:30:2"
        ])
    if ":" in spec:
        return key, _range(text, spec)
    return key, [parse_value(part.strip()) for part in spec.split(",")]


def parse_grid(texts: Sequence[str]) -> dict[str, list[Any]]:
    """Read several ``KEY=SPEC`` axes; a key may appear only once."""
    grid: dict[str, list[Any]] = {}
    for text in texts:
        key, values = parse_axis(text)
        if key in grid:
            raise ScenarioError([f"--grid {text}: {key} is already swept by another --grid"])
        grid[key] = values
    return grid


def grid_points(grid: Grid) -> list[dict[str, Any]]:
    """Every combination of the grid's values, the first key varying slowest."""
    if not grid:
        raise ScenarioError(["a sweep needs at least one grid axis, e.g. coaches.count=10:30:2"])
    for key, values in grid.items():
        if isinstance(values, str | bytes) or not len(values):
            raise ScenarioError([f"grid {key}: expected a non-empty list of values, not {values!r}"])
    points = math.prod(len(values) for values in grid.values())
    if points > MAX_POINTS:
        sizes = " x ".join(f"{len(values)} ({key})" for key, values in grid.items())
        raise ScenarioError([f"grid: {sizes} = {points} points; a sweep may have at most {MAX_POINTS}"])
    keys = list(grid)
    return [dict(zip(keys, combination)) for combination in itertools.product(*grid.values())]


def _range(text: str, spec: str) -> list[int | float]:
    problem = ScenarioError([f"--grid {text}: a range is START:STOP[:STEP] with numbers, STOP >= START and STEP > 0"])
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise problem
    try:
        start, stop, step = (Decimal(part) for part in [*parts, "1"][:3])
    except InvalidOperation:
        raise problem from None
    if not all(value.is_finite() for value in (start, stop, step)) or step <= 0 or stop < start:
        raise problem
    try:
        count = math.floor((stop - start) / step) + 1
    except ArithmeticError:  # decimal overflow: far too many values anyway
        raise ScenarioError([f"--grid {text}: far too many values; a sweep may have at most {MAX_POINTS} points"]) \
            from None
    if count > MAX_POINTS:
        raise ScenarioError([f"--grid {text}: {count} values; a sweep may have at most {MAX_POINTS} points"])
    values = [start + index * step for index in range(count)]
    integers = start == start.to_integral_value() and step == step.to_integral_value()
    return [int(value) if integers else float(value) for value in values]
