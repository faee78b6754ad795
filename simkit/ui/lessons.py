"""The computations behind the training notebooks 01–03, and the small widgets that call them.

Every widget's callback calls one of the public functions here with the widget's values, so a
test (or a checked notebook cell) calls the very same function with fixed inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from simkit import analytic, plots
from simkit.analysis.stats import mean_ci
from simkit.i18n import lesson_text, metric_label, number, t, t_count, unit_label
from simkit.metrics import METRIC_BY_NAME
from simkit.model.clients import ATTRIBUTES, draw_attributes, eligible_for_pilot
from simkit.runner import replicate
from simkit.scenario import Scenario, with_overrides
from simkit.ui.runs import Panel, progress_bar
from simkit.ui.solutions import SOLUTIONS

MINUTES_PER_HOUR = 60.0


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


# -- 01: who is a pilot client ---------------------------------------------------------------
@dataclass(frozen=True)
class ClientVerdict:
    """Whether a person is a pilot client, and the attributes that make them one."""

    pilot: bool
    reasons: tuple[str, ...]  # attribute names that make the person a pilot client
    resides_in_pilot_area: bool = True

    def text(self) -> str:
        verdict = t("verdict.pilot" if self.pilot else "verdict.te")
        if self.pilot:
            why = t("reason.because", reasons="; ".join(_lower_first(t(f"attr.{name}")) for name in self.reasons))
        elif not self.resides_in_pilot_area:
            why = t("reason.outside")
        else:
            why = t("reason.none")
        return f"{verdict} ({why})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def classify_client(resides_in_pilot_area: bool = True, kela_benefit: bool = False, no_benefit: bool = False,
                    under_30: bool = False, foreign_language: bool = False,
                    foreign_citizen: bool = False) -> ClientVerdict:
    """Apply the pilot rule (:func:`simkit.eligible_for_pilot`) to one person and say why."""
    values = {"resides_in_pilot_area": bool(resides_in_pilot_area), "kela_benefit": bool(kela_benefit),
              "no_benefit": bool(no_benefit), "under_30": bool(under_30), "foreign_language": bool(foreign_language),
              "foreign_citizen": bool(foreign_citizen)}
    pilot = bool(eligible_for_pilot(**values))
    reasons = tuple(name for name in ATTRIBUTES[1:] if values[name]) if resides_in_pilot_area else ()
    return ClientVerdict(pilot=pilot, reasons=reasons, resides_in_pilot_area=values["resides_in_pilot_area"])


def client_builder() -> Panel:
    """Checkboxes for the six attributes; the verdict updates as they change."""
    boxes = {name: widgets.Checkbox(value=(name == "resides_in_pilot_area"), description=t(f"attr.{name}"),
                                    indent=False, layout=widgets.Layout(width="auto")) for name in ATTRIBUTES}
    verdict = widgets.HTML()

    def update(_=None):
        result = classify_client(**{name: box.value for name, box in boxes.items()})
        colour = "#1f5fa8" if result.pilot else "#d9730d"
        verdict.value = f"<b style='color:{colour}'>{result.text()}</b>"

    for box in boxes.values():
        box.observe(update, names="value")
    update()
    return Panel([*boxes.values(), verdict], name=t("panel.client_builder"))


# Five people for lesson 01: the catalog's ``people.<name>`` describes each, these are their attributes.
EXAMPLE_PEOPLE = {
    "aino": {"under_30": True},
    "mikko": {"kela_benefit": True},
    "olga": {"foreign_language": True},
    "jari": {},
    "sara": {"resides_in_pilot_area": False, "under_30": True},
}


def example_people() -> list[str]:
    """Lesson 01's five people, each with the verdict of the pilot rule, as lines to print."""
    return [f"{t(f'people.{name}')}: {classify_client(**facts).text()}" for name, facts in EXAMPLE_PEOPLE.items()]


