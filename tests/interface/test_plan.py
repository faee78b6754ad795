"""The smallest staff meeting targets: target parsing, verdicts, the monotone search and its budget."""

from __future__ import annotations

import math

import pytest

import simkit
from simkit.planning import Target, TargetError, Verdict, parse_target, plan, sweep
from simkit.planning.plan import PlanStep

CASELOAD = "coach.caseload_mean<=60"  # the small area's 4 coaches hold about 113 each


def quiet_plan(scenario, targets=(CASELOAD,), **options):
    options = {"workers": 1, "store": None, "progress": False, **options}
    return plan(scenario, "coaches.count", list(targets), **options)


@pytest.mark.parametrize(("text", "target"), [
    ("coach.caseload_mean<=120", Target("coach.caseload_mean", "<=", 120.0)),
    (" coach.first_meeting_on_time_share >= 0.9 ", Target("coach.first_meeting_on_time_share", ">=", 0.9)),
    ("kela.wait_minutes_mean<5", Target("kela.wait_minutes_mean", "<", 5.0)),
])
def test_targets_are_read_with_their_comparison(text, target):
    assert parse_target(text) == target


def test_a_team_target_is_read_and_needs_that_team_in_the_scenario(small):
    assert parse_target("coach.youth.caseload_mean<=80") == Target("coach.youth.caseload_mean", "<=", 80.0)
    with pytest.raises(TargetError, match="this scenario has no metric coach.youth.caseload_mean"):
        quiet_plan(small, ["coach.youth.caseload_mean<=80"])


@pytest.mark.parametrize(("text", "message"), [
    ("coach.caseload_men<=120", "unknown metric coach.caseload_men (did you mean coach.caseload_mean?)"),
    ("coach.caseload_mean=120", "expected METRIC<=NUMBER"),
    ("coach.caseload_mean<=lots", "the bound lots is not a number"),
    ("coach.caseload_mean<=nan", "the bound nan is not a number"),
])
def test_bad_targets_are_one_line_errors(text, message):
    with pytest.raises(TargetError) as error:
        parse_target(text)
    (problem,) = error.value.problems
    assert problem.startswith(f"--target {text}: {message}")


@pytest.mark.parametrize(("op", "bound", "interval", "verdict"), [
    ("<=", 10.0, (8.0, 7.0, 9.0), Verdict.MET),
    ("<=", 10.0, (12.0, 11.0, 13.0), Verdict.FAILED),
    ("<=", 10.0, (10.0, 9.0, 11.0), Verdict.UNDECIDED),
    (">=", 0.9, (0.95, 0.92, 0.98), Verdict.MET),
    (">=", 0.9, (0.85, 0.80, 0.89), Verdict.FAILED),
    (">", 0.9, (0.92, 0.90, 0.94), Verdict.UNDECIDED),
    ("<=", 10.0, (8.0, math.nan, math.nan), Verdict.UNDECIDED),
    ("<=", 10.0, (math.nan, math.nan, math.nan), Verdict.FAILED),
])
def test_a_target_is_met_only_when_the_whole_interval_meets_it(op, bound, interval, verdict):
    assert Target("coach.caseload_mean", op, bound).verdict(*interval) is verdict


def test_plan_finds_the_smallest_value_whose_interval_meets_every_target(small):
    result = quiet_plan(small, [CASELOAD, "coach.first_meeting_on_time_share>=0.5"])
    assert result.value is not None and result.value > small.coaches.count
    assert all(check.verdict is Verdict.MET for check in result.checks)
    below = [step for step in result.trace if step.value == result.value - 1]
    assert below and below[-1].verdict is not Verdict.MET
    assert result.runs.scenario.coaches.count == result.value
    most_per_value = {}
    for step in result.trace:
        most_per_value[step.value] = max(step.replications, most_per_value.get(step.value, 0))
    assert result.runs_computed == sum(most_per_value.values())


