"""The planner's reports: one self-contained HTML page and an Excel workbook of a comparison or a plan.

:func:`comparison_report` (a variant against its base, paired by seed) and :func:`plan_report`
(the smallest staff meeting targets) build a :class:`Report`: tables, figures, the scenario with
its source files (their comments cite the sources), the seed and the code version. Its
:meth:`Report.html` embeds the figures as base64 PNG and needs no other file; its
:meth:`Report.workbook` holds the same tables, one sheet each, every text cell neutralised against
formula injection. :func:`write_report` writes either or both atomically.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import math
import platform
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import simkit
from simkit import plots
from simkit.analysis.stats import CONFIDENCE, interval_note
from simkit.i18n import get_language, metric_label, unit_label
from simkit.io import atomic_write_bytes, atomic_write_text, safe_cell
from simkit.planning import PlanResult
from simkit.registry import SHARE
from simkit.runner import Replications
from simkit.views.summary import HEADLINE, is_headline, number, replications_text

INTERVALS = ("95% confidence intervals of the mean over replications, inside each metric's range: shares by the "
             "Wilson interval with the effective sample size, other metrics on the log scale, paired changes by "
             "Student's t (docs/intervals.md). A note says when an interval needs a word.")


@dataclass(frozen=True)
class Report:
    """What a report shows: ``tables`` and ``figures`` (title -> PNG bytes) in order, ``facts`` about the
    run (seed, replications, code version) and the scenario's ``sources`` (file name -> text)."""

    title: str
    summary: str
    tables: dict[str, pd.DataFrame]
    figures: dict[str, bytes] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    scenario: dict = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def html(self) -> str:
        """One self-contained HTML page (figures inline, no external assets)."""
        parts = [f"<h1>{_esc(self.title)}</h1>", f"<p>{_esc(self.summary)}</p>", _facts_html(self.facts)]
        for title, png in self.figures.items():
            data = base64.b64encode(png).decode("ascii")
            parts.append(f"<figure><img alt=\"{_esc(title)}\" src=\"data:image/png;base64,{data}\">"
                         f"<figcaption>{_esc(title)}</figcaption></figure>")
        for title, table in self.tables.items():
            parts.append(f"<h2>{_esc(title)}</h2>{_table_html(table)}")
        parts.append("<h2>Scenario</h2><details><summary>All settings (JSON)</summary><pre>"
                     f"{_esc(json.dumps(self.scenario, ensure_ascii=False, indent=1, default=str))}</pre></details>")
        for name, text in self.sources.items():
            what = "The sources the scenario files cite" if name.endswith(".md") else \
                f"Scenario file {name} (its comments cite the sources)"
            parts.append(f"<details><summary>{_esc(what)}</summary><pre>{_esc(text)}</pre></details>")
        body = "\n".join(parts)
        return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_esc(self.title)}</title>"
                f"<style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")

    def workbook(self) -> bytes:
        """An Excel workbook (.xlsx): one sheet per table, then "Run" (the facts) and "Scenario"."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        book.remove(book.active)
        sheets = {**self.tables, "Run": pd.DataFrame({"": list(self.facts.values())}, index=list(self.facts)),
                  "Scenario": _flat_settings(self.scenario)}
        for title, table in sheets.items():
            sheet = book.create_sheet(_sheet_name(title))
            frame = table.reset_index()
            sheet.append([safe_cell(str(column)) for column in frame.columns])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in frame.itertuples(index=False):
                sheet.append([safe_cell(_excel_value(value)) for value in row])
            for column in sheet.columns:
                sheet.column_dimensions[column[0].column_letter].width = min(
                    60, max(10, *(len(str(cell.value or "")) + 2 for cell in column)))
            sheet.freeze_panes = "B2"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def comparison_report(base: Replications, variant: Replications, overrides: Mapping, source: str | Path | None = None,
                      metrics: Sequence[str] | None = None, language: str | None = None) -> Report:
    """A variant against its base (same seed, so paired): key results, both summaries, the paired
    changes, figures of the daily caseload and of the changes, the scenario and its sources."""
    language = language or get_language()
    changes = variant.compare(base)
    shown = list(metrics) if metrics else [name for name in HEADLINE if name in changes.index]
    described = ", ".join(f"{key}={value}" for key, value in overrides.items() if key != "events") or "the base"
    key_results = pd.DataFrame({
        "metric": shown,
        "base": [_mean_ci(base.summary.loc[name]) for name in shown],
        "variant": [_mean_ci(variant.summary.loc[name]) for name in shown],
        "change": [_mean_ci(changes.loc[name], signed=True) for name in shown],
        "unit": [unit_label(changes.loc[name, "unit"], language) for name in shown],
        "note": [interval_note(variant.summary.loc[name], language) for name in shown],
    }, index=[metric_label(name, language) for name in shown])
    daily = {"Base": base.daily, "Variant": variant.daily}
    figures = {
        "Clients per coach, day by day: base and variant (95% band)": _png(plots.daily_band(daily, "coach_caseload_mean")),
        "Clients waiting for a coach, day by day (95% band)": _png(plots.daily_band(daily, "waiting_for_coach")),
    }
    figures["Change from the base, in percent of the base (paired, 95% CI)"] = _png(
        plots.comparison_bars(changes, shown, title=f"{described} against the base"))
    return Report(
        title=f"{base.scenario.name}: {described}",
        summary=(f"The variant ({described}) against the base, {replications_text(len(base.results))} each with "
                 f"seed {base.seed}: replication r of both sees the same clients, so each change is paired. "
                 f"{INTERVALS}"),
        tables={"Key results": key_results, "Base": _summary(base.summary, language),
                "Variant": _summary(variant.summary, language), "Changes (variant - base)": _summary(changes, language)},
        figures=figures, facts=_facts(base, {"variant": described}), scenario=base.scenario.model_dump(mode="json"),
        sources=scenario_sources(source),
    )


def plan_report(result: PlanResult, source: str | Path | None = None, language: str | None = None) -> Report:
    """The smallest staff meeting every target: the levels evaluated and their verdicts, a figure
    of each target's metric against the staff, the summary at the answer, the scenario and sources."""
    language = language or get_language()
    trace = pd.DataFrame([
        {"level": step.value, "replications": step.replications, "target": str(check.target),
         "mean": check.mean, "ci_low": check.ci_low, "ci_high": check.ci_high, "verdict": check.verdict.value}
        for step in result.trace for check in step.checks
    ])
    figures = {}
    for target in result.targets:
        rows = trace[trace["target"] == str(target)].drop_duplicates("level", keep="last")
        figures[f"{metric_label(target.metric, language)} against {result.vary}"] = _png(plots.curve_with_ci(
            rows, "level", title=str(target), xlabel=result.vary, ylabel=metric_label(target.metric, language, True),
            target=target.bound, target_label=str(target), highlight=result.value,
            highlight_label=f"smallest: {result.value}" if result.value is not None else ""))
    answer = (f"the smallest {result.vary} meeting every target is {result.value}" if result.value is not None
              else f"no {result.vary} in {result.lowest}-{result.highest} meets every target")
    tables = {"Levels evaluated": trace.set_index("level")}
    if result.runs is not None:
        tables[f"Every metric at {result.vary} = {result.value}"] = _summary(result.runs.summary, language)
    runs = result.runs
    return Report(
        title=f"Plan: {result.vary} for {', '.join(str(target) for target in result.targets)}",
        summary=(f"Targets {', '.join(str(t) for t in result.targets)} at {result.confidence:.0%} confidence: {answer}. "
                 f"A target is met when its whole interval is on the right side. {INTERVALS}"),
        tables=tables, figures=figures,
        facts=_facts(runs, {"searched": f"{result.lowest}-{result.highest}"}) if runs else {},
        scenario=runs.scenario.model_dump(mode="json") if runs else {}, sources=scenario_sources(source),
    )


