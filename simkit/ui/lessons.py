"""The computations behind the training notebooks 01–03, and the small widgets that call them.

Every widget's callback calls one of the public functions here with the widget's values, so a
test (or a checked notebook cell) calls the very same function with fixed inputs. Here: the
lesson texts and solutions, the scenario's description and weekly means, which every notebook
uses, and notebook 02's meeting rules and first meetings. Notebook 01's pilot rule
(:mod:`simkit.ui.pilot_rule`) and 03's Kela line (:mod:`simkit.ui.kela_line`) have modules of
their own; their names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from simkit import plots
from simkit.analysis.stats import mean_ci
from simkit.i18n import lesson_text, number, t
from simkit.scenario import Scenario, with_overrides
from simkit.ui.kela_line import (
    ALWAYS_OPEN,
    KELA_METRICS,
    MINUTES_PER_HOUR,
    contact_persons_needed,
    erlang_c_wait_minutes,
    erlang_figure,
    kela_explorer,
    kela_line_by_rate,
    kela_line_vs_erlang,
    kela_point,
    kela_rate_figure,
)
from simkit.ui.pilot_rule import (
    EXAMPLE_PEOPLE,
    ClientVerdict,
    classify_client,
    client_builder,
    example_people,
    pilot_share_table,
)
from simkit.ui.runs import Panel, replications_bar
from simkit.ui.solutions import SOLUTIONS

__all__ = [  # defined here, and in simkit.ui.pilot_rule and simkit.ui.kela_line (importable from here)
    "ALWAYS_OPEN", "COACH_METRICS", "EXAMPLE_PEOPLE", "KELA_METRICS", "MINUTES_PER_HOUR",
    "WORKING_DAYS_PER_YEAR", "ClientVerdict", "classify_client", "client_builder", "contact_persons_needed",
    "describe_scenario", "erlang_c_wait_minutes", "erlang_figure", "example_people", "first_meetings_by_coaches",
    "first_meetings_explorer", "first_meetings_figure", "kela_explorer", "kela_line_by_rate",
    "kela_line_vs_erlang", "kela_point", "kela_rate_figure", "lesson", "meeting_capacity", "pilot_share_table",
    "selected_point", "solution", "solution_markdown", "sweep_table", "weekly",
]


def lesson(key: str, **values) -> None:
    """Show a lesson text (heading, prose, question, what to notice, exercise) in the current language.

    ``key`` names the catalog's ``lesson.<key>`` (``"01.question"``); ``values`` fill its
    ``{placeholders}``, numbers as :func:`simkit.i18n.number` writes them (so the prose quotes
    the run's own results rather than numbers typed into the text).
    """
    filled = {name: number(value) if isinstance(value, float) else value for name, value in values.items()}
    display(Markdown(lesson_text(key, **filled)))


def solution_markdown(notebook: str) -> str:
    """A notebook's exercise solution: the explanation in the current language and the code."""
    return f"{lesson_text(f'{notebook}.solution')}\n\n```python\n{SOLUTIONS[notebook].strip()}\n```"


def solution(notebook: str) -> Panel:
    """A *Show a solution* button: the trainee tries the exercise first, then may look."""
    button = widgets.Button(description=t("solution.show"), icon="lightbulb-o", layout=widgets.Layout(width="auto"))
    out = widgets.Output()

    def toggle(_=None):
        showing = button.description == t("solution.hide")
        out.clear_output()
        if not showing:
            with out:
                display(Markdown(solution_markdown(notebook)))
        button.description = t("solution.show" if showing else "solution.hide")

    button.on_click(toggle)
    return Panel([button, out], name=t("solution.show"))


def describe_scenario(scenario: Scenario) -> str:
    """The scenario's period, staff, inflow and rules and its dated changes, as lines to print."""
    lines = [t("describe.period", name=scenario.name, start=scenario.scenario.start_date,
               days=scenario.scenario.days),
             t("describe.staff", coaches=scenario.coaches.count, experts=scenario.te.experts,
               inflow=number(scenario.inflow.per_week), rules=t(f"rules_{scenario.rules.meetings}"))]
    if not scenario.events:
        return "\n".join([*lines, t("describe.no_events")])
    lines.append(t("describe.events"))
    for event in scenario.events:
        changes = ", ".join(f"{key} = {_value_text(value)}" for key, value in event.changes.items())
        lines.append(f"  {event.date}  {event.name}: {changes}")
    return "\n".join(lines)


def _value_text(value) -> str:
    if isinstance(value, float):
        return number(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value_text(item) for item in value) + "]"
    return str(value)


def weekly(daily: pd.DataFrame) -> pd.DataFrame:
    """Daily series as weekly means per replication (one row per week starting Monday).

    A daily count that is zero at weekends and on holidays zig-zags; its weekly mean per
    calendar day is what a reader can follow. The result has the shape of
    ``Replications.daily`` (``date``, ``replication``, ``in_window``, the series), so
    :func:`simkit.plots.daily_band` draws it. Days outside the statistics window are left out.
    """
    frame = daily[daily["in_window"]] if "in_window" in daily else daily
    dates = pd.to_datetime(frame["date"])
    week = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).rename("date")
    columns = [c for c in frame.columns if c not in ("date", "day", "replication", "in_window")
               and pd.api.types.is_numeric_dtype(frame[c])]
    grouped = frame[columns].groupby([week, frame["replication"]]).mean().reset_index()
    return grouped.assign(in_window=True)


