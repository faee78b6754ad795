"""Services with limited places: referrals, queues, places, and fewer meetings meanwhile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simkit
from simkit.scenario import ScenarioError

WORK_TRIAL = {"name": "work_trial", "places": 10, "duration_days": 60.0,
              "referral_per_month": {"under_30": 0.2, "foreign_language": 0.1, "other": 0.05}}


def with_service(small, **changes):
    return simkit.with_overrides(small, {"coaches.count": 8, "services": [WORK_TRIAL | changes]})


def test_places_are_never_exceeded_and_the_queue_is_first_come_first_served(small):
    record = simkit.simulate(with_service(small), seed=1, keep_observations=True).observations.services["work_trial"]
    referred, started, ended = record.referred, record.started, record.ended
    got = ~np.isnan(started)
    assert got.sum() > 20 and (~got).sum() > 20  # some got places, others still queue
    for day in range(180):
        assert ((started[got] <= day) & (ended[got] > day)).sum() <= 10
    order = np.argsort(referred[got], kind="stable")
    assert np.all(np.diff(started[got][order]) >= 0)
    assert np.all(ended[got] - started[got] <= 60.0 + 1e-9)


def test_service_metrics(small):
    metrics = simkit.simulate(with_service(small), seed=2).metrics
    assert 0 < metrics["services.work_trial.places_used_mean"] <= 10
    assert metrics["services.work_trial.queue_mean"] > 0
    assert metrics["services.work_trial.wait_days_mean"] > 0
    ample = simkit.simulate(with_service(small, places=10_000), seed=2).metrics
    # referrals join the queue at the start of the next day, so at most a day's wait
    per_day = ample["services.work_trial.referrals_per_month"] / (365.25 / 12)
    assert ample["services.work_trial.queue_mean"] <= per_day * 1.0 + 0.1
    assert 0 <= ample["services.work_trial.wait_days_mean"] <= 1
    assert ample["services.work_trial.referrals_per_month"] > metrics["services.work_trial.referrals_per_month"]


def test_no_places_means_nobody_starts(small):
    record = simkit.simulate(with_service(small, places=0), seed=3, keep_observations=True).observations.services
    assert np.isnan(record["work_trial"].started).all() and len(record["work_trial"].client) > 50


def test_clients_in_a_service_meet_their_coach_less_often(small):
    busy = {"places": 10_000, "referral_per_month": {"under_30": 0.5, "foreign_language": 0.5, "other": 0.5},
            "duration_days": 120.0}
    often = simkit.simulate(with_service(small, **busy, meeting_interval_factor=1.0), seed=4).metrics
    seldom = simkit.simulate(with_service(small, **busy, meeting_interval_factor=4.0), seed=4).metrics
    assert seldom["coach.meetings_per_client_year"] < 0.85 * often["coach.meetings_per_client_year"]


def test_a_service_keeps_common_random_numbers(small):
    plain = simkit.simulate(simkit.with_overrides(small, {"coaches.count": 8}), seed=5).daily
    serviced = simkit.simulate(with_service(small), seed=5).daily
    for column in ("arrivals", "exits", "kela_questions"):
        pd.testing.assert_series_equal(plain[column], serviced[column])


@pytest.mark.parametrize("services, fragment", [
    ([WORK_TRIAL, WORK_TRIAL], "service names must differ"),
    ([WORK_TRIAL | {"places": -1}], "services[0].places = -1"),
    ([WORK_TRIAL | {"referral_per_month": {"under_30": 1.5}}], "services[0].referral_per_month.under_30 = 1.5"),
    ([WORK_TRIAL | {"referal_per_month": {}}], "did you mean services[0].referral_per_month?"),
])
def test_bad_services_are_explained(small, services, fragment):
    with pytest.raises(ScenarioError, match=fragment.replace("[", r"\[").replace("]", r"\]").replace("?", r"\?")):
        simkit.with_overrides(small, {"services": services})
