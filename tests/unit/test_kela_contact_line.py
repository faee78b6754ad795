"""KelaContactLine directly: first come first served, callbacks before new calls, opening hours."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import simkit
from simkit.model.calendar import MINUTES_PER_DAY, Calendar, WeeklyHours
from simkit.model.kela import KelaContactLine

CALENDAR = Calendar(dt.date(2021, 3, 1), 10)  # Monday 1 March 2021
MINUTE = 1 / MINUTES_PER_DAY


def run_line(small, raised_minutes, handle_minutes, patience=float("inf"), hours=(0.0, 24.0), weekdays=7,
             persons=1):
    kela = simkit.with_overrides(small, {"kela.patience_minutes": patience, "kela.contact_persons": persons}).kela
    line = KelaContactLine(
        kela, WeeklyHours(hours, weekdays, CALENDAR), np.asarray(raised_minutes) * MINUTE,
        np.asarray(handle_minutes) * MINUTE, np.full(CALENDAR.n_days, persons), np.zeros(CALENDAR.n_days),
    )
    line.run(CALENDAR.n_days - 1)
    return line


def test_one_contact_person_answers_in_order_of_calling(small):
    line = run_line(small, raised_minutes=[0.0, 1.0, 2.0], handle_minutes=[10.0, 10.0, 10.0])
    np.testing.assert_allclose(line.answered_at / MINUTE, [0.0, 10.0, 20.0])
    assert not line.called_back.any()


def test_two_contact_persons_answer_two_at_once(small):
    line = run_line(small, raised_minutes=[0.0, 1.0, 2.0], handle_minutes=[10.0, 10.0, 10.0], persons=2)
    np.testing.assert_allclose(line.answered_at / MINUTE, [0.0, 1.0, 10.0])


def test_callbacks_come_before_new_calls(small):
    """B gives up after 10 minutes' patience and leaves a callback request; when the contact
    person is free at 60 minutes, the callback is answered before anyone still on hold."""
    line = run_line(small, raised_minutes=[0.0, 1.0, 55.0], handle_minutes=[60.0, 30.0, 5.0], patience=10.0)
    assert list(line.called_back) == [False, True, True]  # C too has waited past its patience by then
    assert line.answered_at[1] == pytest.approx(60 * MINUTE)
    assert line.answered_at[2] == pytest.approx(90 * MINUTE)
    # with 20 minutes' patience C is still on hold at 60, yet the callback comes first
    fresh = run_line(small, raised_minutes=[0.0, 1.0, 55.0], handle_minutes=[60.0, 10.0, 5.0], patience=20.0)
    assert list(fresh.called_back) == [False, True, False]
    np.testing.assert_allclose(fresh.answered_at[1:] / MINUTE, [60.0, 70.0])


def test_calls_outside_opening_hours_wait_for_the_line_to_open(small):
    evening = 18 * 60.0  # Monday 18:00: the line opens on Tuesday at 8
    line = run_line(small, raised_minutes=[evening], handle_minutes=[5.0], hours=(8.0, 16.0), weekdays=5)
    assert line.placed[0] == pytest.approx(1 + 8 / 24)
    assert line.answered_at[0] == pytest.approx(1 + 8 / 24)
