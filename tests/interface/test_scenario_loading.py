"""Scenario files: validation messages, extends, dotted overrides."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import simkit
from conftest import ROOT, SEINAJOKI
from simkit.scenario import ScenarioError, load_scenario, parse_override, scenario_from_dict, with_overrides

# (TOML text, fragments that the one-line message must contain). Every message also names the file.
BROKEN = [
    ("[coaches]\ncount = -3", ["coaches.count = -3", "greater than or equal to 0"]),
    ("[coaches]\ncont = 3", ["unknown key coaches.cont", "did you mean coaches.count?"]),
    ("[coachs]\ncount = 3", ["unknown key coachs", "did you mean coaches?"]),
    ("[te]\nexperts = -1", ["te.experts = -1", "greater than or equal to 0"]),
    ("[te]\nexpert = 4", ["unknown key te.expert", "did you mean te.experts?"]),
    ("[clients]\nunder_30 = 1.5", ["clients.under_30 = 1.5", "less than or equal to 1"]),
    ("[clients]\nkela_benefit = -0.1", ["clients.kela_benefit = -0.1", "greater than or equal to 0"]),
    ("[clients]\nforeign_language = \"many\"", ["clients.foreign_language = \"many\"", "valid number"]),
    ("[clients]\nkela_benefit = 0.95\nno_benefit = 0.1", ["clients", "kela_benefit + no_benefit = 1.05, at most 1"]),
    ("[clients]\nforeign_citizen = 0.1\nforeign_language_and_citizen = 0.2", ["clients", "is more than"]),
    ("[status]\nservice_per_month = 0.1\n[[services]]\nname = \"trial\"\nplaces = 5\nduration_days = 30",
     ["status.service_per_month must be 0", "[[services]]"]),
    ("[status]\neducation_months = 0", ["status.education_months = 0", "greater than 0"]),
    ("[inflow]\nseasonality = [1.0, 1.0, 1.0]", ["inflow.seasonality", "at least 12 items"]),
    ("[inflow]\nseasonality = [" + ", ".join(["1.0"] * 13) + "]", ["inflow.seasonality", "at most 12 items"]),
    ("[inflow]\nseasonality = [" + ", ".join(["1.0"] * 11) + ", -2.0]", ["inflow.seasonality[11] = -2.0"]),
    ("[inflow]\nper_week = -5", ["inflow.per_week = -5", "greater than or equal to 0"]),
    ("[inflow]\ninitial_clients = 2.5", ["inflow.initial_clients = 2.5", "integer"]),
    ("[spell]\ndistribution = \"weibull\"", ["spell.distribution = \"weibull\"", "'exponential' or 'lognormal'"]),
    ("[spell]\nmean_days = 0", ["spell.mean_days = 0", "greater than 0"]),
    ("[rules]\npilot = \"pilot-2030\"", ["rules.pilot = \"pilot-2030\"", "'te-only', 'pilot-2021' or 'te24'"]),
    ("[rules]\nmeetings = \"nordic\"", ["rules.meetings = \"nordic\"", "'2021', 'nordic-2022' or 'he108-2026'"]),
    ("[kela]\nopen_hours = [16.0, 8.0]", ["kela.open_hours = [16.0, 8.0]", "first hour must be before the second"]),
    ("[kela]\nopen_hours = [8.0, 25.0]", ["kela.open_hours[1] = 25.0", "less than or equal to 24"]),
    ("[kela]\ncontact_persons = 0", ["kela.contact_persons = 0", "greater than or equal to 1"]),
    ("[kela]\nhandle_distribution = \"gamma\"", ["kela.handle_distribution = \"gamma\"", "'fixed'"]),
    ("[kela]\npatience_minutes = -1.0", ["kela.patience_minutes = -1.0", "greater than 0"]),
    ("[scenario]\nstart_date = \"March\"", ["scenario.start_date = \"March\"", "date"]),
    ("[scenario]\ndays = 0", ["scenario.days = 0", "greater than or equal to 1"]),
    ("[meeting]\nminutes = 0", ["meeting.minutes = 0", "greater than 0"]),
    ("coaches = 5", ["coaches = 5", "valid dictionary"]),
    ("[coaches\ncount = 5", ["not valid TOML", "line 1"]),
    ("unknown_section = 1", ["unknown key unknown_section", "the top level allows"]),
]


@pytest.mark.parametrize("text, fragments", BROKEN, ids=[text.splitlines()[-1][:40] for text, _ in BROKEN])
def test_broken_scenario_gets_one_clear_message(tmp_path, text, fragments):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    message = str(raised.value)
    assert len(raised.value.problems) == 1, message
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message


def test_several_problems_are_all_reported(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text("[coaches]\ncount = -1\n[kela]\ncontact_persons = 0\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert len(raised.value.problems) == 2


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path / "absent.toml")


def test_extends_inherits_and_overrides(tmp_path):
    (tmp_path / "base.toml").write_text("[coaches]\ncount = 12\ncaseload_cap = 90\n[kela]\ncontact_persons = 2\n")
    (tmp_path / "child.toml").write_text('extends = "base.toml"\n[coaches]\ncount = 15\n')
    scenario = load_scenario(tmp_path / "child.toml")
    assert scenario.coaches.count == 15
    assert scenario.coaches.caseload_cap == 90
    assert scenario.kela.contact_persons == 2


def test_error_in_inherited_value_names_the_file_that_set_it(tmp_path):
    (tmp_path / "base.toml").write_text("[clients]\nunder_30 = 2.0\n")
    (tmp_path / "child.toml").write_text('extends = "base.toml"\n[coaches]\ncount = 15\n')
    with pytest.raises(ScenarioError) as raised:
        load_scenario(tmp_path / "child.toml")
    assert str(raised.value).startswith(str(tmp_path / "base.toml"))


def test_extends_cycle_is_reported(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.toml")


def test_bundled_national_scenario_extends_seinajoki():
    national = load_scenario(ROOT / "scenarios" / "national-pilot-2022.toml")
    assert national.coaches.count == 1800
    assert national.meeting.minutes == 45  # inherited


@pytest.mark.parametrize("text, key, value", [
    ("coaches.count=25", "coaches.count", 25),
    ("kela.open_hours=[0.0,24.0]", "kela.open_hours", [0.0, 24.0]),
    ("spell.distribution=exponential", "spell.distribution", "exponential"),
    ('spell.distribution="lognormal"', "spell.distribution", "lognormal"),
    ("kela.patience_minutes=inf", "kela.patience_minutes", math.inf),
    ("scenario.start_date=2022-05-02", "scenario.start_date", dt.date(2022, 5, 2)),
])
def test_override_values_are_read_as_toml(text, key, value):
    assert parse_override(text) == (key, value)


def test_cli_style_overrides_are_validated(seinajoki):
    changed = load_scenario(SEINAJOKI, ["coaches.count=25", "kela.open_hours=[0.0,24.0]"])
    assert changed.coaches.count == 25 and changed.kela.open_hours == (0.0, 24.0)
    with pytest.raises(ScenarioError, match=r"--set coaches.count=-2: coaches.count = -2"):
        with_overrides(seinajoki, ["coaches.count=-2"])
    with pytest.raises(ScenarioError, match=r"unknown key kela.contact_person \(did you mean kela.contact_persons\?\)"):
        with_overrides(seinajoki, ["kela.contact_person=2"])
    with pytest.raises(ScenarioError, match="expected KEY=VALUE"):
        with_overrides(seinajoki, ["coaches.count"])


def test_overrides_do_not_change_the_original(seinajoki):
    changed = with_overrides(seinajoki, {"coaches.count": 3})
    assert changed.coaches.count == 3 and seinajoki.coaches.count == 20
    assert changed.content_hash() != seinajoki.content_hash()
    assert with_overrides(seinajoki, {}).content_hash() == seinajoki.content_hash()


def test_scenario_is_immutable(seinajoki):
    with pytest.raises(Exception):
        seinajoki.coaches.count = 3


def test_defaults_validate():
    assert scenario_from_dict({}).rules.pilot == "pilot-2021"


def test_every_bundled_scenario_validates():
    for path in (ROOT / "scenarios").rglob("*.toml"):
        assert isinstance(simkit.load_scenario(path), simkit.Scenario)


def test_a_resolved_scenario_round_trips_through_toml(tmp_path, seinajoki):
    import tomlkit

    path = tmp_path / "resolved.toml"
    path.write_text(tomlkit.dumps(seinajoki.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    assert load_scenario(path).content_hash() == seinajoki.content_hash()


def test_value_reads_a_dotted_key(seinajoki):
    assert seinajoki.value("coaches.count") == seinajoki.coaches.count
    assert seinajoki.value("kela.open_hours") == (8.0, 16.0)
    with pytest.raises(AttributeError):
        seinajoki.value("coaches.cont")
