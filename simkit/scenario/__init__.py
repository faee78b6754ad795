"""Scenario: parameters, validation and loading."""

from simkit.scenario.loading import (
    ScenarioError,
    load_scenario,
    parse_override,
    parse_value,
    scenario_from_dict,
    with_overrides,
)
from simkit.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "parse_override",
    "parse_value",
    "scenario_from_dict",
    "with_overrides",
]