def pilot_share_table(scenario: Scenario, sample: int = 100_000, seed: int = 1) -> pd.DataFrame:
    """How the scenario's client shares split into the rule's branches (a quick sample, no SimPy).

    Rows: the share of a new registration that meets each condition and is a pilot client.
    """
    import numpy as np

    draws = draw_attributes([scenario.clients], np.zeros(sample, dtype=int), np.random.default_rng(seed))
    pilot = eligible_for_pilot(*(draws[name] for name in ATTRIBUTES))
    rows = {t(f"attr.{name}"): float(draws[name].mean()) for name in ATTRIBUTES}
    rows[t("verdict.pilot")] = float(pilot.mean())
    return pd.DataFrame({t("share_percent"): [round(100 * v, 1) for v in rows.values()]}, index=list(rows))


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
    values = list(values)
    with progress_bar(len(values) * replications, t("running", n=len(values) * replications), progress) as bar:
        for value in values:
            variant = with_overrides(scenario, {**(fixed or {}), lever: value})
            runs = replicate(variant, replications, seed, progress=bar.update)
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


# -- 03: the Kela contact line ----------------------------------------------------------------
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


def erlang_c_wait_minutes(servers: int, calls_per_hour: float, handle_minutes: float) -> float:
    """Mean wait in queue (minutes) of an M/M/c line by Erlang C (:mod:`simkit.analytic`); inf if overloaded."""
    return analytic.erlang_c(calls_per_hour / MINUTES_PER_HOUR, handle_minutes, servers).mean_wait


def contact_persons_needed(questions_per_day: float, handle_minutes: float, target_wait_minutes: float,
                           open_hours_per_day: float = 24.0) -> int:
    """Fewest contact persons whose Erlang C mean wait is at most the target.

    ``questions_per_day`` arrive evenly over ``open_hours_per_day`` (24 for an always-open line).
    """
    calls_per_minute = questions_per_day / open_hours_per_day / MINUTES_PER_HOUR
    return analytic.servers_for_mean_wait(calls_per_minute, handle_minutes, target_wait_minutes)


# The textbook line: open around the clock, patient callers, one kind of question, nobody off the line.
ALWAYS_OPEN = {"kela.open_hours": [0.0, 24.0], "kela.call_hours": [0.0, 24.0], "kela.open_weekdays": 7,
               "kela.call_weekdays": 7, "kela.patience_minutes": math.inf, "kela.question_types": [],
               "kela.offline_hours_per_week": 0.0, "kela.handle_distribution": "exponential"}


def kela_line_vs_erlang(scenario: Scenario, questions_per_client_month: Sequence[float],
                        contact_persons: Sequence[int] = (1, 2), replications: int = 5, seed: int | None = None,
                        progress: bool = True) -> pd.DataFrame:
    """The textbook line: open around the clock, callers never hang up; simulation and Erlang C.

    One row per question rate and staff: the simulated mean wait (95% CI), the measured arrival
    rate and load, and the Erlang C mean wait at that measured rate.
    """
    rows = []
    combos = [(q, c) for c in contact_persons for q in questions_per_client_month]
    with progress_bar(len(combos) * replications, t("running", n=len(combos) * replications), progress) as bar:
        for q, c in combos:
            variant = with_overrides(scenario, {**ALWAYS_OPEN, "kela.questions_per_client_month": q,
                                                "kela.contact_persons": c})
            runs = replicate(variant, replications, seed, progress=bar.update)
            per = runs.per_replication
            mean, low, high = mean_ci(per["kela.wait_minutes_mean"])
            calls_per_hour = float(per["kela.questions_per_day"].mean()) / 24.0
            handle = variant.kela.handle_minutes
            rows.append({
                "kela.questions_per_client_month": q, "contact_persons": c,
                "questions_per_day": calls_per_hour * 24.0,
                "load_per_person": calls_per_hour * handle / MINUTES_PER_HOUR / c,
                "mean": mean, "ci_low": low, "ci_high": high,
                "erlang_c": erlang_c_wait_minutes(c, calls_per_hour, handle),
            })
    return pd.DataFrame(rows)


def erlang_figure(table: pd.DataFrame):
    labelled = table.assign(staff=[t_count("persons", int(c)) for c in table["contact_persons"]])
    return plots.curve_with_ci(
        labelled, "kela.questions_per_client_month", groups="staff", title=t("title.erlang"),
        xlabel=t("axis.questions_per_client_month"), ylabel=t("axis.wait_minutes"), analytic="erlang_c",
        analytic_label=t("erlang_c"),
    )


