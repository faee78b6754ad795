"""The scenario library: every file validates, cites its sources, and tells its story.

Each training case is a teaching story (in ``scenario.description``); the tests here check that
the numbers a trainer will see really show that story, with a few quick replications.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import simkit
from conftest import ROOT, load_docs_generator

SCENARIOS = ROOT / "scenarios"
TRAINING = SCENARIOS / "training"
ALL_FILES = sorted(SCENARIOS.rglob("*.toml"))
TRAINING_FILES = sorted(TRAINING.glob("*.toml"))
# the files of the library whose every value line must cite docs/sources.md or say "assumption"
CITED_FILES = [SCENARIOS / "baseline-te-2020.toml", SCENARIOS / "national-pilot-2022.toml",
               *sorted(SCENARIOS.glob("te24-*.toml")), *TRAINING_FILES]
DOMAIN_SECTIONS = {"rules", "inflow", "clients", "spell", "coaches", "te", "meeting", "kela", "calendar"}
CITATION = re.compile(r"assumption|derived|\[\d|sources\.md|as the |as in |as after", re.IGNORECASE)


def _id(path: Path) -> str:
    return path.relative_to(SCENARIOS).as_posix()


def run(path: Path, replications: int = 3, overrides: dict | None = None) -> simkit.Replications:
    scenario = simkit.load_scenario(path, overrides or {})
    return simkit.replicate(scenario, replications, workers=2)


# -- the library as files ----------------------------------------------------------------------
def test_the_library_has_the_scenarios_of_issue_3():
    names = {_id(path) for path in ALL_FILES}
    assert {"baseline-te-2020.toml", "national-pilot-2022.toml", "seinajoki-ilmajoki-2021.toml",
            "te24-seinajoki-ilmajoki-isokyro-2025.toml"} <= names
    assert len(TRAINING_FILES) >= 4


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_every_scenario_file_validates(path):
    scenario = simkit.load_scenario(path)
    assert scenario.scenario.name and scenario.scenario.name != "Unnamed scenario"


@pytest.mark.parametrize("path", TRAINING_FILES, ids=_id)
def test_every_training_case_tells_a_story(path):
    scenario = simkit.load_scenario(path)
    description = scenario.scenario.description
    sentences = [s for s in re.split(r"(?<=[.!?:])\s+(?=[A-Z])", description.strip()) if len(s.split()) >= 4]
    assert len(sentences) >= 3, f"{path.name}: the description needs a story of at least three sentences"
    assert len(description) >= 300
    assert scenario.scenario.name.startswith("Training: ")
    assert scenario.scenario.days <= 366, "a training case simulates at most a year"
    assert scenario.inflow.initial_clients <= 10_000, "a training case is one municipality"


@pytest.mark.parametrize("path", CITED_FILES, ids=_id)
def test_every_value_cites_a_source_or_says_assumption(path):
    text = path.read_text(encoding="utf-8")
    assert "docs/sources.md" in text.split("[scenario]")[0], "the header must point to docs/sources.md"
    section, in_string = "", False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.count('"""') % 2 == 1:
            in_string = not in_string
            continue
        if in_string or not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            section = stripped.strip("[]")
            continue
        if section in DOMAIN_SECTIONS and "=" in stripped:
            comment = stripped.partition("#")[2]
            assert CITATION.search(comment), f"{path.name}:{number}: {stripped!r} cites no source and says no 'assumption'"


