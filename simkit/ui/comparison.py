"""A variant against the base (notebook 04): staff and inflow levers, the paired comparison, its export.

Built on :func:`simkit.replicate` and :meth:`simkit.Replications.compare`: the base and the
variant run with the same seed, so replication ``r`` of both sees the same clients (common
random numbers) and the interval of each difference is narrow. The workbench's sliders call
:func:`compare_with_base` and its export button :func:`export_comparison`, which tests and
checked notebook cells call directly.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from simkit import plots
from simkit.analysis.stats import interval_note
from simkit.i18n import get_language, metric_label, t, unit_label
from simkit.io import atomic_write_bytes, atomic_write_csv
from simkit.planning import level_overrides
from simkit.runner import Replications
from simkit.scenario import Scenario, with_overrides
from simkit.tidy import tidy_by_area
from simkit.ui.runs import format_value, run

PLAN_METRICS = (
    "coach.caseload_mean", "clients.waiting_for_coach", "coach.first_meeting_on_time_share",
    "coach.hours_per_client_month", "coach.utilisation", "te.caseload_mean", "kela.wait_minutes_mean",
    "kela.answered_share",
)
STAFF_LEVERS = {"coaches.count": 0, "te.experts": 0, "kela.contact_persons": 1}  # lever: smallest allowed value


def lever_overrides(scenario: Scenario, coaches: int | None = None, te_experts: int | None = None,
                    inflow_change_percent: float = 0.0, contact_persons: int | None = None) -> dict:
    """Dotted-key overrides for the workbench levers.

    A staff lever adds the same number of people throughout the run: dated changes
    (``[[events]]``) that set that staff are shifted by the same amount, so "4 coaches fewer"
    still holds after, say, an autumn reorganisation. An inflow change scales the weekly inflow
    (in events too) and the initial stock together, so the run starts in the steady state of the
    new inflow.
    """
    staff = {key: value for key, value in (("coaches.count", coaches), ("te.experts", te_experts),
                                           ("kela.contact_persons", contact_persons)) if value is not None}
    return staff_overrides(scenario, staff, inflow_change_percent)


def staff_overrides(scenario: Scenario, staff: Mapping[str, int], inflow_change_percent: float = 0.0) -> dict:
    """Overrides setting staff levels (keys of :data:`STAFF_LEVERS`), dated changes shifted alike
    (:func:`simkit.planning.level_overrides`, as sweeps and plans do); an inflow change scales the
    weekly inflow, in dated changes too, and the initial stock."""
    for key in staff:
        if key not in STAFF_LEVERS:
            raise ValueError(f"{key} is not a staff lever; levers: {', '.join(STAFF_LEVERS)}")
    changed = {key: int(value) for key, value in staff.items() if int(value) != scenario.value(key)}
    overrides = level_overrides(scenario, changed)
    if not inflow_change_percent:
        return overrides
    factor = 1.0 + inflow_change_percent / 100.0
    overrides["inflow.per_week"] = scenario.inflow.per_week * factor
    overrides["inflow.initial_clients"] = round(scenario.inflow.initial_clients * factor)
    events = overrides.get("events") or [event.model_dump(mode="python", by_alias=True) for event in scenario.events]
    if any("inflow.per_week" in event["set"] for event in events):
        for event in events:
            if "inflow.per_week" in event["set"]:
                event["set"]["inflow.per_week"] = float(event["set"]["inflow.per_week"]) * factor
        overrides["events"] = events
    return overrides


@dataclass(frozen=True)
class Comparison:
    """A variant against the base with the same seed: both runs and the paired differences."""

    base: Replications = field(repr=False)
    variant: Replications = field(repr=False)
    overrides: dict

    @property
    def table(self) -> pd.DataFrame:
        """Paired differences variant − base per metric: base_mean, mean, ci_low, ci_high, ..., unit."""
        return self.variant.compare(self.base)

    def table_for(self, metrics: Sequence[str] = PLAN_METRICS) -> pd.DataFrame:
        """A readable table in the current language: base, variant, change and its 95% CI, and the
        variant's interval note (⚠: on the edge, too few replications; :mod:`simkit.analysis.stats`)."""
        diff = self.table.loc[list(metrics)]
        variant = self.variant.summary.loc[list(metrics)]
        return pd.DataFrame({
            t("base"): [format_value(v) for v in diff["base_mean"]],
            t("variant"): [format_value(v) for v in variant["mean"]],
            "Δ": [format_value(v) for v in diff["mean"]],
            "Δ 95% CI": [f"{format_value(lo)} – {format_value(hi)}" for lo, hi in zip(diff["ci_low"], diff["ci_high"])],
            t("unit"): [unit_label(u) for u in diff["unit"]],
            "⚠": [interval_note(row, get_language()) for _, row in variant.iterrows()],
        }, index=[metric_label(m) for m in metrics])

    def describe(self) -> str:
        """The levers in short, e.g. ``coaches.count=16`` (shifted dated changes are not listed)."""
        return ", ".join(f"{key}={_short(value)}" for key, value in self.overrides.items() if key != "events") \
            or t("base")


