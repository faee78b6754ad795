"""Running scenarios from a notebook: bundled scenario files, a progress bar, printed results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Self

import ipywidgets as widgets
import pandas as pd
from tqdm.auto import tqdm

from simkit.i18n import (
    decimal_comma,
    format_value,
    get_language,
    metric_label,
    number,
    percent,
    t,
    unit_label,
)
from simkit.runner import Replications, replicate
from simkit.scenario import (
    SCENARIOS_DIR,  # noqa: F401 (re-exported by simkit.ui)
    Scenario,
    bundled_scenarios,
    load_scenario,
    with_overrides,
)
from simkit.views.progress import BAR_FORMAT, Work

BUNDLED = "seinajoki-ilmajoki-2021"
# Lessons that isolate one thing use the bundled area's first pilot year without its dated changes.
FIRST_YEAR = {"scenario.days": 365, "events": []}


class Panel(widgets.VBox):
    """A ``VBox`` whose plain-text form (what a saved notebook shows without a live kernel) says
    what it is and how to bring it to life, instead of a long widget repr."""

    def __init__(self, children=(), name: str = "", **kwargs):
        super().__init__(children=list(children), **kwargs)
        self._panel_name = name

    def __repr__(self) -> str:
        return t("panel_hint", name=self._panel_name or t("panel"))




def scenario_path(name: str = BUNDLED) -> Path:
    """The path of a bundled scenario by name (``"seinajoki-ilmajoki-2021"``) or of a file."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.exists():
        return candidate
    scenarios = bundled_scenarios()
    if name not in scenarios:
        raise KeyError(f"no bundled scenario {name!r}; bundled: {', '.join(scenarios) or 'none'}")
    return scenarios[name]


def load(name: str = BUNDLED, overrides: Mapping | Sequence[str] = ()) -> Scenario:
    """Load a bundled scenario (or a file) with dotted-key overrides."""
    return load_scenario(scenario_path(name), overrides)


class progress_bar:
    """A ``tqdm.auto`` bar of ``total`` ``unit`` (default: replications, in the current language), laid
    out as :data:`simkit.views.progress.BAR_FORMAT` (the time left, never "it/s");
    ``with progress_bar(n, "text") as bar: ... bar.update(1)``.

    In a notebook the bar is a widget shown while the work runs; when it ends, the bar's output
    is replaced by a one-line note, so a saved notebook does not keep a frozen bar. Elsewhere it
    is tqdm's text bar on stderr. ``enabled=False`` gives a bar that shows nothing.
    """

    def __init__(self, total: int, desc: str = "", enabled: bool = True, unit: str | None = None):
        self.total, self.desc, self.enabled = total, desc, enabled
        self.unit = t("progress_unit") if unit is None else unit
        self._handle = None

    def __enter__(self) -> Self:
        try:
            from tqdm.notebook import tqdm as notebook_tqdm
        except ImportError:  # pragma: no cover - ipywidgets missing
            notebook_tqdm = None
        notebook = self.enabled and notebook_tqdm is not None and issubclass(tqdm, notebook_tqdm)
        options = {"total": self.total, "desc": self.desc, "unit": self.unit, "bar_format": BAR_FORMAT}
        if notebook:
            from IPython.display import display

            self.bar = tqdm(**options, leave=True, display=False)
            self._handle = display(self.bar.container, display_id=True)
        else:
            self.bar = tqdm(**options, leave=False, disable=not self.enabled)
        return self

    def update(self, count: int = 1) -> None:
        self.bar.update(count)

    def __exit__(self, *exc_info):
        done = self.bar.n
        self.bar.close()
        if self._handle is not None:
            from IPython.display import Markdown

            self._handle.update(Markdown(f"✓ {self.desc}: {done}/{self.total} {self.unit}"))
        return False


