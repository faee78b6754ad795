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

Metric labels, daily column labels and unit names are not in the catalogs: they come from the
metric registry (:mod:`simkit.registry`), in every language it declares, through
:func:`metric_label`, :func:`daily_label` and :func:`unit_label`.
"""

from __future__ import annotations

import math
import os
import string
import tomllib
from functools import cache
from importlib import resources

from simkit.registry import lookup, unit_name

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
    return decimal_comma(text, language)


def decimal_comma(text: str, language: str | None = None) -> str:
    """A number written with a decimal point, as Finnish and Swedish write it (``0,5``); unchanged in English."""
    return text if (language or get_language()) == "en" else text.replace(".", ",")


def percent(share: float, decimals: int = 0, language: str | None = None) -> str:
    """A share (0–1) as a percentage for prose: ``74%`` in English, ``74 %`` in Finnish and Swedish."""
    language = language or get_language()
    text = f"{100 * share:.{decimals}f}"
    return f"{text}%" if language == "en" else f"{text.replace('.', ',')}\u00a0%"


def metric_label(name: str, language: str | None = None, with_unit: bool = False) -> str:
    """A short label of a metric or a daily column in the current language (from the registry);
    a name the registry does not know is its own label."""
    language = language or get_language()
    resolved = lookup(name)
    if resolved is None:
        return name
    label = resolved.label(language)
    return f"{label} ({unit_label(resolved.metric.unit, language)})" if with_unit and resolved.metric.unit else label


def unit_label(unit: str, language: str | None = None) -> str:
    """A unit in the current language (units are declared in English in the schema and registry)."""
    return unit_name(unit, language or get_language())


def daily_label(column: str, language: str | None = None) -> str:
    """A daily series column's label in the current language (:data:`simkit.registry.DAILY_COLUMNS`)."""
    return metric_label(column, language)


def lesson_text(key: str, language: str | None = None, **values) -> str:
    """A lesson's Markdown (``"01.question"`` is the catalog's ``lesson.01.question``)."""
    return t(f"lesson.{key}", language, **values)