def _short(value) -> str:
    return format_value(value, 4) if isinstance(value, float) else str(value)


class BaseCache:
    """Base runs by scenario content, replications and seed, so moving a lever reruns only the variant."""

    def __init__(self):
        self._runs: dict[tuple[str, int, int], Replications] = {}

    def get(self, scenario: Scenario, replications: int, seed: int, progress: bool = True) -> Replications:
        key = (scenario.content_hash(), replications, seed)
        if key not in self._runs:
            self._runs[key] = run(scenario, replications, seed, progress=progress)
        return self._runs[key]


_BASES = BaseCache()


def compare_with_base(scenario: Scenario, overrides: Mapping, replications: int = 10, seed: int | None = None,
                      progress: bool = True, cache: BaseCache | None = _BASES) -> Comparison:
    """Run the base and the variant (``scenario`` with ``overrides``) with one seed; pair them."""
    seed = scenario.scenario.seed if seed is None else seed
    base = cache.get(scenario, replications, seed, progress) if cache else run(scenario, replications, seed,
                                                                                progress=progress)
    variant = run(with_overrides(scenario, dict(overrides)), replications, seed, progress=progress) \
        if overrides else base
    return Comparison(base=base, variant=variant, overrides=dict(overrides))


def comparison_figure(comparison: Comparison, metrics: Sequence[str] = PLAN_METRICS):
    """Left: daily clients per coach and clients waiting for a coach, base and variant with 95%
    bands (when coaches are short the caseload sits at the cap and the waiting list shows the
    shortage). Right: paired changes."""
    fig, axes = plt.subplot_mosaic([["caseload", "changes"], ["waiting", "changes"]], figsize=(13.0, 7.6),
                                   layout="constrained", width_ratios=[1.0, 1.2])
    daily = {t("base"): comparison.base.daily, t("variant"): comparison.variant.daily}
    plots.daily_band(daily, "coach_caseload_mean", title=t("title.daily_compare"), ax=axes["caseload"])
    plots.comparison_bars(comparison.table, metrics, ax=axes["changes"],
                          title=t("title.compare", variant=comparison.describe(), base=t("base")))
    plots.daily_band(daily, "waiting_for_coach", ax=axes["waiting"])
    return fig


def export_comparison(comparison: Comparison, folder: str | Path, name: str = "comparison",
                      metrics: Sequence[str] = PLAN_METRICS, overwrite: bool = False) -> list[Path]:
    """Write ``NAME.csv`` (all metrics' paired differences) and ``NAME.png`` (the figure), atomically.

    Refuses (``FileExistsError``) to replace existing files unless ``overwrite``.
    """
    folder = Path(folder)
    paths = [folder / f"{name}.csv", folder / f"{name}.png"]
    existing = [str(p) for p in paths if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{', '.join(existing)} exists already; pass overwrite=True to replace")
    table = comparison.table.copy()
    table.insert(0, "variant", comparison.describe())
    table.insert(1, "seed", comparison.base.seed)
    table.insert(2, "replications", len(comparison.base.results))
    atomic_write_csv(paths[0], tidy_by_area(table), index=False)
    fig = comparison_figure(comparison, metrics)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    atomic_write_bytes(paths[1], buffer.getvalue())
    return paths
