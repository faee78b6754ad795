"""The scenario editor (notebook 05): schema-generated fields, validation, comment-preserving saves."""

from __future__ import annotations

import tomllib

import pytest

from simkit import ScenarioError, load_scenario, ui
from simkit.scenario import Scenario
from simkit.ui.editor import _holds_tables
from simkit.ui.editor import _is_section as k_is_table

BUNDLED = ui.scenario_path("seinajoki-ilmajoki-2021")


@pytest.fixture(autouse=True)
def english():
    ui.set_language("en")


def _leaf_keys(data: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, value in data.items():
        if isinstance(value, dict):
            keys |= _leaf_keys(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def test_schema_fields_cover_every_single_value_key_with_units_and_ranges():
    specs = {spec.key: spec for spec in ui.schema_fields()}
    dumped = Scenario().model_dump(mode="python")
    tables = {k: v for k, v in dumped.items() if isinstance(v, dict)}
    arrays_of_tables = {
        f"{section}.{name}" for section, field in Scenario.model_fields.items() if k_is_table(field.annotation)
        for name, inner in field.annotation.model_fields.items() if _holds_tables(inner.annotation)
    }
    assert set(specs) == _leaf_keys(tables) - arrays_of_tables
    assert all(key.split(".")[0] in tables for key in arrays_of_tables)
    assert specs["coaches.count"].label() == "coaches.count (persons, allowed 0–100000)"
    assert specs["clients.kela_benefit"].range_text() == "0–1"
    assert specs["spell.mean_days"].range_text() == "> 0, ≤ 36500"
    assert specs["rules.meetings"].range_text() == "2021 | nordic-2022 | he108-2026"
    assert specs["kela.open_hours"].range_text() == "[each 0–24]"
    ui.set_language("fi")
    assert specs["coaches.count"].label() == "coaches.count (henkilöä, sallittu 0–100000)"


def test_form_shows_the_files_values_and_finds_changes():
    form = ui.ScenarioForm(BUNDLED)
    scenario = load_scenario(BUNDLED)
    assert form.inputs["coaches.count"].value == scenario.coaches.count
    assert form.changes() == {}
    form.set("coaches.count", 24)
    form.set("kela.open_hours", "[7.0, 17.0]")
    changes = form.changes()
    assert {key: changes[key] for key in changes if key != "events"} == {"coaches.count": 24, "kela.open_hours": [7.0, 17.0]}
    assert "events" in changes  # the file's dated changes set the coaches too: shifted alike
    form.set("coaches.count", scenario.coaches.count)
    assert form.changes() == {"kela.open_hours": [7.0, 17.0]}


def test_validation_messages_name_key_value_and_rule():
    form = ui.ScenarioForm(BUNDLED)
    form.set("coaches.count", -3)
    form.set("kela.open_hours", "[16.0, 8.0]")
    problems = form.validate()
    assert problems == [
        "coaches.count = -3: input should be greater than or equal to 0",
        "kela.open_hours = [16.0, 8.0]: the first hour must be before the second, e.g. [8.0, 16.0]",
    ]
    assert "2 problem(s)" in form.messages.value and "coaches.count = -3" in form.messages.value
    form.set("coaches.count", 3)
    form.set("kela.open_hours", [8.0, 16.0])
    assert form.validate() == []
    assert ui.t("valid") in form.messages.value


def test_save_keeps_comments_and_layout_and_changes_only_edited_values(tmp_path):
    target = tmp_path / "mine.toml"
    changes = {"coaches.count": 24, "rules.meetings": "nordic-2022", "inflow.seasonality": [1.0] * 12}
    ui.save_scenario_as(BUNDLED, target, changes)
    original = BUNDLED.read_text(encoding="utf-8").splitlines()
    saved = target.read_text(encoding="utf-8").splitlines()
    assert len(saved) == len(original)
    differing = [(a, b) for a, b in zip(original, saved) if a != b]
    assert [b.split("=")[0].strip() for _, b in differing] == ["meetings", "seasonality", "count"]
    for before, after in differing:  # the source comment beside each value is kept
        assert "#" in before and before[before.index("#"):] == after[after.index("#"):]
    assert load_scenario(target) == load_scenario(BUNDLED, changes)


def test_save_adds_a_key_the_file_does_not_set(tmp_path):
    target = tmp_path / "mine.toml"
    ui.save_scenario_as(BUNDLED, target, {"calendar.sick_leave_share": 0.05})
    assert tomllib.loads(target.read_text(encoding="utf-8"))["calendar"]["sick_leave_share"] == 0.05
    assert load_scenario(target).calendar.sick_leave_share == 0.05


def test_save_never_overwrites_without_confirmation(tmp_path):
    target = tmp_path / "mine.toml"
    target.write_text("# someone's file\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        ui.save_scenario_as(BUNDLED, target, {"coaches.count": 24})
    assert target.read_text(encoding="utf-8") == "# someone's file\n"
    ui.save_scenario_as(BUNDLED, target, {"coaches.count": 24}, overwrite=True)
    assert load_scenario(target).coaches.count == 24
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]  # the atomic write left no temporary file


def test_invalid_scenario_writes_nothing(tmp_path):
    target = tmp_path / "bad.toml"
    with pytest.raises(ScenarioError):
        ui.save_scenario_as(BUNDLED, target, {"clients.under_30": 1.5})
    assert not target.exists()


def test_form_save_as_asks_for_confirmation_before_overwriting(tmp_path):
    form = ui.ScenarioForm(BUNDLED)
    form.set("coaches.count", 22)
    target = tmp_path / "copy.toml"
    assert form.save_as(target) == target
    assert form.overwrite.layout.display == "none"
    form.set("coaches.count", 23)
    assert form.save_as(target) is None  # exists: refused, and the confirmation box appears
    assert form.overwrite.layout.display == ""
    assert "exists already" in form.messages.value
    assert load_scenario(target).coaches.count == 22
    form.overwrite.value = True
    assert form.save_as(target, overwrite=form.overwrite.value) == target
    assert load_scenario(target).coaches.count == 23
    assert form.overwrite.value is False and form.overwrite.layout.display == "none"


def test_saving_a_file_that_extends_another_elsewhere_keeps_the_parent(tmp_path):
    national = ui.scenario_path("national-pilot-2022")
    target = tmp_path / "sub" / "national-copy.toml"
    ui.save_scenario_as(national, target, {"coaches.count": 1900})
    assert load_scenario(target) == load_scenario(national, {"coaches.count": 1900})


# -- where a save may go, and what it must keep ------------------------------------------------------------
def test_a_relative_save_stays_inside_the_save_folder(tmp_path, monkeypatch):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    for escape in ("../../x.toml", "my-scenarios/../x.toml", "../work-x.toml"):
        with pytest.raises(ScenarioError, match="saved inside my-scenarios/"):
            ui.save_scenario_as(BUNDLED, escape, {"coaches.count": 24})
    assert sorted(p.name for p in tmp_path.rglob("*.toml")) == []
    ui.save_scenario_as(BUNDLED, "my-scenarios/mine.toml", {"coaches.count": 24})
    assert load_scenario(tmp_path / "work" / "my-scenarios" / "mine.toml").coaches.count == 24


def test_a_bundled_scenario_is_never_overwritten(tmp_path):
    before = BUNDLED.read_bytes()
    for target in (BUNDLED, BUNDLED.parent / "user" / "new.toml"):
        with pytest.raises(ScenarioError, match="bundled scenarios are never overwritten"):
            ui.save_scenario_as(BUNDLED, target, {"coaches.count": 24}, overwrite=True)
    assert BUNDLED.read_bytes() == before and not (BUNDLED.parent / "user").exists()


def test_a_relative_caseload_path_is_rebased_to_the_new_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "caseload.csv").write_text("days_since_registration\n5\n40\n", encoding="utf-8")
    source = tmp_path / "a" / "today.toml"
    source.write_text(f'extends = "{BUNDLED}"\nevents = []\n[inflow]\ninitial_clients_csv = "caseload.csv"\n',
                      encoding="utf-8")
    target = tmp_path / "b" / "copy.toml"
    ui.save_scenario_as(source, target, {"coaches.count": 24})
    assert tomllib.loads(target.read_text(encoding="utf-8"))["inflow"]["initial_clients_csv"] == "../a/caseload.csv"
    saved, expected = load_scenario(target), load_scenario(source, {"coaches.count": 24})
    assert saved.inflow.initial_stock == expected.inflow.initial_stock and len(saved.inflow.initial_stock) == 2
    assert saved == expected.model_copy(update={"inflow": expected.inflow.model_copy(
        update={"initial_clients_csv": "../a/caseload.csv"})})


def test_an_optional_key_left_empty_under_extends_is_refused(tmp_path):
    (tmp_path / "parent.toml").write_text("[inflow]\nseasonality_under_30 = [2.0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
                                          encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "parent.toml"\n[inflow]\nseasonality_under_30 = [3.0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n',
                     encoding="utf-8")
    target = tmp_path / "copy.toml"
    with pytest.raises(ScenarioError, match="inflow.seasonality_under_30: cannot be left empty here"):
        ui.save_scenario_as(child, target, {"inflow.seasonality_under_30": None})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["child.toml", "parent.toml"]  # nothing written


def test_the_form_shows_a_write_error_and_escapes_html(tmp_path):
    source = tmp_path / "<b>area&co.toml"
    source.write_text(f'extends = "{BUNDLED}"\n', encoding="utf-8")
    form = ui.ScenarioForm(source, folder=tmp_path)
    header = form.widget.children[0].value if hasattr(form.widget, "children") else ""
    assert "&lt;b&gt;area&amp;co.toml" in header and "<b>area" not in header
    (tmp_path / "blocked").write_text("a file where a folder should be", encoding="utf-8")
    assert form.save_as(tmp_path / "blocked" / "copy.toml") is None
    assert "blocked" in form.messages.value and "color:#b00" in form.messages.value


def test_form_shifts_dated_changes_of_a_key_like_the_workbench(tmp_path):
    """24 coaches instead of 20 holds after the October 2021 event too (21 -> 25), as notebook 04's
    levers do; the event's comments and other settings stay as they are."""
    form = ui.ScenarioForm(BUNDLED)
    form.set("coaches.count", 24)
    target = form.save_as(tmp_path / "nordic-24.toml")
    saved, bundled = load_scenario(target), load_scenario(BUNDLED)
    assert saved.coaches.count == 24
    shifted = [event.changes.get("coaches.count") for event in saved.events]
    original = [event.changes.get("coaches.count") for event in bundled.events]
    assert shifted == [None if count is None else count + 4 for count in original] and shifted != original
    assert [event.changes.get("te.experts") for event in saved.events] == [e.changes.get("te.experts") for e in bundled.events]
    assert "[[events]]" in target.read_text(encoding="utf-8")  # written into the file's own tables
