"""The run summary for people (simkit.views.summary) and the terminal progress bar (simkit.views.progress)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from conftest import TerminalStream

from simkit.analysis.stats import summary_table
from simkit.registry import metric_unit
from simkit.views.progress import terminal_progress
from simkit.views.summary import AREAS, number, people_summary, replications_text

PER_REPLICATION = pd.DataFrame({
    "clients.active_pilot": [237_396.0, 236_100.0, 238_900.0],
    "clients.arrivals_per_day": [62_330.0, 62_400.0, 62_250.0],
    "coach.first_meeting_on_time_share": [0.07, 0.98, 0.6],
    "coach.caseload_mean": [150.0, 150.0, 150.0],
    "coach.youth.caseload_mean": [120.0, 121.0, 119.0],
    "te.late_meeting_share": [0.6612, 0.66, 0.662],
    "kela.wait_minutes_mean": [1.5, 1.98, 2.0],
    "kela.payment_delay_days_mean": [0.0, 0.0, 0.0],
    "statements.on_time_share": [1.0, 1.0, 1.0],
    "services.coaching.wait_days_mean": [3.0, 4.0, 5.0],
    "services.coaching.places_used_mean": [30.0, 31.0, 29.0],
    "te.caseload_mean": [float("nan")] * 3,  # a scenario without TE experts
    "staff.cost_eur": [1_234_000.0, 1_236_000.0, 1_235_000.0],
    "area.north.coach.caseload_mean": [110.0, 112.0, 111.0],
})


@pytest.fixture
def summary() -> pd.DataFrame:
    return summary_table(PER_REPLICATION, {name: metric_unit(name) for name in PER_REPLICATION})


def test_metrics_are_grouped_by_area_in_a_fixed_order(summary):
    text = people_summary(summary, "Area", 3, 2021, show_all=True)
    headings = [line for line in text.splitlines() if line and not line.startswith((" ", "(", "Area"))]
    titles = [titles["en"] for _, titles in AREAS]
    assert headings == [t for t in titles if t in headings] and headings[:4] == ["Clients", "Coaches", "TE office", "Kela line"]
    statements = text.split("\nStatements\n")[1].split("\n\n")[0]
    assert "Payment delay from late statements" in statements  # kela.payment_delay_days_mean reads as a statement's


def test_one_number_format_percent_for_shares_and_no_scientific_notation(summary):
    text = people_summary(summary, "Area", 3, 2021, show_all=True)
    assert not re.search(r"\de[+-]\d", text)
    assert "237,465" in text and "62,327" in text  # thousands separators, no decimals from 100 up
    assert "66.1%" in text and "0.6612" not in text
    assert re.search(r"Late meetings\s+66\.1%\s+\[", text)
    assert [number(x) for x in (0.0, 0.123, 12.34, 1234.5, float("nan"))] == ["0", "0.12", "12.3", "1,234", "–"]
    assert number(0.5, share=True) == "50.0%"


def test_notes_under_the_rows_that_need_one(summary):
    lines = people_summary(summary, "Area", 3, 2021).splitlines()
    on_time = lines.index(next(line for line in lines if "First meetings on time" in line))
    assert "⚠ on the edge: replications range from 7% to 98%" in lines[on_time + 1]
    caseload = next(i for i, line in enumerate(lines) if "Clients per coach (mean)" in line)
    assert "⚠" not in lines[caseload + 1]  # 150 in every replication (the cap): no word needed
    written = next(i for i, line in enumerate(lines) if "Written on time" in line)
    assert "⚠ all 3 replications gave the same value" in lines[written + 1]  # a share at 100 %: said


def test_headline_by_default_everything_with_all(summary):
    short = people_summary(summary, "Area", 3, 2021)
    full = people_summary(summary, "Area", 3, 2021, show_all=True)
    assert "youth: clients per coach (mean)" in full and "youth" not in short
    assert "Places in use" not in short and "coaching: places in use" in full
    assert short.splitlines()[-1] == "3 more metrics: simkit run ... --all"
    assert "more metrics" not in full
    assert "\nStaff and costs\n" in short and "1,235,000" in short
    assert "Clients per expert" not in full  # no value: the pool does not exist
    assert "\nAreas\n" in full and "north: clients per coach (mean)" in full


def test_singular_replication_and_languages(summary):
    assert replications_text(1) == "1 replication" and replications_text(1_000) == "1,000 replications"
    single = people_summary(summary_table(PER_REPLICATION.iloc[:1], {n: metric_unit(n) for n in PER_REPLICATION}),
                            "Area", 1, 7)
    assert single.splitlines()[:2] == ["Area: 1 replication, seed 7",
                                       "(one replication: no confidence intervals; run at least 3)"]
    assert "⚠" not in single
    finnish = people_summary(summary, "Alue", 3, 2021, language="fi")
    assert "Alue: 3 toistoa, siemenluku 2021" in finnish and "\nOmavalmentajat\n" in finnish
    assert "Ensitapaamiset ajallaan" in finnish
    swedish = people_summary(summary, "Område", 3, 2021, language="sv")
    assert "\nPersonliga coacher\n" in swedish and "på gränsen" in swedish


def test_progress_bar_only_at_a_terminal_and_names_what_it_counts():
    piped = io.StringIO()
    with terminal_progress(3, "area", "replications", piped) as bar:
        bar.update(3)
    assert piped.getvalue() == ""
    terminal = TerminalStream()
    bar = terminal_progress(10, "area", "days", terminal)
    bar.update(4)
    bar.refresh()
    shown = terminal.getvalue()
    bar.close()
    assert "4/10 days" in shown and "it/s" not in shown
