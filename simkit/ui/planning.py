"""The planner's workbench (notebook 04): levers, paired comparison with the base, smallest staff.

Built on :func:`simkit.replicate` and :meth:`simkit.Replications.compare`: the base and the
variant run with the same seed, so replication ``r`` of both sees the same clients (common
random numbers) and the interval of each difference is narrow. The widget's callbacks call
:func:`compare_with_base`, :func:`smallest_staff` and :func:`export_comparison`, which tests and
checked notebook cells call directly.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from simkit import plots
from simkit.analysis.stats import CONFIDENCE, interval_note
from simkit.i18n import get_language, metric_label, t, unit_label
from simkit.io import atomic_write_bytes, atomic_write_csv
from simkit.planning import PlanResult, Target, Verdict, level_overrides, parse_target, plan
from simkit.runner import Replications
from simkit.scenario import Scenario, with_overrides
from simkit.ui.planning_lessons import searched_period
from simkit.ui.runs import (
    Panel,
    bundled_scenarios,
    format_value,
    load,
    run,
    scenario_path,
)
from simkit.views.report import comparison_report, write_report

PLAN_METRICS = (
    "coach.caseload_mean", "clients.waiting_for_coach", "coach.first_meeting_on_time_share",
    "coach.hours_per_client_month", "coach.utilisation", "te.caseload_mean", "kela.wait_minutes_mean",
    "kela.answered_share",
)


# -- comparison with the base ------------------------------------------------------------------
DEFAULT_TARGETS = ("coach.caseload_mean<=120", "coach.first_meeting_on_time_share>=0.95")
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
    atomic_write_csv(paths[0], table)
    fig = comparison_figure(comparison, metrics)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    atomic_write_bytes(paths[1], buffer.getvalue())
    return paths


# -- smallest staff meeting targets -----------------------------------------------------------
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


# -- the workbench widget -----------------------------------------------------------------------
# The report button's label (notebook 04); trainer's catalog (simkit.i18n.TEXTS) may take it over.
REPORT_LABEL = {"en": "Report (HTML, Excel)", "fi": "Raportti (HTML, Excel)", "sv": "Rapport (HTML, Excel)"}
SAVED_FOLDER = Path("my-scenarios")  # where notebook 05's editor saves a user's scenarios
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


def scenario_choices(chosen: str | Path = "", folder: str | Path = SAVED_FOLDER) -> list[tuple[str, str]]:
    """The workbench's scenario list as (label, value): the bundled scenarios by name, then the
    files saved under ``folder`` (relative to the working directory) and ``chosen`` if it is a
    file, by path. Raises ``FileNotFoundError`` for a ``chosen`` that is neither."""
    choices = {name: name for name in bundled_scenarios()}
    saved = sorted(Path(folder).glob("*.toml")) if Path(folder).is_dir() else []
    choices |= {str(path): str(path) for path in saved}
    if chosen and str(chosen) not in choices:
        if not Path(chosen).is_file():
            raise FileNotFoundError(f"{chosen}: no such scenario file and no bundled scenario of that name "
                                    f"(bundled: {', '.join(bundled_scenarios())})")
        choices[str(chosen)] = str(chosen)
    return list(choices.items())


class Workbench:
    """Scenario picker, lever sliders, the comparison figure and table, export and staff search.

    ``scenario`` is a bundled scenario's name or the path of any scenario file (such as one saved
    by the editor under ``my-scenarios/``); the picker lists the bundled ones and the saved ones.

    ``update()`` is what the sliders call; it returns the :class:`Comparison` it showed.
    """

    def __init__(self, scenario: str | Path = "seinajoki-ilmajoki-2021", replications: int = 10,
                 seed: int | None = None, export_folder: str | Path = "exports"):
        self.replications = replications
        self.seed = seed
        self.export_folder = Path(export_folder)
        self.comparison: Comparison | None = None
        self.scenario_picker = widgets.Dropdown(options=scenario_choices(scenario), value=str(scenario),
                                                description=t("scenario"))
        style = {"description_width": "150px"}
        layout = widgets.Layout(width="460px")
        self.coaches = widgets.IntSlider(description=t("coaches"), continuous_update=False, style=style, layout=layout)
        self.te_experts = widgets.IntSlider(description=t("te_experts"), continuous_update=False, style=style,
                                            layout=layout)
        self.inflow = widgets.IntSlider(value=0, min=-30, max=50, step=5, description=f"{t('inflow')} (%)",
                                        continuous_update=False, style=style, layout=layout)
        self.contact_persons = widgets.IntSlider(description=t("contact_persons"), min=1, continuous_update=False,
                                                 style=style, layout=layout)
        self.figure_out = widgets.Output()
        self.table_out = widgets.Output()
        self.message = widgets.HTML()
        self.export_button = widgets.Button(description=t("export"), icon="download")
        self.export_button.on_click(lambda _: self.export())
        self.report_button = widgets.Button(description=REPORT_LABEL.get(get_language(), REPORT_LABEL["en"]),
                                            icon="file-text", layout=widgets.Layout(width="auto"))
        self.report_button.on_click(lambda _: self.report())
        self.targets_text = widgets.Text(value=", ".join(DEFAULT_TARGETS), description=t("targets"),
                                         layout=widgets.Layout(width="640px"))
        self.search_button = widgets.Button(description=t("find_smallest"), icon="search",
                                            layout=widgets.Layout(width="auto"))
        self.search_button.on_click(lambda _: self.find_smallest())
        self.search_out = widgets.Output()
        self.search: StaffSearch | None = None
        self._set_ranges()
        self.scenario_picker.observe(self._scenario_changed, names="value")
        for slider in (self.coaches, self.te_experts, self.inflow, self.contact_persons):
            slider.observe(lambda _: self.update(), names="value")
        self.widget = Panel([
            self.scenario_picker,
            widgets.HBox([widgets.VBox([self.coaches, self.te_experts]),
                          widgets.VBox([self.inflow, self.contact_persons])]),
            self.figure_out, self.table_out, widgets.HBox([self.export_button, self.report_button, self.message]),
            widgets.HBox([self.targets_text, self.search_button]), self.search_out,
        ], name=t("panel.workbench"))

    @property
    def scenario(self) -> Scenario:
        return load(self.scenario_picker.value)

    def _set_ranges(self) -> None:
        scenario = self.scenario
        self._updating = True
        try:
            for slider, value in ((self.coaches, scenario.coaches.count), (self.te_experts, scenario.te.experts)):
                slider.min = 0  # widen first, so the scenario's own value is never clamped
                slider.max = max(2 * value, 10)
                slider.value = value
                slider.min = value // 2
            self.contact_persons.max = max(3 * scenario.kela.contact_persons, 5)
            self.contact_persons.value = scenario.kela.contact_persons
            self.inflow.value = 0
        finally:
            self._updating = False

    def _scenario_changed(self, _=None) -> None:
        self._set_ranges()
        self.update()

    def overrides(self) -> dict:
        return lever_overrides(self.scenario, self.coaches.value, self.te_experts.value, self.inflow.value,
                               self.contact_persons.value)

    def update(self) -> Comparison | None:
        """Run the variant the sliders describe against the base; redraw the figure and the table."""
        if getattr(self, "_updating", False):
            return None
        with self.figure_out:  # the progress bar shows where the figure will be
            self.figure_out.clear_output(wait=True)
            comparison = compare_with_base(self.scenario, self.overrides(), self.replications, self.seed)
            self.comparison = comparison
            comparison_figure(comparison)
            plt.show()
        with self.table_out:
            self.table_out.clear_output(wait=True)
            display(comparison.table_for())
        self.message.value = ""
        return comparison

    def find_smallest(self, targets: str | None = None) -> StaffSearch | None:
        """The fewest coaches meeting the targets, with the other levers as set; shown below the table."""
        text = self.targets_text.value if targets is None else targets
        scenario = self.scenario
        others = lever_overrides(scenario, te_experts=self.te_experts.value, inflow_change_percent=self.inflow.value,
                                 contact_persons=self.contact_persons.value)
        variant = with_overrides(scenario, others) if others else scenario
        current = max(variant.coaches.count, 1)
        with self.search_out:
            self.search_out.clear_output(wait=True)
            try:
                search = smallest_staff(variant, "coaches.count", [p.strip() for p in text.split(",") if p.strip()],
                                        low=max(current // 2, 1), high=2 * current, replications=self.replications,
                                        max_replications=4 * self.replications, seed=self.seed)
            except ValueError as error:  # a ScenarioError (bad target) is a ValueError
                print(f"{t('targets')}: {error}")
                return None
            print(search.text())
            print(search.searched())
            search_figure(search)
            plt.show()
        self.search = search
        return search

    def export(self, name: str | None = None, overwrite: bool = True) -> list[Path]:
        """Export the comparison on screen (CSV and PNG) into the export folder."""
        if self.comparison is None:
            self.update()
        stem = name or f"comparison-{Path(self.scenario_picker.value).stem}"
        paths = export_comparison(self.comparison, self.export_folder, stem, overwrite=overwrite)
        self.message.value = t("exported", files=", ".join(str(p) for p in paths))
        return paths

    def report(self, name: str | None = None) -> list[Path]:
        """The planner's report of the comparison on screen: NAME.html (self-contained) and NAME.xlsx
        (the tables) in the export folder (:mod:`simkit.views.report`)."""
        if self.comparison is None:
            self.update()
        stem = self.export_folder / (name or f"report-{Path(self.scenario_picker.value).stem}")
        report = comparison_report(self.comparison.base, self.comparison.variant, self.comparison.overrides,
                                   source=scenario_path(self.scenario_picker.value))
        paths = write_report(report, stem.with_suffix(".html"), stem.with_suffix(".xlsx"))
        self.message.value = t("exported", files=", ".join(str(p) for p in paths))
        return paths

    def show(self) -> Panel:
        self.update()
        return self.widget


def workbench(scenario: str | Path = "seinajoki-ilmajoki-2021", replications: int = 10, seed: int | None = None,
               export_folder: str | Path = "exports") -> Panel:
    """The planner's workbench as one widget (see :class:`Workbench`)."""
    return Workbench(scenario, replications, seed, export_folder).show()
