"""The functions behind the notebook widgets (simkit.ui): the same calls the widgets' callbacks make."""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import simkit
from simkit import i18n, registry, ui
from simkit.ui import lessons

BUNDLED = ui.scenario_path("seinajoki-ilmajoki-2021")


pytestmark = pytest.mark.usefixtures("english_and_no_figures")


@pytest.fixture(scope="module")
def scenario():
    return ui.load("seinajoki-ilmajoki-2021", ui.FIRST_YEAR)


# -- language -------------------------------------------------------------------------------------
def test_set_language_switches_labels_and_lessons():
    assert ui.t("coaches") == "Coaches"
    assert ui.set_language("FI") == "fi"
    assert ui.get_language() == "fi"
    assert ui.t("coaches") == "Omavalmentajia"
    assert "Kysymys" in i18n.lesson_text("01.question")
    assert ui.set_language("sv") == "sv" and ui.t("coaches") == "Coacher"
    assert "Fråga" in i18n.lesson_text("01.question")
    ui.set_language("fi")
    with pytest.raises(ValueError, match="language"):
        ui.set_language("de")
    assert ui.get_language() == "fi"


def test_every_metric_and_daily_column_has_a_label_in_each_language_from_the_registry():
    for metric in (*registry.METRICS, *registry.DAILY_COLUMNS):
        labels = [ui.metric_label(metric.name, language) for language in registry.LANGUAGES]
        assert all(label and label != metric.name for label in labels), metric.name
        assert len(set(labels)) == len(labels), f"{metric.name}: a label left untranslated: {labels}"
        assert labels[1] == metric.label_fi
    assert i18n.metric_label("coach.caseload_mean", "fi") != i18n.metric_label("te.caseload_mean", "fi")
    assert i18n.metric_label("coach.youth.caseload_mean", "sv") == "Personliga coacher (youth): kunder per coach (medelvärde)"


def test_every_unit_has_a_name_in_each_language():
    for unit, names in registry.UNITS.items():
        assert set(names) == set(registry.LANGUAGES), unit
    assert ui.metric_label("coach.utilisation", "fi", with_unit=True).endswith("(osuus)")
    units = {metric.unit for metric in (*registry.METRICS, *registry.SERVICE_METRICS, *registry.DAILY_COLUMNS)}
    assert units <= set(registry.UNITS), units - set(registry.UNITS)


# -- 01: the pilot rule ---------------------------------------------------------------------------
@pytest.mark.parametrize("values", list(itertools.product([False, True], repeat=6)))
def test_classify_client_follows_the_rule(values):
    resides, kela, none, young, language, citizen = values
    verdict = ui.classify_client(resides, kela, none, young, language, citizen)
    assert verdict.pilot == (resides and (kela or none or young or language or citizen))
    assert verdict.pilot == bool(simkit.eligible_for_pilot(*values))
    if verdict.pilot:
        assert set(verdict.reasons) == {name for name, v in zip(
            ["kela_benefit", "no_benefit", "under_30", "foreign_language", "foreign_citizen"], values[1:]) if v}


def test_verdict_texts_say_why():
    assert "under 30" in ui.classify_client(under_30=True).text()
    assert "outside the pilot" in ui.classify_client(resides_in_pilot_area=False, under_30=True).text()
    assert "over 30" in ui.classify_client().text()


def test_client_builder_callback_updates_the_verdict():
    box = ui.client_builder()
    checkboxes, verdict = box.children[:-1], box.children[-1]
    assert "TE office client" in verdict.value
    under_30 = next(c for c in checkboxes if c.description == ui.t("attr.under_30"))
    under_30.value = True
    assert "Pilot client" in verdict.value
    resides = next(c for c in checkboxes if c.description == ui.t("attr.resides_in_pilot_area"))
    resides.value = False
    assert "TE office client" in verdict.value and "outside" in verdict.value


def test_pilot_share_table_matches_the_rule_probability(scenario):
    table = ui.pilot_share_table(scenario)
    c = scenario.clients
    expected = c.resides_in_pilot_area * (1 - (1 - c.kela_benefit - c.no_benefit) * (1 - c.under_30)
                                          * (1 - (c.foreign_language + c.foreign_citizen - c.foreign_both)))
    assert table.iloc[-1, 0] == pytest.approx(100 * expected, abs=0.5)


