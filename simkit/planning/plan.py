"""The smallest staff (or any integer setting) whose confidence intervals meet every target.

The search assumes monotonicity: more of the varied setting never makes a target worse (more
coaches never raise caseloads). It evaluates the scenario's own value first, then brackets the
answer by halving (when that value meets the targets) or doubling (when it does not), and
bisects the bracket. Each value starts with a few replications; more are added, doubling up to
a budget, only while some target's interval straddles its bound. A value still undecided at
the budget counts as not meeting the targets, so the answer is always shown with confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from simkit.analysis.stats import CONFIDENCE
from simkit.i18n import t
from simkit.planning.campaign import Campaign, Point, Store
from simkit.planning.targets import Target, TargetError, Verdict, overall, parse_target
from simkit.runner import Replications
from simkit.scenario import Scenario, ScenarioError
from simkit.scenario import check_key_path  # the --set key check, with did-you-mean
from simkit.scenario.areas import split_area_key
from simkit.scenario.limits import allowed_range
from simkit.store import DEFAULT_STORE

FIRST_REPLICATIONS = 5
MOST_REPLICATIONS = 40
SEARCH_CEILING_FACTOR = 16  # without ``high``, search up to 16 x the scenario's own value


@dataclass(frozen=True)
class TargetCheck:
    """One target at one value: the metric's mean, its confidence interval and the verdict."""

    target: Target
    mean: float
    ci_low: float
    ci_high: float
    verdict: Verdict


@dataclass(frozen=True)
class PlanStep:
    """One evaluation in the search: a value, the replications it had, and what they showed."""

    value: int
    replications: int
    checks: tuple[TargetCheck, ...]

    @property
    def verdict(self) -> Verdict:
        return overall([check.verdict for check in self.checks])

    @classmethod
    def of(cls, value: int, runs: Replications, targets: Sequence[Target]) -> PlanStep:
        summary = runs.summary
        checks = []
        for target in targets:
            if target.metric not in summary.index:
                raise TargetError([f"--target {target}: this scenario has no metric {target.metric}"
                                   " (a team metric needs a coach team of that name)"])
            mean, low, high = (float(summary.loc[target.metric, column]) for column in ("mean", "ci_low", "ci_high"))
            checks.append(TargetCheck(target, mean, low, high, target.verdict(mean, low, high)))
        return cls(value, len(runs.results), tuple(checks))


@dataclass(frozen=True)
class PlanResult:
    """The answer of :func:`plan`: the smallest value meeting every target (None if none up to ``highest``)."""

    vary: str
    targets: tuple[Target, ...]
    confidence: float
    value: int | None
    runs: Replications | None = field(repr=False)
    trace: tuple[PlanStep, ...] = field(repr=False)
    lowest: int
    highest: int
    runs_computed: int
    runs_reused: int

    @property
    def runs_used(self) -> int:
        """Replications behind the answer: computed now plus reused from the store."""
        return self.runs_computed + self.runs_reused

    @property
    def checks(self) -> tuple[TargetCheck, ...]:
        """The targets at the chosen value (empty if no value met them)."""
        return self._step_at(self.value).checks if self.value is not None else ()

    @property
    def trace_table(self) -> pd.DataFrame:
        """One row per evaluation: value, replications, verdict, then mean and CI of each target's metric."""
        rows = []
        for step in self.trace:
            row = {"value": step.value, "replications": step.replications, "verdict": step.verdict.value}
            for check in step.checks:
                row |= {f"{check.target.metric}.{part}": getattr(check, part) for part in ("mean", "ci_low", "ci_high")}
            rows.append(row)
        return pd.DataFrame(rows)

    def to_json(self) -> dict:
        """Everything a report needs, as JSON-ready values."""
        return {
            "vary": self.vary,
            "value": self.value,
            "confidence": self.confidence,
            "searched": [self.lowest, self.highest],
            "targets": [
                {"target": str(c.target), "mean": c.mean, "ci": [c.ci_low, c.ci_high], "verdict": c.verdict.value}
                for c in self.checks
            ],
            "metrics": {
                name: {"mean": row["mean"], "ci": [row["ci_low"], row["ci_high"]], "unit": row["unit"]}
                for name, row in (self.runs.summary.iterrows() if self.runs is not None else ())
            },
            "runs_computed": self.runs_computed,
            "runs_reused": self.runs_reused,
            "trace": self.trace_table.to_dict(orient="records"),
        }

    def _step_at(self, value: int) -> PlanStep:
        return [step for step in self.trace if step.value == value][-1]


