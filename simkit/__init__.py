"""simkit: a SimPy model of the Finnish municipal employment pilot, for training and planning.

Public API::

    scenario = simkit.load_scenario("scenarios/seinajoki-ilmajoki-2021.toml", {"coaches.count": 25})
    result = simkit.simulate(scenario, seed=1)           # one replication
    runs = simkit.replicate(scenario, replications=20)   # with 95% confidence intervals
    grid = simkit.sweep(scenario, {"coaches.count": range(16, 31, 2)})  # paired with the base
    staff = simkit.plan(scenario, "coaches.count", ["coach.caseload_mean<=120"])  # smallest that meets it
    cheapest = simkit.plan_cost(areas, ["coaches.count"], ["coach.first_meeting_on_time_share>=0.9"])  # per area, euros
    simkit.tidy_by_area(runs.summary)                     # a multi-area run's table with an ``area`` column
    simkit.forget_draws()                                # free the clients kept for the next run (simkit.model.draws)
"""

from simkit import analytic
from simkit._version import __version__  # noqa: F401  (simkit.__version__)
from simkit.metrics import METRIC_BY_NAME, METRICS
from simkit.model.clients import eligible_for_pilot
from simkit.model.draws import forget_draws
from simkit.planning import PlanResult, SweepResult, plan, sweep
from simkit.planning.areas import plan_cost
from simkit.runner import Replications, Result, replicate, simulate
from simkit.scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_dict,
    with_overrides,
)
from simkit.tidy import tidy_by_area

__all__ = [
    "METRICS",
    "METRIC_BY_NAME",
    "PlanResult",
    "Replications",
    "Result",
    "Scenario",
    "ScenarioError",
    "SweepResult",
    "analytic",
    "eligible_for_pilot",
    "forget_draws",
    "load_scenario",
    "plan",
    "plan_cost",
    "replicate",
    "scenario_from_dict",
    "simulate",
    "sweep",
    "tidy_by_area",
    "with_overrides",
]
