"""HE 108/2025's supplementary conversations by need (issue 13 item 4): the share of clients in need
(``meeting.supplementary_need_share``) chooses each client's plan; who is in need is drawn once per
client from a stream of its own. The share 0 keeps the model's numbers from before (no supplementary
conversations in 2026): ``tests/model/golden.py`` holds the TE24 file at share 0 bit-identical to them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math

import numpy as np
import pytest
from conftest import ROOT

import simkit
import simkit.model.rules as rules_module
from simkit.model import streams as streams_module
from simkit.model.calendar import Calendar
from simkit.model.clients import draw_population
from simkit.model.rules import SIX_MONTHS, meeting_rules
from simkit.model.streams import component_streams
from simkit.scenario.timeline import timeline

OWED = "coach.meetings_owed_per_client_year"
TE24 = ROOT / "scenarios" / "te24-seinajoki-ilmajoki-isokyro-2025.toml"
YEAR_2026 = {"scenario.start_date": dt.date(2026, 1, 1), "scenario.days": 365, "scenario.warmup_days": 365}


def plan(rules, need: float, new_job_search: bool = True, years: int = 3) -> list[float]:
    """Every due day (days since registration) of an unemployed client's plan over ``years``."""
    dues, day = [], 1
    while (due := rules.next_due(0, 0.0, day, 0, new_job_search, need)) < years * 365.25:
        dues.append(due)
        day = math.floor(due) + 1
    return dues


def supplementary(years: int = 3) -> set[float]:
    """The Nordic rhythm's supplementary conversations: 2 in the month after each half year."""
    return {SIX_MONTHS * k + extra for k in range(1, 2 * years + 1) for extra in (10.0, 20.0)
            if SIX_MONTHS * k + extra < years * 365.25}


@pytest.mark.parametrize("new_job_search", [True, False], ids=["new job search", "return"])
def test_a_client_in_need_follows_the_nordic_plan_and_the_others_the_plan_without_supplementary_ones(new_job_search):
    nordic = plan(meeting_rules("nordic-2022"), 0.99, new_job_search)
    he108 = meeting_rules("he108-2026", supplementary_need_share=0.3)
    assert plan(he108, 0.29, new_job_search) == nordic  # in need: below the share
    without = plan(he108, 0.3, new_job_search)
    assert sorted(set(nordic) - set(without)) == sorted(supplementary()) and set(without) <= set(nordic)
    assert plan(meeting_rules("nordic-2022", supplementary_need_share=0.0), 0.99, new_job_search) == nordic


def test_meetings_in_the_first_year_with_and_without_the_supplementary_pair():
    he108 = meeting_rules("he108-2026")
    assert he108.meetings_in_first_year() == meeting_rules("nordic-2022").meetings_in_first_year() == 12
    assert he108.meetings_in_first_year(in_need=False) == 10  # the pair of months 6–7 is gone


def te24_2026(share: float) -> simkit.Scenario:
    return simkit.load_scenario(TE24, YEAR_2026 | {"meeting.supplementary_need_share": share})


@pytest.fixture(scope="module")
def owed_by_share() -> dict[float, float]:
    """Meetings owed per client-year in 2026 (one replication, one seed: common random numbers)."""
    return {share: simkit.simulate(te24_2026(share), seed=5).metrics[OWED] for share in (0.0, 0.25, 0.5, 0.51, 0.75, 1.0)}


def test_meetings_owed_rise_with_the_share_in_proportion(owed_by_share):
    """Each quarter of the clients in need adds about a quarter of the supplementary conversations
    that all of them would owe, and one point of share about a hundredth."""
    full = owed_by_share[1.0] - owed_by_share[0.0]
    assert 0.8 < full < 2.5  # about 2 conversations a half year for the unemployed past 6 months
    shares = sorted(owed_by_share)
    assert all(owed_by_share[a] < owed_by_share[b] for a, b in itertools.pairwise(shares))
    for share in (0.25, 0.5, 0.75):
        assert owed_by_share[share] - owed_by_share[0.0] == pytest.approx(share * full, rel=0.1)
    assert 0.0 < owed_by_share[0.51] - owed_by_share[0.5] < 0.03 * full


def test_at_share_one_the_2026_rules_owe_what_the_nordic_rules_owe_but_for_the_deadline(monkeypatch):
    """With everyone in need and the Nordic 5-working-day deadline, the 2026 rules are the Nordic
    rules, bit for bit; the longer deadline alone then owes fewer (conversations due before a later
    initial interview are not owed)."""
    he108_at_one = simkit.simulate(te24_2026(1.0), seed=5).metrics
    nordic = simkit.simulate(simkit.with_overrides(te24_2026(1.0), {"events": []}), seed=5).metrics
    assert he108_at_one[OWED] < nordic[OWED]
    make = rules_module.meeting_rules

    def nordic_deadline(name, *args, **kwargs):
        rules = make(name, *args, **kwargs)
        return dataclasses.replace(rules, first_meeting_working_days=5) if name == "he108-2026" else rules

    monkeypatch.setattr(rules_module, "meeting_rules", nordic_deadline)
    assert simkit.simulate(te24_2026(1.0), seed=5).metrics == nordic


def test_the_need_draw_has_a_stream_of_its_own():
    """The other streams draw the same numbers whether or not the need stream exists (common random
    numbers: a scenario without the 2026 rules keeps its numbers), the clients drawn do not depend on
    the share, and the need draw puts about the share of clients in need."""
    others = [name for name in streams_module.STREAMS if name != "supplementary_need"]
    with_need = component_streams(7, 1)
    first = {name: with_need[name].random(5).tolist() for name in others}
    streams_module.STREAMS = tuple(others)
    try:
        without_need = component_streams(7, 1)
    finally:
        streams_module.STREAMS = (*others, "supplementary_need")
    assert {name: without_need[name].random(5).tolist() for name in others} == first

    populations = []
    for share in (0.0, 0.5):
        scenario = te24_2026(share)
        first_date = scenario.scenario.start_date - dt.timedelta(days=scenario.scenario.warmup_days)
        calendar = Calendar(first_date, scenario.scenario.warmup_days + scenario.scenario.days)
        populations.append(draw_population(timeline(scenario, first_date), calendar, component_streams(7, 1)))
    for field in ("registration", "exit", "municipal", "new_job_search", "supplementary_need"):
        np.testing.assert_array_equal(getattr(populations[0], field), getattr(populations[1], field))
    need = populations[0].supplementary_need
    assert len(need) > 5000 and abs(np.mean(need < 0.3) - 0.3) < 0.02
    assert abs(np.corrcoef(need, populations[0].registration)[0, 1]) < 0.05
