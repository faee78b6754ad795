"""The Kela contact line: question types, off-line hours of contact persons."""

from __future__ import annotations

import numpy as np
import pytest

import simkit
from simkit.model.engine import AreaModel
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
