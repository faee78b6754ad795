"""Capacity planning: sweeps over staffing levels and the smallest staff that meets targets."""

from simkit.planning.campaign import Point
from simkit.planning.grid import grid_points, parse_axis, parse_grid
from simkit.planning.sweep import SweepPoint, SweepResult, sweep

__all__ = ["Point", "SweepPoint", "SweepResult", "grid_points", "parse_axis", "parse_grid", "sweep"]
