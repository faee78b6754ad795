"""Limits a user may set from the environment (``SIMKIT_MAX_RUN_MB``, ``SIMKIT_MAX_FILE_MB``,
``SIMKIT_STORE_TIMEOUT``), read one way: a bad value is a one-line error naming the variable."""

from __future__ import annotations

import math
import os

from simkit.scenario.errors import ScenarioError


def number_from_environment(variable: str, default: float, unit: str, zero_allowed: bool = False) -> float:
    """``$variable`` as a finite number of ``unit`` (over 0, or 0 or more if ``zero_allowed``);
    ``default`` when unset or empty."""
    text = os.environ.get(variable, "")
    try:
        value = float(text) if text else default
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero_allowed):
        allowed = "0 or more" if zero_allowed else "over 0"
        raise ScenarioError([f"${variable} = {text!r}: expected a number of {unit}, {allowed}"])
    return value
