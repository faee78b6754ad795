"""Scenario: parameters, validation and loading."""

from simkit.scenario.bundled import SCENARIOS_DIR, bundled_scenarios
from simkit.scenario.loading import (
    ScenarioError,
    check_key_path,
    load_scenario,
    parse_override,
    parse_value,
    scenario_from_dict,
    with_overrides,
)
from simkit.scenario.schema import Scenario

__all__ = [
    "SCENARIOS_DIR",
    "bundled_scenarios",
    "Scenario",
    "ScenarioError",
    "check_key_path",
    "load_scenario",
    "parse_override",
    "parse_value",
    "scenario_from_dict",
    "with_overrides",
]
