"""Units of time the model and the metrics share (a leaf module: it imports nothing)."""

from __future__ import annotations

MINUTES_PER_DAY = 24 * 60
DAYS_PER_MONTH = 365.25 / 12  # days in an average month
YEAR = 365.25  # days
WORKING_DAYS_PER_WEEK = 5  # Monday to Friday
