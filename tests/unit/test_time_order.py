"""The model's sorts of event times give exactly the order of numpy's stable sort."""

from __future__ import annotations

import numpy as np
import pytest

from simkit.model.calendar import time_order


def _times(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    times = rng.random(size) * 30.0
    if kind == "ties":
        times = np.floor(times * 4.0) / 4.0
    elif kind == "sorted":
        times = np.sort(np.floor(times * 4.0) / 4.0)
    elif kind == "nan" and size:
        times[rng.integers(0, size, 3)] = np.nan
    return times


@pytest.mark.parametrize("kind", ["distinct", "ties", "sorted", "nan"])
@pytest.mark.parametrize("size", [0, 1, 2, 500])
def test_time_order_is_the_stable_argsort(kind, size):
    times = _times(kind, size, np.random.default_rng(size))
    assert np.array_equal(time_order(times), np.argsort(times, kind="stable"))

