"""The Kela contact line: question types, off-line hours of contact persons, the compiled line against SimPy's."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

import simkit
from simkit.model.engine import AreaModel
from simkit.model.reference import simulate_reference
from simkit.model.reference_kela import KelaLine
from simkit.model.reference_parts import draw
from simkit.scenario import ScenarioError

KINDS = [
    {"name": "sick_leave", "share": 0.5, "handle_minutes": 6.0},
    {"name": "benefit_effects", "share": 0.3, "handle_minutes": 15.0},
    {"name": "oral_application", "share": 0.2, "handle_minutes": 25.0, "handle_distribution": "fixed"},
]
BUSY = {"kela.questions_per_client_month": 0.5}


def test_question_types_follow_their_shares_and_handle_times(small):
    scenario = simkit.with_overrides(small, {"kela.questions_per_client_month": 1.0, "kela.question_types": KINDS})
    result = simkit.simulate(scenario, seed=1, keep_observations=True)
    kind, handle = result.observations.kela.kind, result.observations.kela.handle * 24 * 60
    assert len(kind) > 2000
    for index, spec in enumerate(KINDS):
        of_kind = kind == index
        assert of_kind.mean() == pytest.approx(spec["share"], abs=0.03)
        assert handle[of_kind].mean() == pytest.approx(spec["handle_minutes"], rel=0.08)
    assert np.all(handle[kind == 2] == 25.0)
    metrics = result.metrics
    total = sum(metrics[f"kela.{spec['name']}.questions_per_day"] for spec in KINDS)
    assert total == pytest.approx(metrics["kela.questions_per_day"])


def test_types_keep_the_questions_themselves(small):
    """Common random numbers: adding types changes handle times, not when questions come."""
    plain = AreaModel(simkit.with_overrides(small, BUSY), seed=2).questions
    typed = AreaModel(simkit.with_overrides(small, BUSY | {"kela.question_types": KINDS}), seed=2).questions
    np.testing.assert_array_equal(plain.raised, typed.raised)


def test_off_line_hours_take_contact_persons_off_the_line(small):
    half_days = simkit.with_overrides(small, BUSY | {"kela.offline_hours_per_week": 20.0})
    line = simkit.simulate(half_days, seed=3, keep_observations=True).observations.kela
    answered = line.answered_at[~np.isnan(line.answered_at)]
    hours = (answered - np.floor(answered)) * 24
    assert answered.size > 1000
    assert np.all(hours >= 12.0 - 1e-9)  # the only contact person is off the line 8–12 every day


def test_utilisation_counts_only_time_on_the_line(small):
    base = simkit.simulate(simkit.with_overrides(small, BUSY | {"kela.contact_persons": 3}), seed=4).metrics
    away = simkit.simulate(simkit.with_overrides(small, BUSY | {"kela.contact_persons": 3,
                                                                "kela.offline_hours_per_week": 10.0}), seed=4).metrics
    assert away["kela.utilisation"] / base["kela.utilisation"] == pytest.approx(40 / 30, rel=0.02)
    assert away["kela.wait_minutes_mean"] > base["kela.wait_minutes_mean"]


@pytest.mark.parametrize("kinds, fragment", [
    ([{"name": "a", "share": 0.5}, {"name": "b", "share": 0.4}], "shares add up to 0.9, not 1"),
    ([{"name": "a", "share": 0.5}, {"name": "a", "share": 0.5}], "question type names must differ"),
    ([{"name": "a", "share": 1.0, "handle_distribution": "gamma"}], "kela.question_types[0].handle_distribution"),
])
def test_bad_question_types_are_explained(small, kinds, fragment):
    with pytest.raises(ScenarioError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        simkit.with_overrides(small, {"kela.question_types": kinds})


def test_events_cannot_rename_question_types(small):
    with pytest.raises(ScenarioError, match="not which types there are"):
        simkit.with_overrides(small, {"kela.question_types": KINDS, "events": [
            {"date": "2021-05-03", "set": {"kela.question_types": [{"name": "all", "share": 1.0}]}}]})


def simpy_line_answers(scenario: simkit.Scenario, seed: int, horizon: int) -> np.ndarray:
    """The reference model's Kela line (SimPy processes) beside a day loop as the engine's: one resumption
    a day, setting the count on duty at the start of each dated event's day."""
    env = simpy.Environment()
    draws = draw(scenario, seed, 0)
    line = KelaLine(env, scenario, draws)
    starts = dict(zip(draws.timeline.starts[1:], draws.timeline.periods[1:]))

    def days():
        for day in range(horizon):
            if day > env.now:
                yield env.timeout(day - env.now)
            if day in starts:
                line.set_on_duty(starts[day].kela.contact_persons)

    env.process(days())
    env.run(until=horizon)
    return line.answered