class replications_bar(progress_bar):
    """A bar of ``replications`` replications of each of ``scenarios``, run with :meth:`replicate`.

    It counts the days they simulate (warm-up and every area's), so it moves within a long
    replication; on a Dask cluster, the replications (the rule of every bar:
    :class:`simkit.views.progress.Work`).
    """

    def __init__(self, scenarios: Sequence[Scenario], replications: int, desc: str = "", enabled: bool = True):
        self.work = Work.of([scenario for scenario in scenarios for _ in range(replications)], shown=enabled)
        super().__init__(self.work.total, desc, enabled, self.work.unit)

    def replicate(self, scenario: Scenario, replications: int, seed: int | None = None,
                  workers: int = 1) -> Replications:
        """:func:`simkit.replicate` of one of this bar's scenarios, moving the bar."""
        return replicate(scenario, replications, seed, workers=workers, progress=self.work.on_replication(self.bar),
                         on_day=self.work.on_day(self.bar))


def run(scenario: Scenario, replications: int | None = None, seed: int | None = None,
        overrides: Mapping | None = None, progress: bool = True, workers: int = 1) -> Replications:
    """:func:`simkit.replicate` with a progress bar of the days simulated (``progress=False`` for none)."""
    if overrides:
        scenario = with_overrides(scenario, overrides)
    count = scenario.scenario.replications if replications is None else replications
    with replications_bar([scenario], count, t("running", n=count), progress) as bar:
        return bar.replicate(scenario, count, seed, workers)


def key_results(runs: Replications, metrics: Sequence[str], digits: int = 3) -> str:
    """Lines ``metric = mean [ci_low, ci_high] unit`` rounded for checked notebook cells.

    The metric is its dotted name (as code writes it); the numbers and the unit are in the current
    language (a decimal comma in Finnish and Swedish).
    """
    summary = runs.summary
    lines = []
    width = max(len(m) for m in metrics)
    for name in metrics:
        row = summary.loc[name]
        low, mean, high = (decimal_comma(format_value(row[column], digits)) for column in ("ci_low", "mean", "ci_high"))
        interval = f"[{low}; {high}]" if get_language() != "en" else f"[{low}, {high}]"
        lines.append(f"{name:<{width}} = {mean:>8} {interval:>20} {unit_label(row['unit'])}")
    return "\n".join(lines)


def estimates(source: Replications | pd.DataFrame, **metrics: str) -> dict[str, str]:
    """Means and 95% CIs of some metrics, formatted for lesson prose in the current language.

    ``source`` is a run (its ``summary``) or a table of the same columns (``mean``, ``ci_low``,
    ``ci_high``, ``unit``), such as a comparison's paired differences.
    ``estimates(runs, caseload="coach.caseload_mean")`` gives ``caseload``, ``caseload_low`` and
    ``caseload_high``; shares come as percentages, other metrics with 3 significant digits.
    """
    table = source if isinstance(source, pd.DataFrame) else source.summary
    values = {}
    for alias, name in metrics.items():
        row = table.loc[name]
        text = percent if row["unit"] == "share" else number
        values.update({alias: text(row["mean"]), f"{alias}_low": text(row["ci_low"]),
                       f"{alias}_high": text(row["ci_high"])})
    return values


def summary_frame(runs: Replications, metrics: Sequence[str], digits: int = 3) -> pd.DataFrame:
    """A readable summary in the current language: label, mean, 95% CI, unit (shares in percent)."""
    summary = runs.summary.loc[list(metrics)]
    shares = summary["unit"] == "share"

    def text(value: float, share: bool) -> str:
        return percent(value, 1) if share else number(value, digits)

    return pd.DataFrame({
        t("mean"): [text(v, share) for v, share in zip(summary["mean"], shares)],
        t("ci95"): [f"{text(lo, share)} – {text(hi, share)}"
                    for lo, hi, share in zip(summary["ci_low"], summary["ci_high"], shares)],
        t("unit"): ["%" if share else unit_label(u) for u, share in zip(summary["unit"], shares)],
    }, index=[metric_label(m) for m in metrics])
