"""The metric registry (simkit.registry): one declaration per reported number, read by every view."""

from __future__ import annotations

import ast
import inspect

import pytest
from conftest import SEINAJOKI

import simkit
from simkit import i18n, metric_declaration, registry


@pytest.fixture(scope="module")
def small_run() -> simkit.Result:
    """Two months of the bundled area: services, Kela question types and both pools."""
    scenario = simkit.with_overrides(simkit.load_scenario(SEINAJOKI), {"scenario.days": 60, "scenario.warmup_days": 0})
    return simkit.simulate(scenario)


def _simkit_imports(module) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return {name for name in imported if name and name.startswith("simkit")}


def test_the_registry_is_a_leaf_module():
    """The registry reads only its declaration module (Metric, the units' names), which imports nothing of simkit."""
    assert _simkit_imports(registry) <= {"simkit.metric_declaration"}
    assert not _simkit_imports(metric_declaration)


def test_i18n_reads_metric_labels_only_from_the_registry():
    source = inspect.getsource(i18n)
    assert "simkit.metrics" not in source
    for copy in ("METRIC_EN", "DAILY_LABELS", "UNITS_FI"):
        assert not hasattr(i18n, copy), copy
    assert not hasattr(simkit.metrics, "DAILY_COLUMNS_UNITS")


def test_every_summary_metric_of_a_run_is_declared(small_run):
    for name in small_run.metrics:
        assert registry.lookup(name) is not None, name
    for column in small_run.daily.columns.difference(["date", "day", "in_window"]):
        assert registry.lookup(column) is not None, column


@pytest.mark.parametrize(("name", "declared", "qualifier"), [
    ("coach.caseload_mean", "coach.caseload_mean", ""),
    ("coach.youth.caseload_mean", "coach.caseload_mean", "youth"),
    ("kela.benefits.wait_minutes_mean", "kela.wait_minutes_mean", "benefits"),
    ("services.coaching.queue_mean", "queue_mean", "coaching"),
    ("coach_youth_caseload_mean", "coach_caseload_mean", "youth"),
    ("coach_meetings", "coach_meetings", ""),
])
def test_derived_names_resolve_to_their_declaration(name, declared, qualifier):
    resolved = registry.lookup(name)
    assert (resolved.metric.name, resolved.qualifier) == (declared, qualifier)


def test_unknown_names_are_not_guessed():
    assert registry.lookup("coach.caseload_median") is None
    assert registry.lookup("services.coaching.nothing") is None
    with pytest.raises(KeyError, match="no metric"):
        registry.metric_unit("coach.nothing")
    assert i18n.metric_label("coach.nothing") == "coach.nothing"


def test_shares_and_their_bounds():
    assert registry.is_share("coach.first_meeting_on_time_share")
    assert registry.is_share("kela.benefits.answered_share")
    assert not registry.is_share("kela.wait_minutes_mean")
    assert registry.METRIC_BY_NAME["kela.utilisation"].bounds == (0.0, 1.0)
    assert registry.METRIC_BY_NAME["kela.wait_minutes_mean"].bounds[0] == 0.0


def test_labels_name_the_group_and_the_qualifier_in_each_language():
    assert i18n.metric_label("kela.benefits.wait_minutes_mean", "en") == "Kela line (benefits): mean wait"
    assert i18n.metric_label("services.coaching.queue_mean", "fi") == "Palvelu (coaching): paikkaa jonottavat"
    assert i18n.metric_label("te.caseload_mean", "sv", with_unit=True) == (
        "Sakkunniga vid TE-byrån: kunder per sakkunnig (medelvärde) (kunder per person)")
    assert i18n.daily_label("waiting_for_coach", "sv") == "Väntar på en personlig coach"
