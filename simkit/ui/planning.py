"""The planner's workbench (notebook 04): levers, paired comparison with the base, smallest staff.

The widget is here; what its callbacks call lives beside it, in :mod:`simkit.ui.comparison`
(levers, :func:`compare_with_base`, :func:`export_comparison`) and :mod:`simkit.ui.staff_search`
(:func:`smallest_staff`), and tests and checked notebook cells call those functions directly.
Their names are importable from here too.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from simkit.i18n import get_language, t
from simkit.scenario import Scenario, with_overrides
from simkit.ui.comparison import (
    PLAN_METRICS,
    STAFF_LEVERS,
    BaseCache,
    Comparison,
    compare_with_base,
    comparison_figure,
    export_comparison,
    lever_overrides,
    staff_overrides,
)
from simkit.ui.runs import Panel, bundled_scenarios, load, scenario_path
from simkit.ui.staff_search import (
    DEFAULT_TARGETS,
    LONGER_THAN_A_YEAR,
    SEARCHED,
    StaffSearch,
    search_figure,
    smallest_staff,
)
from simkit.views.report import comparison_report, write_report

__all__ = [  # defined here, and in simkit.ui.comparison and simkit.ui.staff_search (importable from here)
    "DEFAULT_TARGETS", "LONGER_THAN_A_YEAR", "PLAN_METRICS", "REPORT_LABEL", "SAVED_FOLDER", "SEARCHED",
    "STAFF_LEVERS", "BaseCache", "Comparison", "StaffSearch", "Workbench", "compare_with_base",
    "comparison_figure", "export_comparison", "lever_overrides", "scenario_choices", "search_figure",
    "smallest_staff", "staff_overrides", "workbench",
]

# The report button's label (notebook 04); trainer's catalog (simkit.i18n.TEXTS) may take it over.
REPORT_LABEL = {"en": "Report (HTML, Excel)", "fi": "Raportti (HTML, Excel)", "sv": "Rapport (HTML, Excel)"}
SAVED_FOLDER = Path("my-scenarios")  # where notebook 05's editor saves a user's scenarios


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
