"""Statements before routine meetings (``statements.priority``): Kela decides the client's benefit on
the statement, so it does not wait behind routine meetings booked weeks ahead; a routine meeting
gives way (booked again from its own day), first meetings keep their place, no meeting is lost."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from conftest import SEINAJOKI

import simkit
from simkit.model import meetings, statements

FIRST = {"statements.priority": "before_routine_meetings"}
IN_ORDER = {"statements.priority": "diary_order"}


def busy(small: simkit.Scenario, **changes) -> simkit.Scenario:
    """Two coaches with diaries full of Nordic-model meetings write their pilot clients' statements."""
    return simkit.with_overrides(small, {"coaches.count": 2, "coaches.caseload_cap": 400, "rules.meetings": "nordic-2022",
                                         "statements.per_client_month": 0.3, "statements.minutes": 10.0,
                                         "statements.coach_share": 1.0} | changes)


def coach_statement_days(observations) -> np.ndarray:
    """Calendar days from raising to writing of the statements the coaches wrote."""
    log, coach = observations.statements, list(observations.pools).index("coach")
    mine = (log.pool == coach) & (log.written_day >= 0)
    return log.written_day[mine] - np.floor(log.raised[mine]).astype(int)


def test_statements_are_written_within_days_when_diaries_are_full(small):
    waiting = simkit.simulate(busy(small, **IN_ORDER), seed=3, keep_observations=True)
    first = simkit.simulate(busy(small, **FIRST), seed=3, keep_observations=True)
    assert waiting.metrics["coach.utilisation"] > 0.99  # full diaries: in the order raised they wait
    assert np.median(coach_statement_days(waiting.observations)) > 14
    days = coach_statement_days(first.observations)
    assert len(days) > 500 and np.all(days >= 0)
    assert np.quantile(days, 0.99) <= 4 and days.max() <= 7  # the next working day, after weekends and holidays
    assert first.metrics["statements.on_time_share"] > 0.99
    assert waiting.metrics["statements.on_time_share"] < 0.5


# The file's Nordic window with half its coaches (its dated changes set in place of its events, the cap
# lifted so that nobody waits for a coach): diaries full, about 1.3–1.8 owed meetings a client-year missed.
FULL_DIARIES = {"events": [], "rules.meetings": "nordic-2022", "statements.coach_share": 1.0,
                "statements.expert_share": 0.1, "te.experts": 6, "coaches.count": 10, "coaches.caseload_cap": 400}


@pytest.mark.parametrize("minutes", [1.0, 10.0])
def test_the_meetings_pay_for_a_statement_with_its_minutes_no_more(minutes):
    """Seinäjoki–Ilmajoki, Nordic window, full diaries: writing statements first takes their minutes from
    the first days with time, as writing them last does, so the meetings held and missed barely move
    (a 1-minute statement does not cost a 45-minute meeting); only the statements' dates do: about one
    in five on time in the order raised, nine in ten (all but the central unit's) written first."""
    last, first = (nordic_statements(FULL_DIARIES | {"statements.minutes": minutes} | priority)
                   for priority in (IN_ORDER, FIRST))
    assert first["coach.utilisation"] > 0.99 and last["coach.utilisation"] > 0.99
    assert first["statements.on_time_share"] > 0.85
    assert last["statements.on_time_share"] < 0.25
    assert first["coach.meetings_per_client_year"] == pytest.approx(last["coach.meetings_per_client_year"], rel=0.01)
    assert first["coach.meetings_missed_per_client_year"] == pytest.approx(
        last["coach.meetings_missed_per_client_year"], rel=0.02)
    assert first["coach.utilisation"] == pytest.approx(last["coach.utilisation"], abs=0.005)


@pytest.fixture
def gave_way(monkeypatch, interpreted) -> list[tuple[int, int, bool, int]]:
    """Every meeting that gave way: (client, day, had the first meeting, the day booked again), watched in
    the model run as Python (the fixture ``interpreted``)."""
    seen: list[tuple[int, int, bool, int]] = []
    give_way, book_again = meetings.give_way, meetings.book_again

    def spy_give_way(office, pool_index, person, first_day, end_day):
        client, day = give_way(office, pool_index, person, first_day, end_day)
        if client >= 0:
            seen.append((int(client), int(day), bool(office.clients.first_done[client]), -1))
        return client, day

    def spy_book_again(office, pool_index, person, client, day, work_minutes):
        book_again(office, pool_index, person, client, day, work_minutes)
        if client >= 0:
            seen[-1] = (*seen[-1][:3], int(office.clients.booked_day[client]))

    for module in (meetings, statements):  # the modules that call them
        monkeypatch.setattr(module, "give_way", spy_give_way)
        monkeypatch.setattr(module, "book_again", spy_book_again)
    return seen


