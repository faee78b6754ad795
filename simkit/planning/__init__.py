"""Capacity planning: sweeps over staffing levels and the smallest staff that meets targets."""

from simkit.planning.campaign import Point, level_overrides
from simkit.planning.grid import grid_points, parse_axis, parse_grid
from simkit.planning.plan import PlanResult, PlanStep, TargetCheck, plan
from simkit.planning.sweep import SweepPoint, SweepResult, sweep
from simkit.planning.targets import Target, TargetError, Verdict, known_metric, parse_target

__all__ = [
    "PlanResult", "PlanStep", "Point", "SweepPoint", "SweepResult", "Target", "TargetCheck", "TargetError", "Verdict",
    "grid_points", "known_metric", "level_overrides", "parse_axis", "parse_grid", "parse_target", "plan", "sweep",
]
