"""ExitClock directly: spells run at the month's exit speed inside the calendar, at 1 outside it."""

from __future__ import annotations

import numpy as np
import pytest

from simkit.model.spells import ExitClock


def test_a_half_speed_day_takes_twice_as_long():
    clock = ExitClock(np.array([1.0, 0.5, 1.0]))
    assert clock.at(clock.of(np.array([0.0])) + 1.5)[0] == pytest.approx(2.0)  # 1 clock-day on day 0, 0.5 on day 1
    assert clock.of(np.array([2.0]))[0] == pytest.approx(1.5)


def test_before_day_0_and_after_the_calendar_time_runs_at_1():
    clock = ExitClock(np.array([0.5, 0.5]))
    assert clock.of(np.array([-3.0]))[0] == -3.0
    assert clock.of(np.array([4.0]))[0] == pytest.approx(1.0 + 2.0)
    assert clock.at(np.array([3.0]))[0] == pytest.approx(4.0)


def test_at_undoes_of():
    clock = ExitClock(np.array([1.0, 0.7, 1.3, 0.5, 1.0]))
    times = np.array([-1.0, 0.0, 0.3, 1.7, 3.2, 4.9, 8.0])
    np.testing.assert_allclose(clock.at(clock.of(times)), times)