def test_plan_agrees_with_a_full_sweep_at_the_same_replications(small):
    result = quiet_plan(small, replications=5, max_replications=5)
    full = sweep(small, {"coaches.count": list(range(1, 17))}, replications=5, workers=1, store=None, progress=False)
    target = parse_target(CASELOAD)
    meeting = [p.point.overrides["coaches.count"] for p in full.points
               if PlanStep.of(0, p.runs, [target]).verdict is Verdict.MET]
    assert result.value == min(meeting)
    assert len({step.value for step in result.trace}) < 16 / 2  # bracketing and bisection, not a full grid


def test_replications_are_added_only_where_an_interval_straddles_a_target(small):
    result = quiet_plan(small, ["coach.caseload_mean<=75.5"], replications=3, max_replications=24)
    for earlier, later in zip(result.trace, result.trace[1:]):
        if later.value == earlier.value:
            assert earlier.verdict is Verdict.UNDECIDED and later.replications > earlier.replications
        else:
            assert earlier.verdict is not Verdict.UNDECIDED or earlier.replications == 24
    assert any(step.replications > 3 for step in result.trace)
    assert max(step.replications for step in result.trace) <= 24


def test_a_value_that_already_meets_the_targets_is_searched_downwards(small):
    result = quiet_plan(small, ["coach.caseload_mean<=300"])
    assert result.trace[0].value == small.coaches.count and result.trace[0].verdict is Verdict.MET
    assert result.value < small.coaches.count


def test_the_lowest_value_is_the_answer_when_it_meets_the_targets(small):
    result = quiet_plan(small, ["coach.caseload_mean<=1000"], low=2)
    assert result.value == 2 and [step.value for step in result.trace] == [4, 3, 2]


def test_no_value_up_to_high_meeting_the_targets_gives_none(small):
    result = quiet_plan(small, high=6)
    assert result.value is None and result.runs is None and result.checks == ()
    assert max(step.value for step in result.trace) == 6


def test_plan_reuses_stored_runs(small, tmp_path):
    first = quiet_plan(small, store=tmp_path / "runs.sqlite")
    again = quiet_plan(small, store=tmp_path / "runs.sqlite")
    assert (again.runs_computed, again.runs_reused) == (0, first.runs_computed)
    assert again.value == first.value


@pytest.mark.parametrize(("vary", "message"), [
    ("coaches.cout", "--vary coaches.cout: unknown key coaches.cout (did you mean coaches.count?)"),
    ("coaches.client_time_share", "--vary coaches.client_time_share: not a whole-number setting"),
])
def test_vary_must_be_a_known_whole_number_setting(small, vary, message):
    with pytest.raises(simkit.ScenarioError) as error:
        plan(small, vary, [CASELOAD], store=None, progress=False)
    assert error.value.problems[0].startswith(message)


def test_a_plan_shifts_dated_changes_of_the_staff_it_sizes(small):
    """A level is "this many coaches at the start, dated changes shifted alike": with an event
    that adds 3 coaches, level L is L coaches, then L + 3."""
    from simkit.planning import level_overrides

    with_event = simkit.with_overrides(small, {"events": [{"date": "2021-06-01", "set": {"coaches.count": 7}}]})
    overrides = level_overrides(with_event, {"coaches.count": 2})
    assert overrides["events"][0]["set"]["coaches.count"] == 5
    assert level_overrides(with_event, {"coaches.count": 0, "kela.contact_persons": 2})["events"][0]["set"] == {
        "coaches.count": 3}
    assert level_overrides(small, {"coaches.count": 2}) == {"coaches.count": 2}  # no events: nothing to shift
    result = plan(with_event, "coaches.count", ["coach.caseload_mean<=150"], workers=1, store=None,
                  progress=False, replications=3)
    ran = result.runs.scenario  # the scenario the plan's replications at its answer ran
    assert ran.coaches.count == result.value
    assert ran.events[0].changes["coaches.count"] == result.value + 3