def write_report(report: Report, html_path: str | Path | None = None, xlsx_path: str | Path | None = None) -> list[Path]:
    """Write the HTML page and/or the workbook, each atomically; returns the paths written."""
    written = []
    if html_path is not None:
        atomic_write_text(html_path, report.html())
        written.append(Path(html_path))
    if xlsx_path is not None:
        atomic_write_bytes(xlsx_path, report.workbook())
        written.append(Path(xlsx_path))
    return written


_EXTENDS = re.compile(r'^\s*extends\s*=\s*"([^"]+)"', re.MULTILINE)


SOURCES_DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "sources.md"  # in a source tree, not a wheel


def scenario_sources(path: str | Path | None) -> dict[str, str]:
    """The text of a scenario file and of each file it extends, by name (the comments cite sources),
    and docs/sources.md, which the comments cite, when the source tree holds it."""
    sources: dict[str, str] = {}
    while path is not None and Path(path).is_file() and Path(path).name not in sources:
        text = Path(path).read_text(encoding="utf-8")
        sources[Path(path).name] = text
        parent = _EXTENDS.search(text)
        path = Path(path).parent / parent.group(1) if parent else None
    if any("docs/sources.md" in text for text in sources.values()) and SOURCES_DOCUMENT.is_file():
        sources["docs/sources.md"] = SOURCES_DOCUMENT.read_text(encoding="utf-8")
    return sources


