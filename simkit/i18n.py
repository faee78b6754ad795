"""Every text a trainee reads, in English, Finnish and Swedish, switched in one place.

The texts live in one catalog per language, ``simkit/locales/<language>.toml`` (package data):
labels, figure titles and axes, widget messages, units, daily series names and the notebooks'
lesson prose (the ``lesson`` table, shown by :func:`simkit.ui.lesson`). Tables are read as
dotted keys: ``[lesson."01"] question = "..."`` is ``t("lesson.01.question")``. Every catalog
has the same keys with the same ``{placeholders}`` (a test checks it).

One current language for the whole kernel: ``set_language("fi")``, or ``set_language()`` for the
``SIMKIT_LANG`` environment variable (default English), so a trainer who starts JupyterLab with
``SIMKIT_LANG=sv`` gets Swedish in every notebook. Texts are looked up when they are drawn, so
switching the language and re-running a cell redraws it in the other language.

Metric labels are not in the catalogs: they come from the metric registry
(:data:`simkit.metrics.METRICS`), through :func:`metric_label`.
"""

from __future__ import annotations

import math
import os
import string
import tomllib
from functools import cache
from importlib import resources

from simkit.metrics import METRIC_BY_NAME

LANGUAGES = ("en", "fi", "sv")
DEFAULT_LANGUAGE = "en"
ENVIRONMENT_VARIABLE = "SIMKIT_LANG"


def _checked(language: str) -> str:
    code = str(language).strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return code


def _from_environment() -> str:
    """The language named by ``SIMKIT_LANG`` (e.g. ``fi`` or ``sv_FI.UTF-8``), else English."""
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    return _checked(value.split("_")[0].split(".")[0]) if value else DEFAULT_LANGUAGE


def _initial() -> str:
    try:
        return _from_environment()
    except ValueError:  # a bad SIMKIT_LANG is reported by set_language(), not at import
        return DEFAULT_LANGUAGE


_state = {"language": _initial()}


def set_language(language: str | None = None) -> str:
    """Switch every text to ``"en"``, ``"fi"`` or ``"sv"``; returns the language now in use.

    Without an argument, the language of the ``SIMKIT_LANG`` environment variable (English when
    it is not set): the notebooks' first cell calls it so, and a trainer sets the variable once.
    """
    _state["language"] = _from_environment() if language is None else _checked(language)
    return _state["language"]


def get_language() -> str:
    return _state["language"]


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalog(language: str) -> dict[str, str]:
    """Every text of one language by dotted key, read once from ``simkit/locales/<language>.toml``."""
    path = resources.files("simkit") / "locales" / f"{_checked(language)}.toml"
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text expects (``{{`` and ``}}`` are literal braces)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, language: str | None = None, **values) -> str:
    """The text for ``key`` in the current language, with ``{placeholders}`` filled in."""
    texts = catalog(language or get_language())
    if key not in texts:
        raise KeyError(f"no text for {key!r}")
    return texts[key].format(**values) if values else texts[key]


def t_count(key: str, n: int, language: str | None = None, **values) -> str:
    """A counted text: ``key.one`` for 1, ``key.other`` otherwise, with ``{n}`` filled in."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", language, n=n, **values)


def format_value(value: float, digits: int = 3) -> str:
    """A number rounded to ``digits`` significant digits, stable for printed golden values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    if value == 0:
        return "0"
    rounded = float(f"{value:.{digits}g}")
    text = f"{rounded:.{max(digits - 1 - math.floor(math.log10(abs(rounded))), 0)}f}"
    return "0" if text.strip("-0.") == "" else text


def number(value: float, digits: int = 3, language: str | None = None) -> str:
    """A number for prose: ``digits`` significant digits, a decimal comma in Finnish and Swedish."""
    text = format_value(value, digits)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if (language or get_language()) == "en" else text.replace(".", ",")


def percent(share: float, decimals: int = 0, language: str | None = None) -> str:
    """A share (0–1) as a percentage for prose: ``74%`` in English, ``74 %`` in Finnish and Swedish."""
    language = language or get_language()
    text = f"{100 * share:.{decimals}f}"
    return f"{text}%" if language == "en" else f"{text.replace('.', ',')}\u00a0%"


