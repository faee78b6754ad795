"""The README stays true: its metric and key tables cover the registry and the schema."""

from __future__ import annotations

import re

from conftest import ROOT

from simkit.metrics import METRICS
from simkit.scenario.schema import Scenario

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_metric_is_documented():
    documented = set(re.findall(r"^\| `([a-z_.*0-9]+)` \|", README, flags=re.MULTILINE))
    for metric in METRICS:
        pool_wildcard = metric.name.split(".")[0] + ".*"
        assert metric.name in documented or pool_wildcard in documented, metric.name


def test_every_scenario_key_is_documented():
    for section, field in Scenario.model_fields.items():
        keys = getattr(field.annotation, "model_fields", None)
        if keys is None:  # a list of tables, such as [[events]]
            assert f"[[{section}]]" in README, section
            continue
        for key in keys:
            assert f"| `{section}.{key}` |" in README, f"{section}.{key}"


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"^(apt-get update .*python -m pytest)$", README, flags=re.MULTILINE)
    assert len(commands) == 1
    assert commands[0] in CI.splitlines()