KELA_METRICS = ("kela.questions_per_day", "kela.wait_minutes_mean", "kela.answered_share",
                "kela.callbacks_per_day", "kela.answer_hours_mean", "kela.utilisation")


def kela_line_by_rate(scenario: Scenario, questions_per_client_month: Sequence[float], replications: int = 5,
                      seed: int | None = None, progress: bool = True) -> pd.DataFrame:
    """The scenario's own line (office hours, impatient callers) at several question rates.

    One row per rate and metric of :data:`KELA_METRICS`: mean and 95% CI.
    """
    rows = []
    total = len(questions_per_client_month) * replications
    with progress_bar(total, t("running", n=total), progress) as bar:
        for q in questions_per_client_month:
            runs = replicate(with_overrides(scenario, {"kela.questions_per_client_month": q}), replications, seed,
                             progress=bar.update)
            for name in KELA_METRICS:
                mean, low, high = mean_ci(runs.per_replication[name])
                rows.append({"kela.questions_per_client_month": q, "metric": name, "mean": mean,
                             "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def kela_rate_figure(table: pd.DataFrame, metrics: Sequence[str] = ("kela.wait_minutes_mean", "kela.answered_share",
                                                                    "kela.answer_hours_mean")):
    """One panel per Kela metric against the question rate (mean and 95% CI)."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.6), layout="constrained", squeeze=False)
    for ax, name in zip(axes.flat, metrics):
        part = table[table["metric"] == name].assign(metric=metric_label(name))
        plots.curve_with_ci(part, "kela.questions_per_client_month", groups="metric", ax=ax,
                            title=metric_label(name), xlabel=t("axis.questions_per_client_month"),
                            ylabel=unit_label(METRIC_BY_NAME[name].unit))
    fig.suptitle(t("title.kela_by_rate"))
    return fig


def kela_point(scenario: Scenario, questions_per_client_month: float, contact_persons: int,
               replications: int = 4, seed: int | None = None) -> dict:
    """The textbook line at one rate and staff: simulated mean wait (95% CI) beside Erlang C."""
    table = kela_line_vs_erlang(scenario, [questions_per_client_month], [contact_persons], replications, seed,
                                progress=False)
    return table.iloc[0].to_dict()


def kela_explorer(scenario: Scenario, replications: int = 4, seed: int | None = None) -> Panel:
    """Sliders for the question rate and the contact persons; simulation and formula side by side."""
    rate = widgets.FloatSlider(value=0.5, min=0.1, max=3.0, step=0.1, description=t("axis.questions_per_client_month"),
                               continuous_update=False, style={"description_width": "220px"},
                               layout=widgets.Layout(width="520px"))
    persons = widgets.IntSlider(value=1, min=1, max=6, description=t("contact_persons"), continuous_update=False,
                                style={"description_width": "220px"}, layout=widgets.Layout(width="520px"))
    out = widgets.HTML()

    def update(_=None):
        point = kela_point(scenario, rate.value, persons.value, replications, seed)
        erlang = point["erlang_c"]
        formula = "∞" if math.isinf(erlang) else f"{erlang:.2f}"
        out.value = (
            f"<table><tr><td>{t('axis.questions_per_client_month')}</td><td>{rate.value:.1f}</td></tr>"
            f"<tr><td>{metric_label('kela.questions_per_day')}</td><td>{point['questions_per_day']:.1f}</td></tr>"
            f"<tr><td>{t('load_per_person')}</td><td>{100 * point['load_per_person']:.0f} %</td></tr>"
            f"<tr><td>{t('simulation')}</td><td>{point['mean']:.2f} min "
            f"[{point['ci_low']:.2f}, {point['ci_high']:.2f}]</td></tr>"
            f"<tr><td>{t('erlang_c')}</td><td>{formula} min</td></tr></table>"
        )

    rate.observe(update, names="value")
    persons.observe(update, names="value")
    update()
    return Panel([rate, persons, out], name=t("title.erlang"))