# -- 02: meeting rules and first meetings ---------------------------------------------------
COACH_METRICS = ("coach.caseload_mean", "coach.hours_per_client_month", "coach.meetings_per_client_year",
                 "coach.utilisation", "coach.first_meeting_on_time_share", "coach.late_meeting_share")


WORKING_DAYS_PER_YEAR = 250  # Mon–Fri less public holidays, rounded (for the capacity arithmetic only)


def meeting_capacity(scenario: Scenario, caseload: float, rule_names: Sequence[str] = ("2021", "nordic-2022")) -> dict:
    """Lesson 02's capacity arithmetic from the scenario's coach hours and meeting length.

    Returns ``hours_per_week``, ``client_share`` (percent), ``meeting_minutes``, a coach's meeting
    ``hours_per_day`` and ``meetings_per_day``, the ``caseload``, and for each rule set its
    ``meetings_<rule>`` in a client's first year and ``needed_<rule>``: the meetings a day that a
    caseload of new clients would need (``nordic-2022`` is written ``nordic``).
    """
    from simkit.model.meetings import meeting_rules

    coaches = scenario.coaches
    hours_per_day = coaches.hours_per_week * coaches.client_time_share / 5
    values = {"hours_per_week": float(coaches.hours_per_week), "client_share": round(100 * coaches.client_time_share),
              "meeting_minutes": scenario.meeting.mean_minutes, "hours_per_day": hours_per_day,
              "meetings_per_day": hours_per_day * MINUTES_PER_HOUR / scenario.meeting.mean_minutes,
              "caseload": float(caseload)}
    for name in rule_names:
        key = name.split("-")[0]
        per_year = meeting_rules(name).meetings_in_first_year()
        values[f"meetings_{key}"] = per_year
        values[f"needed_{key}"] = caseload * per_year / WORKING_DAYS_PER_YEAR
    return values


def sweep_table(scenario: Scenario, lever: str, values: Sequence, metric: str, replications: int = 5,
                seed: int | None = None, fixed: dict | None = None, progress: bool = True) -> pd.DataFrame:
    """Run ``scenario`` at each value of ``lever`` (a dotted key); mean and 95% CI of ``metric``.

    Every point uses the same seed, so the points differ only by the lever (common random numbers).
    """
    rows = []
    variants = [(value, with_overrides(scenario, {**(fixed or {}), lever: value})) for value in values]
    with replications_bar([variant for _, variant in variants], replications,
                          t("running", n=len(variants) * replications), progress) as bar:
        for value, variant in variants:
            runs = bar.replicate(variant, replications, seed)
            mean, low, high = mean_ci(runs.per_replication[metric])
            rows.append({lever: value, "mean": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def first_meetings_by_coaches(scenario: Scenario, coach_counts: Sequence[int],
                              rules: Sequence[str] = ("2021", "nordic-2022"), replications: int = 5,
                              seed: int | None = None, progress: bool = True) -> pd.DataFrame:
    """Share of first meetings on time at each coach count, under each meeting rule set."""
    parts = []
    for rule in rules:
        table = sweep_table(scenario, "coaches.count", coach_counts, "coach.first_meeting_on_time_share",
                            replications, seed, fixed={"rules.meetings": rule}, progress=progress)
        parts.append(table.assign(rules=t(f"rules_{rule}")))
    return pd.concat(parts, ignore_index=True)


def first_meetings_figure(table: pd.DataFrame, selected: int | None = None):
    return plots.curve_with_ci(
        table, "coaches.count", groups="rules", title=t("title.first_meetings"), xlabel=t("axis.coaches"),
        ylabel=t("axis.on_time"), scale=100.0, highlight=selected,
        highlight_label=t("selected", n=selected) if selected is not None else "",
    )


def selected_point(table: pd.DataFrame, coaches: int) -> pd.DataFrame:
    """The rows of a first-meetings table at one coach count, in percent."""
    rows = table[table["coaches.count"] == coaches]
    return pd.DataFrame({
        t("axis.rules"): rows["rules"],
        t("axis.on_time"): (100 * rows["mean"]).round(1),
        "95% CI": [f"{100 * lo:.1f} – {100 * hi:.1f}" for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
    }).set_index(t("axis.rules"))


def first_meetings_explorer(table: pd.DataFrame) -> Panel:
    """A coach-count slider over a precomputed first-meetings table: figure and numbers follow it."""
    counts = sorted(table["coaches.count"].unique().tolist())
    slider = widgets.SelectionSlider(options=counts, value=counts[len(counts) // 2], description=t("coaches"),
                                     continuous_update=False)
    out = widgets.Output()

    def update(_=None):
        with out:
            out.clear_output(wait=True)
            display(selected_point(table, slider.value))
            first_meetings_figure(table, slider.value)
            plt.show()

    slider.observe(update, names="value")
    update()
    return Panel([slider, out], name=t("title.first_meetings"))
