"""The ``simkit run`` summary for people: metrics grouped by area, labels instead of dotted names,
shares in percent, one number format, and the intervals' notes where they need a word.

A pure function of the replications (:func:`people_summary`); the CLI prints what it returns.
"""

from __future__ import annotations

import math

import pandas as pd

from simkit.analysis.stats import interval_note
from simkit.registry import SHARE, lookup, unit_name

# Areas in the order shown, with the metric names (prefixes) each holds and their titles.
AREAS: tuple[tuple[str, dict[str, str]], ...] = (
    ("clients", {"en": "Clients", "fi": "Asiakkaat", "sv": "Kunder"}),
    ("coach", {"en": "Coaches", "fi": "Omavalmentajat", "sv": "Personliga coacher"}),
    ("te", {"en": "TE office", "fi": "TE-toimisto", "sv": "TE-byrån"}),
    ("kela", {"en": "Kela line", "fi": "Kelan linja", "sv": "FPA:s linje"}),
    ("statements", {"en": "Statements", "fi": "Lausunnot", "sv": "Utlåtanden"}),
    ("services", {"en": "Services", "fi": "Palvelut", "sv": "Tjänster"}),
    ("staff", {"en": "Staff and costs", "fi": "Henkilöstö ja kustannukset", "sv": "Personal och kostnader"}),
    ("area", {"en": "Areas", "fi": "Alueet", "sv": "Områden"}),
    ("other", {"en": "Other", "fi": "Muut", "sv": "Övriga"}),
)
# Where a metric's name alone would put it elsewhere.
AREA_OF = {"exits.per_month": "clients", "kela.payment_delay_days_mean": "statements"}

# The metrics shown without --all: the ones a planner reads first (any team, question type or
# service is shown with --all only, except each service's referrals and wait).
HEADLINE = (
    "clients.arrivals_per_day", "clients.share_pilot", "clients.active_pilot", "clients.active_te",
    "clients.waiting_for_coach", "clients.waiting_for_te", "clients.mean_days_in_service", "exits.per_month",
    *(f"{pool}.{name}" for pool in ("coach", "te") for name in (
        "caseload_mean", "utilisation", "hours_per_client_month", "first_meeting_on_time_share",
        "late_meeting_share")),
    "kela.questions_per_day", "kela.wait_minutes_mean", "kela.answered_share", "kela.utilisation",
    "kela.answer_hours_mean",
    "statements.per_month", "statements.on_time_share", "kela.payment_delay_days_mean",
    "staff.person_years", "staff.cost_eur",
)
HEADLINE_SERVICE_METRICS = ("referrals_per_month", "wait_days_mean")

_REPLICATIONS = {"en": ("replication", "replications"), "fi": ("toisto", "toistoa"),
                 "sv": ("replikering", "replikeringar")}
_SEED = {"en": "seed", "fi": "siemenluku", "sv": "frö"}
_HEAD = {"en": "mean and 95% confidence interval", "fi": "keskiarvo ja 95 %:n luottamusväli",
         "sv": "medelvärde och 95 % konfidensintervall"}
_SINGLE = {"en": "one replication: no confidence intervals; run at least 3",
           "fi": "yksi toisto: ei luottamusvälejä; aja vähintään 3",
           "sv": "en replikering: inga konfidensintervall; kör minst 3"}
_MORE = {"en": "{n} more metrics: simkit run ... --all", "fi": "{n} muuta mittaria: simkit run ... --all",
         "sv": "{n} mätvärden till: simkit run ... --all"}


def area_of(name: str) -> str:
    """The area a metric is shown under (one of :data:`AREAS`)."""
    area = AREA_OF.get(name, name.split(".")[0])
    return area if area in dict(AREAS) else "other"


def is_headline(name: str) -> bool:
    group, _, rest = name.partition(".")
    if group == "services":
        return rest.rpartition(".")[2] in HEADLINE_SERVICE_METRICS
    return name in HEADLINE


