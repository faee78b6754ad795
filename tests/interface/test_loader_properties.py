"""Properties of the loader and of ``--set``: whatever TOML or override text comes in, the answer is
a valid scenario or a :class:`ScenarioError` whose problems are single lines naming where the value
came from, never another exception (and never a crash of the command: exit 0 or 2)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import tomlkit
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import SEINAJOKI
from simkit.cli import main
from simkit.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from simkit.scenario.schema import FIRST_DATE, LAST_DATE

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = sorted(f"{section}.{name}" for section, field in Scenario.model_fields.items()
              if hasattr(field.annotation, "model_fields") for name in field.annotation.model_fields)
TABLES = sorted({key.split(".")[0] for key in KEYS})

scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-3, max_value=400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=2),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(["2021", "nordic-2022", "pilot-2021", "te24", "lognormal", "exponential", "fixed", "everyone"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=13) | st.dictionaries(
    st.text(min_size=1, max_size=8), inner, max_size=3), max_leaves=16)
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(TABLES),
                 st.builds(lambda table, name: f"{table}.{name}", st.sampled_from(TABLES), st.text(min_size=1, max_size=8)))


def _nested(flat: dict) -> dict:
    data: dict = {}
    for key, value in flat.items():
        *tables, leaf = key.split(".")
        node = data
        for table in tables:
            node = node.setdefault(table, {}) if isinstance(node.get(table, {}), dict) else {}
        node[leaf] = value
    return data


def _toml(data: dict) -> str:
    try:
        return tomlkit.dumps(data)
    except Exception:  # a value tomlkit cannot write: not a case for the loader
        assume(False)
        raise


def _assert_clean(error: ScenarioError, source: str) -> None:
    assert error.problems, "a ScenarioError names at least one problem"
    for problem in error.problems:
        assert "\n" not in problem and "\r" not in problem, problem
        assert problem.startswith((source, "--set", "override", str(Path.cwd()))), problem  # cwd: a CSV it names
        assert "\x1b" not in problem and "\u202e" not in problem, problem


@SETTINGS
@given(st.dictionaries(keys, values, max_size=6))
def test_any_scenario_file_loads_or_gives_clean_lines(tmp_path_factory, flat):
    path: Path = tmp_path_factory.mktemp("any") / "scenario.toml"
    path.write_text(_toml(_nested(flat)), encoding="utf-8")
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        _assert_clean(error, str(path))
        return
    assert isinstance(scenario, Scenario)
    assert FIRST_DATE <= scenario.scenario.start_date <= LAST_DATE
    assert math.isfinite(scenario.inflow.per_week) and math.isfinite(scenario.spell.mean_days)
    assert type(scenario.coaches.count) is int and type(scenario.te.experts) is int


@SETTINGS
@given(st.dictionaries(keys, values, max_size=4))
def test_any_python_overrides_apply_or_give_clean_lines(overrides):
    try:
        scenario = scenario_from_dict({}, overrides, source="<test>")
    except ScenarioError as error:
        _assert_clean(error, "<test>")
        return
    assert isinstance(scenario, Scenario)


@SETTINGS
@given(st.lists(st.tuples(keys, st.text(max_size=40)), min_size=1, max_size=3))
def test_any_set_text_applies_or_gives_clean_lines(pairs):
    texts = [f"{key}={text}" for key, text in pairs]
    try:
        load_scenario(SEINAJOKI, texts)
    except ScenarioError as error:
        _assert_clean(error, str(SEINAJOKI))


@settings(max_examples=25, deadline=None)
@given(st.tuples(keys, st.text(max_size=30)))
def test_the_command_never_crashes_on_a_set(pair):
    key, text = pair
    result = CliRunner().invoke(main, ["validate", str(SEINAJOKI), "--set", f"{key}={text}"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1, result.stderr


def test_the_properties_can_fail():
    """The checks above see a bad line: a problem spanning two lines is caught."""
    try:
        _assert_clean(ScenarioError(["x.toml: a\nb"]), "x.toml")
    except AssertionError:
        return
    raise AssertionError("a two-line problem passed")