@pytest.mark.parametrize("policy", ["bump", "none"])
def test_routine_meetings_give_way_and_are_not_lost(small, gave_way, policy):
    """A statement longer than a meeting (60 minutes) takes the whole day: the routine meeting that gives
    way is booked again on a later day. First meetings never give way (to a statement, nor under "bump"
    to a first meeting); every meeting owed is still held, missed or pending."""
    scenario = busy(small, **FIRST, **{"meeting.first_meeting_policy": policy, "statements.minutes": 60.0})
    result = simkit.simulate(scenario, seed=5, keep_observations=True)
    assert len(gave_way) > 100
    assert all(first_done for _, _, first_done, _ in gave_way)  # first meetings keep their place
    assert all(again > day for _, day, _, again in gave_way)  # booked again on a later day
    for pool in result.observations.pools.values():
        np.testing.assert_array_equal(pool.due_owed, pool.due_held + pool.due_missed + pool.due_pending)
    assert result.observations.pools["coach"].due_missed.sum() > 0


def test_a_short_statement_leaves_the_meeting_on_its_day(small, gave_way):
    """A 10-minute statement takes 10 of the day's minutes: the meeting that gave way is booked again on
    its own day and runs over into the next days with time."""
    simkit.simulate(busy(small, **FIRST, **{"meeting.first_meeting_policy": "none"}), seed=6)
    assert len(gave_way) > 100
    assert all(again == day for _, day, _, again in gave_way)


def nordic_statements(changes: dict) -> dict[str, float]:
    """Mean metrics of the Seinäjoki–Ilmajoki file in the Nordic window (2.5.2022–30.6.2023)."""
    scenario = simkit.load_scenario(SEINAJOKI, {"scenario.start_date": dt.date(2022, 5, 2), "scenario.days": 425} | changes)
    means = simkit.replicate(scenario, 2, seed=1).per_replication.mean()
    return {name: float(means[name]) for name in (
        "statements.on_time_share", "statements.days_mean", "coach.late_meeting_share", "coach.meetings_per_client_year",
        "coach.meetings_missed_per_client_year", "coach.utilisation")}


def test_a_little_more_statements_change_the_results_a_little():
    """Seinäjoki–Ilmajoki, Nordic window: 1 % more statements."""
    base, more = (nordic_statements({"statements.per_client_month": rate} | FIRST) for rate in (0.3, 0.303))
    assert more["statements.on_time_share"] == pytest.approx(base["statements.on_time_share"], abs=0.01)
    assert more["statements.days_mean"] == pytest.approx(base["statements.days_mean"], rel=0.05)
    assert more["coach.late_meeting_share"] == pytest.approx(base["coach.late_meeting_share"], abs=0.01)
    assert more["coach.meetings_missed_per_client_year"] == pytest.approx(base["coach.meetings_missed_per_client_year"],
                                                                           rel=0.05)
    assert more["coach.utilisation"] == pytest.approx(base["coach.utilisation"], abs=0.003)


def test_an_unknown_priority_is_a_one_line_error(small):
    with pytest.raises(simkit.ScenarioError) as error:
        simkit.with_overrides(small, {"statements.priority": "first"})
    assert "statements.priority" in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("changes", [FIRST, IN_ORDER, FIRST | {"meeting.first_meeting_policy": "bump"},
                                     FIRST | {"meeting.first_meeting_policy": "reserve"}])
def test_full_diaries_use_no_more_time_than_they_have(small, changes):
    """However work runs over into later days (past the horizon too), no day gives more client time than its
    people have, and utilisation stays at most 1."""
    result = simkit.simulate(busy(small, **changes), seed=3, keep_observations=True)
    start, end = result.observations.window
    for pool in result.observations.pools.values():
        assert np.all(pool.minutes_used <= pool.meeting_minutes_available + 1e-6)
        assert np.all(pool.minutes_used >= -1e-6)
    assert 0.99 < result.metrics["coach.utilisation"] <= 1.0
