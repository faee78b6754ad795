"""The stories' claims: what a scenario's description says about a run, checked against a run.

A scenario file states its story's numbers in ``[[expect]]`` tables
(:class:`simkit.scenario.schema.Expectation`): a metric, a bound (``above``, ``below`` or both)
and optionally the dates the claim is about (a month of a surge, or the period after a dated
event). :func:`check_claims` runs the scenario and gives each claim's value, so that
``tests/model/test_stories.py`` fails when the model and the story part.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np

from simkit.metrics import summarise
from simkit.runner import simulate
from simkit.scenario.schema import Expectation, Scenario

Window = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class ClaimCheck:
    """One claim and the mean of its metric over the replications run."""

    expectation: Expectation
    value: float

    @property
    def holds(self) -> bool:
        claim = self.expectation
        return (not math.isnan(self.value) and (claim.above is None or self.value > claim.above)
                and (claim.below is None or self.value < claim.below))

    def __str__(self) -> str:
        claim = self.expectation
        bounds = " and ".join(text for text in (f"above {claim.above}" if claim.above is not None else "",
                                                f"below {claim.below}" if claim.below is not None else "") if text)
        dates = f" ({claim.first_date or 'start'} to {claim.last_date or 'end'})" if claim.first_date or claim.last_date else ""
        return f"{claim.claim!r}: {claim.metric}{dates} = {self.value:.4g}, expected {bounds}"


def check_claims(scenario: Scenario, replications: int, seed: int | None = None) -> list[ClaimCheck]:
    """Run ``replications`` of ``scenario`` and give each of its ``[[expect]]`` claims its value."""
    windows: dict[Window, list[dict[str, float]]] = {(c.first_date, c.last_date): [] for c in scenario.expect}
    for replication in range(replications):
        result = simulate(scenario, seed, replication, keep_observations=True)
        for window, values in windows.items():
            observations = result.observations
            if window != (None, None):
                observations = replace(observations, window=_days(scenario, window))
            values.append(summarise(observations))
    return [ClaimCheck(claim, float(np.mean([values[claim.metric] for values in windows[claim.first_date, claim.last_date]])))
            for claim in scenario.expect]


def _days(scenario: Scenario, window: Window) -> tuple[int, int]:
    """Days ``[start, end)`` of the run (day 0: the first day of the warm-up) for the dates."""
    info = scenario.scenario
    day_zero = info.start_date - dt.timedelta(days=info.warmup_days)
    start = info.warmup_days if window[0] is None else (window[0] - day_zero).days
    end = info.warmup_days + info.days if window[1] is None else (window[1] - day_zero).days + 1
    if not info.warmup_days <= start < end <= info.warmup_days + info.days:
        raise ValueError(f"{scenario.name}: a claim's dates {window} fall outside the statistics window")
    return start, end
