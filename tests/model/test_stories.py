"""The stories: every number a bundled scenario's description states is an [[expect]] claim, checked
against a run (a few replications), so that a story cannot drift from the model again."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import simkit
from simkit.analysis.stories import check_claims

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = "national-pilot-2022.toml"  # stated as calibration targets (docs/validation.md), too big to run here


def _one_area(path: Path) -> bool:
    """Not a multi-area file ([[areas]]: national totals, checked by tests/model/test_bundled_areas.py)."""
    with path.open("rb") as handle:
        return "areas" not in tomllib.load(handle)


FILES = sorted(path for path in (ROOT / "scenarios").rglob("*.toml") if path.name != NATIONAL and _one_area(path))
REPLICATIONS = 3


@pytest.mark.parametrize("path", FILES, ids=[path.relative_to(ROOT / "scenarios").as_posix() for path in FILES])
def test_the_story_holds(path):
    scenario = simkit.load_scenario(path)
    assert scenario.expect, f"{path.name}: the story states no claims ([[expect]])"
    failed = [str(check) for check in check_claims(scenario, REPLICATIONS) if not check.holds]
    assert not failed, "\n".join(failed)


def test_a_claim_that_does_not_hold_fails(small):
    scenario = simkit.with_overrides(small, {"expect": [
        {"claim": "nobody waits", "metric": "clients.waiting_for_coach", "below": 1.0},
        {"claim": "first meetings late", "metric": "coach.first_meeting_on_time_share", "below": 0.5},
        {"claim": "in March all on time", "metric": "coach.first_meeting_on_time_share", "above": 0.99,
         "first_date": "2021-03-01", "last_date": "2021-03-31"}]})
    checks = check_claims(scenario, replications=1)
    assert [check.holds for check in checks] == [True, False, True]
    assert "'first meetings late': coach.first_meeting_on_time_share = 1, expected below 0.5" == str(checks[1])


def test_a_claim_needs_a_bound(small):
    with pytest.raises(simkit.ScenarioError, match=r"expect\[0\]: a claim needs above, below or both"):
        simkit.with_overrides(small, {"expect": [{"claim": "x", "metric": "coach.utilisation"}]})