def number(value: float, share: bool = False) -> str:
    """One number format: thousands separators, never scientific notation; a share in percent
    with one decimal; otherwise 0 decimals from 100 up, 1 from 10 up, else 2."""
    if value is None or math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0%" if share else "0"
    if share:
        return f"{100 * value:,.1f}%"
    size = abs(value)
    decimals = 0 if size >= 100 else 1 if size >= 10 else 2
    return f"{value:,.{decimals}f}"


def replications_text(count: int, language: str = "en") -> str:
    """"1 replication", "3 replications" (and in Finnish and Swedish)."""
    one, many = _REPLICATIONS[language]
    return f"{count:,} {one if count == 1 else many}"


def people_summary(summary: pd.DataFrame, title: str, replications: int, seed: int, show_all: bool = False,
                   language: str = "en") -> str:
    """The summary table (:attr:`simkit.Replications.summary`) as text for people.

    Metrics are grouped by area (clients, coaches, TE office, Kela line, statements, services,
    staff and costs, and each area of a multi-area run) under their labels; shares in percent; a
    ⚠ line under a metric whose interval needs a word (:func:`simkit.analysis.stats.interval_note`).
    A metric with no value (a pool the scenario does not have) is left out. Without ``show_all``
    only the headline metrics are shown, and a last line says how many more there are.
    """
    shown = [name for name in summary.index
             if (show_all or is_headline(name)) and not math.isnan(summary.at[name, "mean"])]
    lines = [f"{title}: {replications_text(replications, language)}, {_SEED[language]} {seed}",
             f"({(_HEAD if replications > 1 else _SINGLE)[language]})"]
    rows = {area: [] for area, _ in AREAS}
    for name in shown:
        rows[area_of(name)].append(_row(name, summary.loc[name], language))
    label_width = max((len(row[0]) for area in rows.values() for row in area), default=0)
    value_width = max((len(row[1]) for area in rows.values() for row in area), default=0)
    for area, titles in AREAS:
        if not rows[area]:
            continue
        lines += ["", titles[language]]
        for label, value, interval, unit, note in rows[area]:
            lines.append(f"  {label:<{label_width}}  {value:>{value_width}}  {interval:<25} {unit}".rstrip())
            if note:
                lines.append(f"  {'':<{label_width}}  ⚠ {note}")
    hidden = len([name for name in summary.index if not is_headline(name)]) if not show_all else 0
    if hidden:
        lines += ["", _MORE[language].format(n=hidden)]
    return "\n".join(lines)


def _row(name: str, row: pd.Series, language: str) -> tuple[str, str, str, str, str]:
    resolved = lookup(name)
    share = row["unit"] == SHARE
    label = _within_area(resolved.label(language), resolved.qualifier) if resolved else name
    interval = "" if math.isnan(row["ci_low"]) else f"[{number(row['ci_low'], share)} – {number(row['ci_high'], share)}]"
    unit = "" if share else unit_name(row["unit"], language)
    note = interval_note(row, language) if "flags" in row and _worth_a_note(row) else ""
    return label, number(row["mean"], share), interval, unit, note


def _within_area(label: str, qualifier: str) -> str:
    """A label under its area's heading: "Coaches: late meetings" -> "Late meetings", a team's
    "Coaches (youth): late meetings" -> "youth: late meetings"."""
    _, colon, tail = label.partition(": ")
    if not colon:
        return label
    return f"{qualifier}: {tail}" if qualifier else tail[:1].upper() + tail[1:]


def _worth_a_note(row: pd.Series) -> bool:
    """Every note except "one replication" (the heading says it once) and "no spread" on a metric
    that is not a share: a count that is 0 in every replication, or a caseload at its cap, needs
    no word; a share of 0 % or 100 % in every replication does (its interval has no width)."""
    return row["flags"] != "one_replication" and (row["flags"] != "no_spread" or row["unit"] == SHARE)