# -- 02/03: sweeps, Erlang C ----------------------------------------------------------------------
def test_first_meetings_table_and_explorer(scenario, monkeypatch):
    table = ui.first_meetings_by_coaches(scenario, [12, 24], replications=2, seed=7, progress=False)
    assert list(table["coaches.count"]) == [12, 24, 12, 24]
    nordic = table[table["rules"] == ui.t("rules_nordic-2022")].set_index("coaches.count")["mean"]
    old = table[table["rules"] == ui.t("rules_2021")].set_index("coaches.count")["mean"]
    assert old[24] > old[12] and old[24] >= nordic[24]
    shown = []
    monkeypatch.setattr(lessons, "display", shown.append)  # what the explorer's output area would show
    explorer = ui.first_meetings_explorer(table)
    slider = explorer.children[0]
    assert slider.value == 24 and len(shown) == 1
    slider.value = 12  # what a user does; the slider's observer redraws the numbers and the figure
    assert len(shown) == 2
    pd.testing.assert_frame_equal(shown[-1], ui.selected_point(table, 12))
    assert list(shown[-1].iloc[:, 0]) == list((100 * table[table["coaches.count"] == 12]["mean"]).round(1))
    assert ui.t("selected", n=12) in plt.gcf().axes[0].get_legend_handles_labels()[1]


def test_erlang_c_wait_matches_mm1_closed_form():
    # M/M/1: Wq = rho / (mu - lambda); 3 calls an hour, 12 minutes each: rho 0.6, Wq = 0.6 / (5 - 3) h = 18 min
    assert ui.erlang_c_wait_minutes(1, 3.0, 12.0) == pytest.approx(18.0)
    assert math.isinf(ui.erlang_c_wait_minutes(1, 5.0, 12.0))


@pytest.mark.parametrize("per_day", [5, 40, 200, 1000])
def test_contact_persons_needed_is_the_fewest_meeting_the_target(per_day):
    needed = ui.contact_persons_needed(per_day, 12, 2, open_hours_per_day=8)
    per_hour = per_day / 8
    assert ui.erlang_c_wait_minutes(needed, per_hour, 12) <= 2
    if needed > 1:
        assert ui.erlang_c_wait_minutes(needed - 1, per_hour, 12) > 2


def test_simulated_always_open_line_agrees_with_erlang_c(scenario):
    table = ui.kela_line_vs_erlang(scenario, [1.0], [2], replications=3, seed=3, progress=False)
    row = table.iloc[0]
    assert row["ci_low"] - 0.3 <= row["erlang_c"] <= row["ci_high"] + 0.3
    assert row["erlang_c"] == pytest.approx(row["mean"], rel=0.15)


def test_kela_line_by_rate_waits_grow_with_questions(scenario):
    table = ui.kela_line_by_rate(scenario, [0.05, 0.3], replications=2, seed=1, progress=False)
    wait = table[table["metric"] == "kela.wait_minutes_mean"].set_index("kela.questions_per_client_month")["mean"]
    assert wait[0.3] > wait[0.05]
    assert set(table["metric"]) == set(ui.KELA_METRICS)


# -- runs and printed results ---------------------------------------------------------------------
@pytest.mark.parametrize("value, text", [(123.51, "124"), (0.46051, "0.461"), (1.0, "1.00"), (0.0, "0"),
                                         (-3.14159, "-3.14"), (12345.6, "12300"), (float("nan"), "nan")])
def test_format_value_rounds_to_significant_digits(value, text):
    assert ui.format_value(value) == text


def test_key_results_prints_rounded_mean_and_interval(scenario):
    runs = ui.run(scenario, replications=2, seed=5, progress=False)
    text = ui.key_results(runs, ["coach.caseload_mean", "kela.questions_per_day"])
    mean, low, high = runs.metric("coach.caseload_mean")
    first = text.splitlines()[0]
    assert first.startswith("coach.caseload_mean")
    assert f"= {ui.format_value(mean):>8}" in first and f"[{ui.format_value(low)}, {ui.format_value(high)}]" in first
    assert first.endswith("clients per person")


def test_run_applies_overrides_and_equals_replicate(scenario):
    runs = ui.run(scenario, replications=2, seed=5, overrides={"coaches.count": 25}, progress=False)
    direct = simkit.replicate(simkit.with_overrides(scenario, {"coaches.count": 25}), 2, 5)
    pd.testing.assert_frame_equal(runs.per_replication, direct.per_replication)


def test_bundled_scenarios_and_paths():
    names = ui.bundled_scenarios()
    assert "seinajoki-ilmajoki-2021" in names
    assert ui.scenario_path(str(BUNDLED)) == BUNDLED
    with pytest.raises(KeyError, match="no bundled scenario"):
        ui.scenario_path("nowhere")
