"""Calibrated scenarios stay within 5% of the published figures they are calibrated to.

The targets are declared once, in the library (:mod:`simkit.analysis.calibration`), and shown
in docs/validation.md. A national replication takes about 20 s, so each calibrated scenario runs
once per test session (module-scoped, 2 replications) and every target reads from that run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import simkit
from simkit.analysis import calibration

REPLICATIONS = 2
CALIBRATED = sorted({target.scenario for target in calibration.TARGETS})


@pytest.fixture(scope="module")
def calibrated_runs() -> dict[str, simkit.Replications]:
    """Each calibrated scenario, run once for the whole module (national: ~40 s on 2 cores)."""
    return {path: simkit.replicate(calibration.load(path), REPLICATIONS, workers=2) for path in CALIBRATED}


@pytest.mark.parametrize("target", calibration.TARGETS, ids=lambda t: f"{Path(t.scenario).stem}: {t.figure}")
def test_model_within_5_percent_of_published_figure(calibrated_runs, target):
    values = target.per_replication(calibrated_runs[target.scenario].per_replication)
    mean = float(values.mean())
    assert mean == pytest.approx(target.value, rel=calibration.TOLERANCE), (
        f"{target.scenario}: {target.model} = {mean:,.0f}, published {target.value:,.0f} ({target.source})"
    )


def test_national_inputs_give_the_targets_by_arithmetic():
    """Before any simulation: pilot share x inflow and Little's law reproduce the two figures.

    Fails at once (no simulation) when someone edits the national inputs without recalibrating.
    """
    expected = calibration.pilot_inflow_arithmetic(calibration.load(calibration.NATIONAL))
    assert expected["pilot_spells_per_month"] == pytest.approx(20_000, rel=0.01)
    assert expected["active_pilot"] == pytest.approx(233_792, rel=0.01)
    assert expected["initial_pilot"] == pytest.approx(233_792, rel=0.01)


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
    for record in (*calibration.TARGETS, *calibration.ASSUMPTION_RANGES, *calibration.CONTEXT):
        assert calibration.scenario_file(record.scenario).is_file(), record.scenario
        if record.per_replication is not None:
            assert len(record.per_replication(table)) == 1, record.figure


def test_simulated_pilot_share_matches_the_arithmetic(calibrated_runs):
    """The model draws attributes independently, as the calibration arithmetic assumes."""
    runs = calibrated_runs[calibration.NATIONAL]
    expected = calibration.pilot_inflow_arithmetic(runs.scenario)
    assert runs.metric("clients.share_pilot")[0] == pytest.approx(expected["share_pilot"], abs=0.005)
    assert runs.metric("clients.arrivals_per_day")[0] == pytest.approx(expected["arrivals_per_day"], rel=0.01)