def contact_persons_on(*changes: tuple[str, int]) -> list[dict]:
    return [{"date": date, "set": {"kela.contact_persons": count}} for date, count in changes]


UP_AND_DOWN = contact_persons_on(("2021-03-20", 3), ("2021-04-15", 1), ("2021-05-03", 2), ("2021-06-01", 4))
AFTER_CLOSED_DAYS = contact_persons_on(  # Mondays and the Tuesday after Easter Monday: the line last closed days before
    ("2021-03-08", 3), ("2021-03-15", 1), ("2021-03-22", 4), ("2021-04-06", 2), ("2021-04-12", 1))


@pytest.mark.parametrize("overrides", [
    {"kela.patience_minutes": 2.0, "kela.offline_hours_per_week": 10.0, "events": UP_AND_DOWN},
    {"kela.open_hours": [0.0, 12.0], "kela.open_weekdays": 6, "kela.call_hours": [0.0, 24.0], "kela.call_weekdays": 7,
     "kela.handle_distribution": "fixed", "kela.offline_hours_per_week": 7.0, "events": AFTER_CLOSED_DAYS,
     "kela.questions_per_client_month": 12.0},
    {"kela.open_hours": [0.0, 24.0], "kela.open_weekdays": 7, "kela.call_weekdays": 7,
     "kela.offline_hours_per_week": 14.0, "kela.patience_minutes": float("inf"), "events": UP_AND_DOWN},
], ids=["patience-offline", "opens-at-midnight", "always-open"])
def test_the_compiled_line_answers_as_simpy_processes_do(small, overrides):
    """Every answer time equal to the SimPy line's, also where events fall at the same time: at an
    opening at midnight the calls of the closed days, the contact persons back from them and the
    day loop setting the count on duty (first those scheduled first); fixed handle times."""
    scenario = simkit.with_overrides(small, {"kela.questions_per_client_month": 5.0, "scenario.days": 120} | overrides)
    observed = simkit.simulate(scenario, seed=5, keep_observations=True).observations.kela
    answered = observed.answered_at[~np.isnan(observed.answered_at)]
    assert answered.size > 2000 and observed.called_back.any() == (observed.patience < np.inf)
    np.testing.assert_array_equal(observed.answered_at, simpy_line_answers(scenario, 5, len(observed.on_duty)))


def test_an_event_dated_before_the_start_is_in_force_on_the_line_from_day_0(small):
    """A dated event before the run's first day applies from day 0 (as for the staff): a line whose
    contact persons an earlier event set to 3 answers as a line of 3 from the start, in the engine and
    in the reference model (it used to start with the scenario's base count, while `on_duty` said 3)."""
    busy = simkit.with_overrides(small, BUSY | {"kela.contact_persons": 1, "kela.patience_minutes": 30.0})
    earlier = simkit.with_overrides(busy, {"events": [{"date": "2020-01-01", "name": "more contact persons",
                                                       "set": {"kela.contact_persons": 3}}]})
    three = simkit.with_overrides(busy, {"kela.contact_persons": 3})
    early, plain = (simkit.simulate(scenario, seed=3, keep_observations=True).observations.kela
                    for scenario in (earlier, three))
    np.testing.assert_array_equal(early.answered_at, plain.answered_at)
    assert np.all(early.on_duty == 3)
    reference = [simulate_reference(scenario, 3, 0).kela_answered for scenario in (earlier, three)]
    np.testing.assert_array_equal(*reference)