@pytest.mark.parametrize("path", CITED_FILES, ids=_id)
def test_library_files_do_not_inherit_the_base_files_events(path):
    """Events of 2021–2022 in the base file would apply from day 0 of a 2020 or 2025 run, and its
    services are sized for Seinäjoki–Ilmajoki in 2021."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    if "extends" in raw:
        assert "events" in raw, f"{path.name}: set events = [] or list its own events"
        assert "services" in raw, f"{path.name}: set services = [] or list its own services"


# -- each file runs and tells its story --------------------------------------------------------
def test_baseline_has_everyone_at_the_te_office():
    runs = run(SCENARIOS / "baseline-te-2020.toml", 2)
    assert runs.metric("clients.active_pilot")[0] == 0
    assert runs.metric("clients.active_te")[0] > 3000
    assert runs.metric("kela.questions_per_day")[0] == 0


def test_te24_area_has_no_te_office_and_room_in_the_diaries():
    """2025: about 130 job seekers per coach, about two in three of them unemployed (TEM's July 2022 mix),
    and only the unemployed owe the Nordic job-search conversations: about half of client time is used."""
    runs = run(SCENARIOS / "te24-seinajoki-ilmajoki-isokyro-2025.toml", 2, overrides={"scenario.days": 365})  # 2025
    assert runs.metric("clients.active_te")[0] == 0
    assert 4500 < runs.metric("clients.active_pilot")[0] < 6500  # ≈38,000 x 9 % x 1.57 [docs/sources.md §7, §1]
    assert 110 < runs.metric("coach.caseload_mean")[0] < 160  # ≈130 job seekers per coach [docs/sources.md §8]
    assert 0.6 < runs.metric("coach.caseload_unemployed_mean")[0] / runs.metric("coach.caseload_mean")[0] < 0.7
    assert 0.45 < runs.metric("coach.utilisation")[0] < 0.6


def test_understaffed_team_has_a_waiting_list_and_late_first_meetings():
    understaffed = run(TRAINING / "understaffed-coach-team.toml")
    planned = run(TRAINING / "understaffed-coach-team.toml", overrides={"coaches.count": 20})
    assert understaffed.metric("clients.waiting_for_coach")[0] > 300
    assert understaffed.metric("coach.first_meeting_on_time_share")[0] < 0.2
    assert understaffed.metric("coach.first_meeting_working_days")[0] > 20
    assert understaffed.metric("coach.utilisation")[0] < 0.9  # the line, not the diary, is the bottleneck
    assert planned.metric("clients.waiting_for_coach")[0] < 5
    assert planned.metric("coach.first_meeting_working_days")[0] < 10


def test_june_youth_surge_copes_in_spring_and_falls_behind_in_summer():
    windows = dict(load_docs_generator().youth_surge_windows(replications=3))
    spring, summer = windows["March–May"], windows["June–August"]
    assert summer.metric("clients.waiting_for_coach")[0] > spring.metric("clients.waiting_for_coach")[0] + 15
    assert spring.metric("coach.first_meeting_on_time_share")[0] > 0.9
    assert summer.metric("coach.first_meeting_on_time_share")[0] < spring.metric("coach.first_meeting_on_time_share")[0] - 0.2
    flat = run(TRAINING / "june-youth-surge.toml", overrides={"inflow.seasonality_under_30": [1.09] * 12})
    assert flat.metric("clients.waiting_for_coach")[0] < 5


def test_kela_line_is_overloaded_after_the_rule_change():
    after = run(TRAINING / "kela-line-after-rule-change.toml")
    before = run(TRAINING / "kela-line-after-rule-change.toml",
                 overrides={"kela.questions_per_client_month": 0.05, "kela.handle_minutes": 12.0})
    assert after.metric("kela.utilisation")[0] > 0.8
    assert after.metric("kela.answered_share")[0] < 0.3
    assert after.metric("kela.answer_hours_mean")[0] > 3
    assert before.metric("kela.answered_share")[0] > after.metric("kela.answered_share")[0] + 0.3
    assert before.metric("kela.answer_hours_mean")[0] < after.metric("kela.answer_hours_mean")[0] / 3
    assert after.metric("coach.first_meeting_on_time_share")[0] > 0.95  # only the line is the problem


def test_on_time_team_has_no_time_per_client():
    short = run(TRAINING / "on-time-but-no-time.toml")
    assert short.metric("coach.first_meeting_on_time_share")[0] > 0.9
    assert short.metric("coach.late_meeting_share")[0] < 0.03
    assert short.metric("coach.caseload_mean")[0] > 160
    assert short.metric("coach.utilisation")[0] > 0.8  # little slack
    assert short.scenario.meeting.minutes <= 30  # short conversations, by phone or video
    minutes_per_month = short.metric("coach.hours_per_client_month")[0] * 60
    assert minutes_per_month < 35
    real = run(TRAINING / "on-time-but-no-time.toml", overrides={"meeting.minutes": 45.0})
    assert real.metric("coach.late_meeting_share")[0] > 0.3  # the same team with real conversations falls behind
