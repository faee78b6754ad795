"""Calibrated scenarios meet the published figures they are calibrated to, each on its own date.

The targets are declared once, in the library (:mod:`simkit.analysis.calibration`), and shown
in docs/validation.md (from full-size runs). A full national replication takes about a minute
and a half on this machine, so the test runs the national scenario at 1/10 of its size
(:func:`calibration.scaled`: inflow, starting stock and staff scaled, shares and rates as they are;
4 replications) and divides its counts by the scale. Each calibrated scenario runs once per test
session (module-scoped) and every target reads from that run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import simkit
from simkit.analysis import calibration

SCALE = 0.1
REPLICATIONS = 4
CALIBRATED = sorted({target.scenario for target in calibration.TARGETS})


@pytest.fixture(scope="module")
def calibrated_runs() -> dict[str, simkit.Replications]:
    """Each calibrated scenario at 1/10 of its size, run once for the whole module (~1 min on 2 cores)."""
    return {path: simkit.replicate(calibration.scaled(calibration.load(path), SCALE), REPLICATIONS, workers=2)
            for path in CALIBRATED}


@pytest.mark.parametrize("target", calibration.TARGETS, ids=lambda t: f"{Path(t.scenario).stem}: {t.figure}")
def test_model_meets_the_published_figure_on_its_date(calibrated_runs, target):
    values = target.per_replication(calibrated_runs[target.scenario])
    assert len(values) == REPLICATIONS
    mean = float(values.mean()) / (SCALE if target.extensive else 1.0)
    assert target.within(mean), (
        f"{target.scenario}: {target.model} = {mean:,.3f} on {target.date}, published {target.value:,.3f} "
        f"± {target.tolerance:g}{'' if target.absolute else ' (relative)'} ({target.source})"
    )


def test_national_inputs_give_the_targets_by_arithmetic():
    """Before any simulation: the steady state of the national inputs gives every target.

    Fails at once (no simulation) when someone edits the national inputs without recalibrating.
    """
    scenario = calibration.load(calibration.NATIONAL)
    expected = calibration.national_arithmetic(scenario)
    assert expected["new_job_searches_october"] == pytest.approx(0.56 * 14_000, rel=0.01)
    assert expected["pilot_stock_31_7_2022"] == pytest.approx(233_792, rel=0.005)
    assert expected["pilot_stock_31_7_2023"] == pytest.approx(233_792, rel=0.005), "the stock drifts"
    assert scenario.inflow.initial_clients == pytest.approx(expected["initial_clients"], rel=0.005)
    assert expected["returns_october"] == pytest.approx(0.56 * (35_900 - 14_000), rel=0.03)
    tem = {"unemployed": 148_628, "in_service": 15_236, "in_education": 25_790, "employed": 37_500}
    for status, count in tem.items():
        assert expected[status] == pytest.approx(count / 233_792, abs=0.02), status


def test_the_national_scenario_runs_the_nordic_rules_from_its_start():
    """The Nordic model applied from 2.5.2022 [calibration.md §4]; the scenario starts 1.7.2022."""
    scenario = calibration.load(calibration.NATIONAL)
    assert scenario.scenario.start_date >= dt.date(2022, 5, 2)
    assert scenario.rules.meetings == "nordic-2022" and scenario.events == []


def test_national_scenario_keeps_the_keys_the_benchmark_uses():
    scenario = calibration.load(calibration.NATIONAL)
    assert scenario.scenario.name == "All pilot areas, 2022–2024"
    assert scenario.scenario.start_date.isoformat() == "2022-07-01"
    assert scenario.events == []  # the base file's 2021–2022 events must not leak into 2022–2024
    text = calibration.scenario_file(calibration.NATIONAL).read_text(encoding="utf-8")
    assert 'extends = "seinajoki-ilmajoki-2021.toml"' in text


def test_every_reference_names_a_bundled_scenario_and_a_reported_metric():
    metrics = simkit.simulate(simkit.with_overrides(
        calibration.load(calibration.SEINAJOKI), {"scenario.days": 30, "scenario.warmup_days": 0})).metrics
    table = pd.DataFrame([metrics])  # one replication, as Replications.per_replication has it
    for record in (*calibration.ASSUMPTION_RANGES, *calibration.CONTEXT):
        assert calibration.scenario_file(record.scenario).is_file(), record.scenario
        if record.per_replication is not None:
            assert len(record.per_replication(table)) == 1, record.figure
    for target in calibration.TARGETS:
        assert calibration.scenario_file(target.scenario).is_file(), target.scenario


def test_simulated_pilot_share_matches_the_arithmetic(calibrated_runs):
    """Attributes drawn as the arithmetic assumes (language and citizenship jointly)."""
    runs = calibrated_runs[calibration.NATIONAL]
    expected = calibration.national_arithmetic(calibration.load(calibration.NATIONAL))
    assert runs.metric("clients.share_pilot")[0] == pytest.approx(expected["share_pilot"], abs=0.005)


def test_the_status_mix_table_sets_the_model_beside_tem(calibrated_runs):
    table = calibration.status_mix_beside_tem(calibrated_runs[calibration.NATIONAL])
    assert list(table.index) == ["unemployed", "in_service", "in_education", "employed"]
    assert table["tem_july_2022"].sum() == 148_628 + 15_236 + 25_790 + 37_500
    assert table["model_share"].sum() == pytest.approx(1.0, abs=0.002)
    assert (abs(table["model_share"] - table["tem_share"]) <= 0.02).all()
