"""Service targets such as ``coach.caseload_mean<=120``, and whether a confidence interval meets them.

A target is met *with confidence* when the whole confidence interval of the metric's mean lies
on the allowed side of the bound, failed when the whole interval lies on the other side, and
undecided while the interval straddles the bound (more replications narrow it).
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from dataclasses import dataclass
from enum import Enum

from simkit.metrics import METRIC_BY_NAME, metric_unit
from simkit.scenario import ScenarioError

_COMPARISONS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}
_TARGET = re.compile(r"^\s*(?P<metric>[\w.]+)\s*(?P<op><=|>=|<|>)\s*(?P<bound>\S+)\s*$")


class TargetError(ScenarioError):
    """A target that cannot be read (a bad metric name, comparison or bound), one line per problem."""


class Verdict(str, Enum):
    MET = "met"
    FAILED = "failed"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Target:
    """``metric op bound``, e.g. ``Target("coach.caseload_mean", "<=", 120.0)`` (bound in the metric's unit)."""

    metric: str
    op: str
    bound: float

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.bound:g}"

    @property
    def upper(self) -> bool:
        """True for an upper limit (``<=``, ``<``), False for a lower one."""
        return self.op.startswith("<")

    def verdict(self, mean: float, ci_low: float, ci_high: float) -> Verdict:
        """Met if the whole interval meets the bound, failed if none of it does, else undecided."""
        if math.isnan(mean):
            return Verdict.FAILED
        if math.isnan(ci_low) or math.isnan(ci_high):
            return Verdict.UNDECIDED
        meets = _COMPARISONS[self.op]
        near, far = (ci_high, ci_low) if self.upper else (ci_low, ci_high)
        if meets(near, self.bound):
            return Verdict.MET
        if not meets(far, self.bound):
            return Verdict.FAILED
        return Verdict.UNDECIDED


def parse_target(text: str) -> Target:
    """Read ``"coach.caseload_mean<=120"`` (comparisons ``<=``, ``<``, ``>=``, ``>``)."""
    match = _TARGET.match(text)
    if not match:
        raise TargetError([
            f"--target {text}: expected METRIC<=NUMBER or METRIC>=NUMBER, e.g. coach.caseload_mean<=120"
        ])
    metric = known_metric(match["metric"], f"--target {text}")
    try:
        bound = float(match["bound"])
    except ValueError:
        bound = math.nan
    if not math.isfinite(bound):
        raise TargetError([f"--target {text}: the bound {match['bound']} is not a number"])
    return Target(metric, match["op"], bound)


def known_metric(name: str, label: str) -> str:
    """``name`` if it is a metric (a coach team's too, e.g. coach.youth.caseload_mean); else a
    :class:`TargetError` led by ``label``, with a did-you-mean."""
    try:
        metric_unit(name)
    except KeyError:
        close = difflib.get_close_matches(name, list(METRIC_BY_NAME), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else " (simkit metrics lists them)"
        raise TargetError([f"{label}: unknown metric {name}{hint}"])
    return name


def overall(verdicts: list[Verdict]) -> Verdict:
    """All targets together: failed if any failed, met if all met, else undecided."""
    if Verdict.FAILED in verdicts:
        return Verdict.FAILED
    return Verdict.MET if all(v is Verdict.MET for v in verdicts) else Verdict.UNDECIDED
