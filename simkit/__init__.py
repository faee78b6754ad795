"""simkit: a SimPy model of the Finnish municipal employment pilot, for training and planning.

Public API::

    scenario = simkit.load_scenario("scenarios/seinajoki-ilmajoki-2021.toml", {"coaches.count": 25})
    result = simkit.simulate(scenario, seed=1)           # one replication
    runs = simkit.replicate(scenario, replications=20)   # with 95% confidence intervals
"""

from importlib.metadata import PackageNotFoundError, version

from simkit import analytic
from simkit.metrics import METRICS, METRIC_BY_NAME
from simkit.model.clients import eligible_for_pilot
from simkit.runner import Replications, Result, replicate, simulate
from simkit.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict, with_overrides

try:
    __version__ = version("simkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "METRICS",
    "METRIC_BY_NAME",
    "Replications",
    "Result",
    "Scenario",
    "ScenarioError",
    "analytic",
    "eligible_for_pilot",
    "load_scenario",
    "replicate",
    "scenario_from_dict",
    "simulate",
    "with_overrides",
]
