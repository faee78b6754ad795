"""Shared fixtures: the bundled scenario and small, quick variants of it."""

from __future__ import annotations

from pathlib import Path

import pytest

import simkit

ROOT = Path(__file__).resolve().parents[1]
SEINAJOKI = ROOT / "scenarios" / "seinajoki-ilmajoki-2021.toml"


@pytest.fixture(scope="session")
def seinajoki() -> simkit.Scenario:
    return simkit.load_scenario(SEINAJOKI)


@pytest.fixture(scope="session")
def small() -> simkit.Scenario:
    return small_scenario()


def small_scenario() -> simkit.Scenario:
    """A quick area: ~600 active clients, 4 coaches, 2 TE experts, 180 days from 1 March 2021,
    no dated events, no summer holidays or sick leave (public holidays stay), one kind of Kela
    question, contact persons always on the line, no statements, no services."""
    return simkit.with_overrides(simkit.load_scenario(SEINAJOKI), {
        "scenario.days": 180, "inflow.per_week": 21.0, "inflow.initial_clients": 600,
        "coaches.count": 4, "te.experts": 2, "coaches.client_time_share": 0.6, "events": [],
        "calendar.summer_holiday_share": 0.0, "calendar.sick_leave_share": 0.0,
        "kela.question_types": [], "kela.offline_hours_per_week": 0.0,
        "statements.per_client_month": 0.0, "statements.coach_share": 0.0, "services": [],
    })