class _Search:
    """Evaluates values of one setting, adding replications while a target is undecided."""

    def __init__(self, campaign: Campaign, vary: str, targets: Sequence[Target], confidence: float,
                 first: int, most: int):
        self.campaign = campaign
        self.vary = vary
        self.targets = targets
        self.confidence = confidence
        self.first = first
        self.most = most
        self.trace: list[PlanStep] = []
        self.runs: dict[int, Replications] = {}

    def meets(self, value: int) -> bool:
        """True if ``value`` meets every target with confidence (within the replication budget)."""
        point = Point.of(self.campaign.base, {self.vary: value})
        self.campaign.describe(t("progress_plan", what=point.label))
        count = self.first
        while True:
            (runs,) = self.campaign.replications([point], count, self.confidence)
            step = PlanStep.of(value, runs, self.targets)
            self.trace.append(step)
            self.runs[value] = runs
            if step.verdict is not Verdict.UNDECIDED or count >= self.most:
                return step.verdict is Verdict.MET
            count = min(2 * count, self.most)

    def smallest(self, start: int, lowest: int, highest: int) -> int | None:
        """The smallest value in [lowest, highest] that meets the targets, or None."""
        if self.meets(start):
            failing, passing = self._bracket_below(start, lowest)
        else:
            bracket = self._bracket_above(start, highest)
            if bracket is None:
                return None
            failing, passing = bracket
        while failing is not None and passing - failing > 1:
            middle = (failing + passing) // 2
            failing, passing = (failing, middle) if self.meets(middle) else (middle, passing)
        return passing

    def _bracket_below(self, passing: int, lowest: int) -> tuple[int | None, int]:
        """Halve the way down to ``lowest`` until a value fails: (failing, passing); failing is
        None when ``lowest`` itself meets the targets."""
        while passing > lowest:
            probe = lowest + (passing - lowest) // 2
            if not self.meets(probe):
                return probe, passing
            passing = probe
        return None, passing

    def _bracket_above(self, failing: int, highest: int) -> tuple[int, int] | None:
        """Double up to ``highest`` until a value meets the targets: (failing, passing), or None."""
        while failing < highest:
            probe = min(highest, max(2 * failing, failing + 1))
            if self.meets(probe):
                return failing, probe
            failing = probe
        return None


def plan(
    scenario: Scenario,
    vary: str,
    targets: Sequence[Target | str],
    confidence: float = CONFIDENCE,
    *,
    replications: int = FIRST_REPLICATIONS,
    max_replications: int = MOST_REPLICATIONS,
    low: int = 1,
    high: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    store: Store = DEFAULT_STORE,
    progress: bool = True,
    scheduler: str | None = None,
) -> PlanResult:
    """Find the smallest value of the integer setting ``vary`` in [low, high] meeting every target.

    ``targets`` are :class:`Target` or strings such as ``"coach.caseload_mean<=120"``; a
    target is met when the ``confidence`` interval of the metric's mean lies within it. Each
    value gets ``replications`` replications first, doubled while a target is undecided, up to
    ``max_replications``. ``high`` defaults to 16 x the scenario's value. ``seed``, ``workers``,
    ``scheduler`` and ``store`` work as in :func:`simkit.sweep`: stored replications are
    reused and every new one is stored at once.
    """
    targets = tuple(t if isinstance(t, Target) else parse_target(t) for t in targets)
    if not targets:
        raise ScenarioError(["a plan needs at least one target, e.g. coach.caseload_mean<=120"])
    if not 2 <= replications <= max_replications:
        raise ValueError(f"need 2 <= replications <= max_replications, not {replications} and {max_replications}")
    current = _integer_setting(scenario, vary)
    smallest, largest = allowed_range(_setting_key(vary))
    if high is not None and high > largest:
        raise ScenarioError([f"--high {high}: {vary} may be at most {largest:g}"])
    if low < smallest:
        raise ScenarioError([f"--low {low}: {vary} may be at least {smallest:g}"])
    highest = min(SEARCH_CEILING_FACTOR * max(current, 1), int(largest)) if high is None else high
    if not 0 <= low <= highest:
        raise ScenarioError([f"--vary {vary}: the search range [{low}, {highest}] is empty"])
    seed = scenario.scenario.seed if seed is None else seed
    with Campaign(scenario, seed, store, workers, scheduler, progress, t("progress_plan", what=vary)) as campaign:
        search = _Search(campaign, vary, targets, confidence, replications, max_replications)
        value = search.smallest(min(max(current, low), highest), low, highest)
    return PlanResult(
        vary=vary, targets=targets, confidence=confidence, value=value,
        runs=search.runs.get(value) if value is not None else None, trace=tuple(search.trace),
        lowest=low, highest=highest, runs_computed=campaign.computed, runs_reused=campaign.reused,
    )


def _integer_setting(scenario: Scenario, key: str) -> int:
    """The scenario's value of the integer setting ``key`` (a dotted key such as coaches.count)."""
    check_key_path(key, f"--vary {key}")
    value = scenario.value(key)
    if type(value) is not int or _setting_key(key).count(".") != 1:
        raise ScenarioError([f"--vary {key}: not a whole-number setting such as coaches.count or te.experts"])
    return value


def _setting_key(key: str) -> str:
    """The schema key of a setting: ``coaches.count`` also for one area's ``areas.<name>.coaches.count``."""
    area_key = split_area_key(key)
    return area_key[1] if area_key else key