def metric_label(name: str, language: str | None = None, with_unit: bool = False) -> str:
    """A short label of a metric in the current language (from the metric registry).

    Finnish comes from the registry's ``label_fi``; a registry ``label_sv`` is used in Swedish
    when it has one, the English label otherwise.
    """
    language = language or get_language()
    metric = METRIC_BY_NAME.get(name)
    if metric is None:
        label = name
    elif language == "fi":
        prefix = _FI_POOL_PREFIX.get(name.split(".")[0], "")
        has_prefix = prefix and metric.label_fi.lower().startswith(prefix.split(":")[0].lower())
        label = metric.label_fi if has_prefix or not prefix else prefix + metric.label_fi
        label = label[:1].upper() + label[1:]
    else:
        label = (getattr(metric, "label_sv", None) if language == "sv" else None) or \
            METRIC_EN.get(name, metric.description.rstrip("."))
    if with_unit and metric is not None and metric.unit:
        if language == "fi" and ", " in label:
            label = label.rsplit(", ", 1)[0]  # the registry's Finnish labels may end with a unit
        return f"{label} ({unit_label(metric.unit, language)})"
    return label


def unit_label(unit: str, language: str | None = None) -> str:
    """A unit in the current language (units are declared in English in the schema and registry)."""
    return catalog(language or get_language()).get(f"units.{unit}", unit)


def daily_label(column: str, language: str | None = None) -> str:
    """A daily series column (:func:`simkit.metrics.daily_series`) as a plot label."""
    return catalog(language or get_language()).get(f"daily.{column}", column)


def lesson_text(key: str, language: str | None = None, **values) -> str:
    """A lesson's Markdown (``"01.question"`` is the catalog's ``lesson.01.question``)."""
    return t(f"lesson.{key}", language, **values)


# Pool prefixes make Finnish labels unambiguous where the registry's label is shared by pools.
_FI_POOL_PREFIX = {"coach": "Omavalmentajat: ", "te": "TE-asiantuntijat: "}

METRIC_EN = {
    "clients.arrivals_per_day": "New clients per day",
    "clients.share_pilot": "Share of new clients in the pilot",
    "clients.active_pilot": "Active pilot clients",
    "clients.active_te": "Active TE office clients",
    "clients.waiting_for_coach": "Clients waiting for a coach",
    "clients.waiting_for_te": "Clients waiting for a TE expert",
    "clients.mean_days_in_service": "Days as a client",
    "coach.caseload_mean": "Coaches: clients per coach (mean)",
    "coach.caseload_p95": "Coaches: clients per coach (95th pct)",
    "coach.utilisation": "Coaches: meeting time used",
    "coach.hours_per_client_month": "Coaches: hours per client per month",
    "coach.first_meeting_working_days": "Coaches: working days to first meeting",
    "coach.first_meeting_on_time_share": "Coaches: first meetings on time",
    "coach.meetings_per_client_year": "Coaches: meetings per client per year",
    "coach.late_meeting_share": "Coaches: late meetings",
    "te.caseload_mean": "TE experts: clients per expert (mean)",
    "te.caseload_p95": "TE experts: clients per expert (95th pct)",
    "te.utilisation": "TE experts: meeting time used",
    "te.hours_per_client_month": "TE experts: hours per client per month",
    "te.first_meeting_working_days": "TE experts: working days to first meeting",
    "te.first_meeting_on_time_share": "TE experts: first meetings on time",
    "te.meetings_per_client_year": "TE experts: meetings per client per year",
    "te.late_meeting_share": "TE experts: late meetings",
    "kela.questions_per_day": "Kela questions per day",
    "kela.wait_minutes_mean": "Kela line: mean wait",
    "kela.answered_share": "Kela line: answered during the call",
    "kela.utilisation": "Kela line: contact persons' load",
    "kela.callbacks_per_day": "Kela line: callbacks per day",
    "kela.answer_hours_mean": "Kela line: time to answer",
    "exits.per_month": "Clients leaving per month",
}
