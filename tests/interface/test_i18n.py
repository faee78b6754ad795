"""The three catalogs (simkit/locales/{en,fi,sv}.toml) and the language switch.

Every key exists in every language with the same {placeholders}; every text key a notebook uses
renders in each language; the terms of docs/glossary.md are the ones used; SIMKIT_LANG sets the
language of a whole session.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from simkit import i18n, ui
from simkit.ui.solutions import SOLUTIONS

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LESSON_CALL = re.compile(r"ui\.lesson\(\s*\"([^\"]+)\"")
TEXT_CALL = re.compile(r"ui\.t(?:_count)?\(\s*[\"']([^\"']+)[\"']")
SOLUTION_CALL = re.compile(r"ui\.solution\(\s*\"([^\"]+)\"")

pytestmark = pytest.mark.usefixtures("english_and_no_figures")


def _notebook_sources() -> dict[str, str]:
    sources = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources[path.stem] = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    return sources


def _without_code(text: str) -> str:
    return re.sub(r"`[^`]*`", "", text)


def test_every_key_is_in_every_language_with_the_same_placeholders():
    english = i18n.catalog("en")
    assert len(english) > 100
    for language in i18n.LANGUAGES[1:]:
        other = i18n.catalog(language)
        assert sorted(other) == sorted(english), f"{language}: keys differ from en"
        for key, text in english.items():
            assert i18n.placeholders(other[key]) == i18n.placeholders(text), f"{language}: {key}"
            assert other[key].strip(), f"{language}: {key} is empty"


def test_lesson_prose_is_translated_not_copied():
    english = i18n.catalog("en")
    for language in i18n.LANGUAGES[1:]:
        other = i18n.catalog(language)
        for key in (k for k in english if k.startswith("lesson.")):
            assert other[key] != english[key], f"{language}: {key} is the English text"


def test_the_glossary_terms_are_used():
    finnish, swedish = i18n.catalog("fi"), i18n.catalog("sv")
    finnish_text = "\n".join(finnish.values())
    swedish_text = "\n".join(_without_code(text) for text in swedish.values())
    for term in ("omavalmentaja", "yhdyshenkilö", "TE-toimisto", "työnhakija", "alkuhaastattelu"):
        assert term in finnish_text, term
    for term in ("personlig coach", "kontaktperson", "TE-byrå", "arbetssökande", "inledande intervju", "FPA"):
        assert term in swedish_text, term
    assert "Kela" not in swedish_text, "Swedish says FPA (except in code such as `kela.handle_minutes`)"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_text_a_notebook_uses_renders_in_each_language(language):
    sources = _notebook_sources()
    assert len(sources) >= 7
    used = set()
    for name, source in sources.items():
        lessons = LESSON_CALL.findall(source)
        assert lessons, f"{name} shows no lesson text"
        used |= {f"lesson.{key}" for key in lessons} | set(TEXT_CALL.findall(source))
    for key in sorted(used):
        if f"{key}.one" in i18n.catalog(language):  # a counted text (t_count)
            key = f"{key}.other"
        text = i18n.t(key, language, **{name: "1" for name in i18n.placeholders(i18n.t(key, "en"))})
        assert text and "{" not in text.replace("{{", ""), key


def test_every_solution_button_has_code_and_an_explanation():
    sources = _notebook_sources()
    shown = {key for source in sources.values() for key in SOLUTION_CALL.findall(source)}
    assert shown == set(SOLUTIONS), "every notebook with an exercise has one solution, and no solution is unused"
    for key, code in SOLUTIONS.items():
        tree = ast.parse(code)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ui":
                assert hasattr(ui, node.attr), f"solution {key}: ui.{node.attr} does not exist"
        for language in i18n.LANGUAGES:
            ui.set_language(language)
            assert code.strip() in ui.solution_markdown(key) and i18n.t(f"lesson.{key}.solution") in ui.solution_markdown(key)


def test_set_language_reads_simkit_lang(monkeypatch):
    monkeypatch.setenv("SIMKIT_LANG", "sv")
    assert ui.set_language() == "sv" and ui.t("coaches") == "Coacher"
    monkeypatch.setenv("SIMKIT_LANG", "fi_FI.UTF-8")
    assert ui.set_language() == "fi" and ui.t("coaches") == "Omavalmentajia"
    assert ui.set_language("en") == "en"  # an explicit language wins over the variable
    monkeypatch.delenv("SIMKIT_LANG")
    ui.set_language("sv")
    assert ui.set_language() == "en"
    monkeypatch.setenv("SIMKIT_LANG", "de")
    with pytest.raises(ValueError, match="en, fi, sv"):
        ui.set_language()


def test_counts_numbers_and_percentages_follow_the_language():
    assert [ui.t_count("persons", n) for n in (1, 2)] == ["1 person", "2 persons"]
    assert [ui.t_count("persons", n, "fi") for n in (1, 2)] == ["1 henkilö", "2 henkilöä"]
    assert [ui.t_count("persons", n, "sv") for n in (1, 2)] == ["1 person", "2 personer"]
    assert ui.number(1234.5) == "1230" and ui.number(6.0) == "6" and ui.number(0.1234) == "0.123" and ui.number(0.1234, language="fi") == "0,123"
    assert ui.percent(0.746) == "75%" and ui.percent(0.746, 1, "sv") == "74,6\u00a0%"


def test_units_and_daily_series_have_labels_in_every_language():
    from simkit import registry

    for language in i18n.LANGUAGES:
        for unit in {metric.unit for metric in (*registry.METRICS, *registry.DAILY_COLUMNS)}:
            assert unit in registry.UNITS and language in registry.UNITS[unit], f"{language}: unit {unit!r}"
        for column in registry.DAILY_COLUMNS:
            assert i18n.daily_label(column.name, language) != column.name
    assert i18n.unit_label("hours per week", "sv") == "timmar per vecka"
    assert i18n.unit_label("no such unit", "fi") == "no such unit"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_progress_bars_count_replications_not_iterations(language):
    from tqdm import tqdm

    from simkit.ui.runs import progress_bar
    from simkit.views.progress import BAR_FORMAT

    ui.set_language(language)
    bar = progress_bar(5, ui.t("running", n=5))
    assert bar.unit == i18n.t("progress_unit")
    meter = tqdm.format_meter(2, 5, 3.0, unit=bar.unit, bar_format=BAR_FORMAT)
    assert f"2/5 {bar.unit}" in meter and "it/s" not in meter and "s/it" not in meter


def test_printed_results_follow_the_language_and_english_stays_as_checked():
    """key_results (the checked notebook cells) and summary_frame: units and decimals in the current
    language; in English exactly the format the stored notebooks check."""
    from types import SimpleNamespace

    import pandas as pd

    summary = pd.DataFrame({"mean": [125.4, 0.6612], "ci_low": [124.0, 0.6531], "ci_high": [127.0, 0.6693],
                            "unit": ["clients per person", "share"]},
                           index=["coach.caseload_mean", "coach.first_meeting_on_time_share"])
    runs = SimpleNamespace(summary=summary)
    names = list(summary.index)
    assert ui.key_results(runs, names).splitlines() == [
        "coach.caseload_mean               =      125           [124, 127] clients per person",
        "coach.first_meeting_on_time_share =    0.661       [0.653, 0.669] share",
    ]
    ui.set_language("sv")
    lines = ui.key_results(runs, names).splitlines()
    assert lines[0].endswith(f"[124; 127] {i18n.unit_label('clients per person', 'sv')}")
    assert "0,661" in lines[1] and "[0,653; 0,669]" in lines[1]
    frame = ui.summary_frame(runs, names)
    assert list(frame.columns) == ["medelvärde", "95 % KI", "enhet"]
    assert frame.iloc[1].tolist() == ["66,1\u00a0%", "65,3\u00a0% – 66,9\u00a0%", "%"]
    assert frame.index[0] == ui.metric_label("coach.caseload_mean", "sv")
