"""The smallest staff meeting targets (notebook 04): the search, what it searched, its figure.

The search is :func:`simkit.planning.plan`, run in this process; the workbench's search button
calls :func:`smallest_staff` and :func:`search_figure`, which tests and checked notebook cells
call directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from simkit import plots
from simkit.analysis.stats import CONFIDENCE
from simkit.i18n import get_language, metric_label, t
from simkit.planning import PlanResult, Target, Verdict, parse_target, plan
from simkit.scenario import Scenario
from simkit.ui.planning_lessons import searched_period

DEFAULT_TARGETS = ("coach.caseload_mean<=120", "coach.first_meeting_on_time_share>=0.95")
# What the staff search searched, and a hint when it is more than a first year (trainer's catalog may take these over).
SEARCHED = {
    "en": "Searched over {first} – {last} with {n} dated change(s) ([[events]]) of the scenario, as the levers "
          "are set.",
    "fi": "Haettu jaksolta {first} – {last}, mukana skenaarion {n} päivättyä muutosta ([[events]]) ja vipujen "
          "asetukset.",
    "sv": "Sökt över {first} – {last} med scenariots {n} daterade ändringar ([[events]]) och spakarnas "
          "inställningar.",
}
LONGER_THAN_A_YEAR = {
    "en": "The first year alone (ui.FIRST_YEAR) may need fewer: later reforms, such as the Nordic model, add meetings.",
    "fi": "Pelkkä ensimmäinen vuosi (ui.FIRST_YEAR) voi vaatia vähemmän: myöhemmät uudistukset, kuten "
          "pohjoismainen malli, lisäävät tapaamisia.",
    "sv": "Enbart det första året (ui.FIRST_YEAR) kan kräva färre: senare reformer, som den nordiska modellen, "
          "ger fler möten.",
}


@dataclass(frozen=True)
class StaffSearch:
    """The result of :func:`smallest_staff`: the answer (or None) and every level evaluated."""

    vary: str
    targets: tuple[Target, ...]
    smallest: int | None
    evaluated: pd.DataFrame  # one row per level and target: replications, mean, ci_low, ci_high, met
    low: int
    high: int
    plan: PlanResult | None = field(default=None, repr=False)  # when simkit.planning.plan searched
    period: tuple[dt.date, dt.date, int] | None = None  # first and last day searched, dated changes in them

    def searched(self, language: str | None = None) -> str:
        """What was searched, e.g. "Searched over 2021-03-01 – 2023-06-30 with 3 dated change(s)": a
        whole file with its reforms can need far more staff than its first year alone."""
        if self.period is None:
            return ""
        first, last, events = self.period
        language = language or get_language()
        text = SEARCHED[language].format(first=first, last=last, n=events)
        longer = events or (last - first).days >= 366
        return f"{text} {LONGER_THAN_A_YEAR[language]}" if longer else text

    def text(self) -> str:
        what = t("coaches") if self.vary == "coaches.count" else self.vary
        if self.smallest is None:
            return t("smallest_none", low=self.low, high=self.high)
        return t("smallest_found", what=what.lower(), n=self.smallest)


def smallest_staff(scenario: Scenario, vary: str = "coaches.count",
                   targets: Sequence[str | Target] = ("coach.caseload_mean<=120",), low: int = 1,
                   high: int | None = None, replications: int = 5, max_replications: int = 20,
                   seed: int | None = None, confidence: float = CONFIDENCE, progress: bool = True) -> StaffSearch:
    """The fewest staff (``vary``) for which every target holds with ``confidence``.

    A target holds when its whole confidence interval is on the right side of the bound; a level
    whose interval straddles a bound gets more replications (up to ``max_replications``), and one
    still undecided counts as not meeting the targets. The search is :func:`simkit.planning.plan`
    (in this process, no run store, so a notebook leaves no files behind); a level means "this
    many at the start, dated changes of the same staff shifted alike", as the levers do.
    """
    parsed = tuple(target if isinstance(target, Target) else parse_target(target) for target in targets)
    seed = scenario.scenario.seed if seed is None else seed
    result = plan(scenario, vary, parsed, confidence=confidence, replications=replications,
                  max_replications=max_replications, low=low, high=high, seed=seed, workers=1, store=None,
                  progress=progress)  # a bar per level evaluated, counting its runs
    rows = [
        {"level": step.value, "replications": step.replications, "target": str(check.target), "mean": check.mean,
         "ci_low": check.ci_low, "ci_high": check.ci_high, "met": check.verdict is Verdict.MET}
        for step in result.trace for check in step.checks
    ]
    return StaffSearch(vary=vary, targets=parsed, smallest=result.value, evaluated=_tidy(rows),
                       low=result.lowest, high=result.highest, plan=result, period=searched_period(scenario))


def _tidy(rows: list[dict]) -> pd.DataFrame:
    evaluated = pd.DataFrame(rows).drop_duplicates(["level", "target"], keep="last")
    return evaluated.sort_values(["level", "target"], ignore_index=True)


def search_figure(search: StaffSearch, target_index: int = 0):
    """One target's metric against the staff levels evaluated (mean, 95% CI), the bound and the answer."""
    target = search.targets[target_index]
    rows = search.evaluated[search.evaluated["target"] == str(target)]
    what = t("axis.coaches") if search.vary == "coaches.count" else search.vary
    return plots.curve_with_ci(
        rows, "level", title=t("title.search", metric=metric_label(target.metric)), xlabel=what,
        ylabel=metric_label(target.metric, with_unit=True), target=target.bound,
        target_label=f"{t('target')}: {target}", highlight=search.smallest,
        highlight_label=t("smallest_short", n=search.smallest) if search.smallest is not None else "",
    )