# -- helpers ----------------------------------------------------------------------------------
def _facts(runs: Replications, extra: Mapping[str, str]) -> dict[str, str]:
    from simkit.store import model_fingerprint

    return {
        "scenario": runs.scenario.name, "scenario hash": runs.scenario.content_hash(), **extra,
        "seed": str(runs.seed), "replications": replications_text(len(runs.results)),
        "confidence": f"{CONFIDENCE:.0%}", "simkit version": simkit.__version__,
        "model fingerprint": model_fingerprint(), "python": platform.python_version(),
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _mean_ci(row: pd.Series, signed: bool = False) -> str:
    share = row["unit"] == SHARE
    text = number(row["mean"], share)
    text = f"+{text}" if signed and row["mean"] > 0 else text
    if pd.isna(row["ci_low"]):
        return text
    return f"{text} [{number(row['ci_low'], share)} – {number(row['ci_high'], share)}]"


def _summary(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """A summary or changes table for people: label first, the headline metrics first."""
    order = sorted(table.index, key=lambda name: not is_headline(name))
    shown = table.loc[order].copy()
    shown.insert(0, "label", [metric_label(name, language) for name in order])
    shown["note"] = [interval_note(row, language) for _, row in shown.iterrows()]
    return shown.drop(columns=["flags", "precision"], errors="ignore")


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _table_html(table: pd.DataFrame) -> str:
    """A table as HTML in one number format; a summary's mean and interval as one column, shares in %."""
    if {"mean", "ci_low", "ci_high", "unit"} <= set(table.columns):
        readable = table.drop(columns=["mean", "ci_low", "ci_high", "std", "min", "max"], errors="ignore")
        readable.insert(1 if "label" in table else 0, "mean [95% CI]",
                        [_mean_ci(row, signed="base_mean" in table) for _, row in table.iterrows()])
        if "base_mean" in table:
            readable["base_mean"] = [number(row["base_mean"], row["unit"] == SHARE) for _, row in table.iterrows()]
        table = readable
    return table.to_html(escape=True, na_rep="–", float_format=number, border=0)


def _facts_html(facts: Mapping[str, str]) -> str:
    rows = "".join(f"<tr><th>{_esc(key)}</th><td>{_esc(value)}</td></tr>" for key, value in facts.items())
    return f"<table class=\"facts\">{rows}</table>"


def _flat_settings(data: Mapping, prefix: str = "") -> pd.DataFrame:
    """Settings as rows ``key`` -> ``value`` (dotted keys; lists as JSON)."""
    rows = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            rows |= _flat_settings(value, f"{prefix}{key}.")["value"].to_dict()
        else:
            rows[f"{prefix}{key}"] = value if isinstance(value, int | float | str | bool) or value is None \
                else json.dumps(value, ensure_ascii=False, default=str)
    return pd.DataFrame({"value": list(rows.values())}, index=pd.Index(list(rows), name="key"))


def _excel_value(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]



_CSS = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{padding:.25em .6em;text-align:right;"
        "border-bottom:1px solid #ddd}th:first-child,td:first-child{text-align:left}"
        "table.facts td{text-align:left}figure{margin:1em 0}img{max-width:100%}pre{white-space:pre-wrap;"
        "font-size:.8em;background:#f6f6f6;padding:1em}")
