"""The stored notebooks follow the rules that keep nbval honest and the lessons readable.

nbval runs every notebook (``--nbval-lax``) and compares the cells marked ``# NBVAL_CHECK_OUTPUT``;
these checks make sure that every notebook has such cells, that their stored outputs are real
(executed, no errors), and that widget cells are not compared.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EXPECTED = ["00-start-here", "01-pilot-in-a-nutshell", "02-time-per-client", "03-kela-contact-line",
            "04-capacity-planning", "05-scenario-editor", "06-training-cases"]
WIDGET_CALLS = re.compile(r"ui\.(client_builder|first_meetings_explorer|kela_explorer|workbench|scenario_form|solution)\(|"
                          r"\.show\(\)|^form\.widget$", re.MULTILINE)


def _notebook(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def _code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_the_notebooks_are_there_in_order():
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_kernel_is_python3(name):
    assert _notebook(name)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", EXPECTED)
def test_stored_outputs_come_from_one_clean_top_to_bottom_run(name):
    cells = _code_cells(_notebook(name))
    counts = [cell["execution_count"] for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), "re-execute: jupyter nbconvert --execute --to notebook --inplace"
    for cell in cells:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", _source(cell)
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            assert not re.search(r"\b0%\|", text), f"a frozen progress bar is stored: {_source(cell)[:60]}"


@pytest.mark.parametrize("name", EXPECTED)
def test_every_notebook_checks_key_numbers(name):
    checked = [cell for cell in _code_cells(_notebook(name)) if _source(cell).startswith("# NBVAL_CHECK_OUTPUT")]
    assert checked, "each notebook needs at least one # NBVAL_CHECK_OUTPUT cell"
    for cell in checked:
        streams = [out for out in cell["outputs"] if out["output_type"] == "stream"]
        assert streams and all(out["name"] == "stdout" for out in streams), _source(cell)
        assert not any(out["output_type"] in ("display_data", "execute_result") for out in cell["outputs"]), \
            "a checked cell prints plain text only (widgets, figures and HTML differ between versions)"
        assert re.search(r"\d", "".join("".join(out["text"]) for out in streams)), "a checked cell prints numbers"


@pytest.mark.parametrize("name", EXPECTED)
def test_widget_cells_are_not_compared_and_seeds_are_set(name):
    notebook = _notebook(name)
    for cell in _code_cells(notebook):
        if WIDGET_CALLS.search(_source(cell)):
            assert _source(cell).startswith("# NBVAL_IGNORE_OUTPUT"), _source(cell)
    setup = _source(_code_cells(notebook)[0])
    assert "SEED = " in setup and "ui.set_language()" in setup  # SIMKIT_LANG, else English: one switch


@pytest.mark.parametrize("name", EXPECTED)
def test_each_lesson_has_question_picture_notice_and_exercise(name):
    notebook = _notebook(name)
    sources = "\n".join(_source(cell) for cell in notebook["cells"])
    if name != "00-start-here":
        assert f'ui.lesson("{name[:2]}.question"' in sources
    assert f'ui.lesson("{name[:2]}.notice"' in sources and f'ui.lesson("{name[:2]}.exercise"' in sources
    images = sum("image/png" in out.get("data", {}) for cell in _code_cells(notebook) for out in cell["outputs"])
    assert images >= (0 if name == "05-scenario-editor" else 1)


@pytest.mark.parametrize("name", EXPECTED)
def test_prose_comes_from_the_catalog_and_exercises_start_empty(name):
    """Only the title is Markdown (in all three languages); every other text is a catalog lesson, so
    the language switch reaches it. A "Your turn" cell holds a commented scaffold, not an answer,
    and is followed by the solution button."""
    notebook = _notebook(name)
    markdown = [cell for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    assert len(markdown) == 1 and _source(markdown[0]).startswith(f"# {name[:2]} · ")
    cells = _code_cells(notebook)
    turns = [i for i, cell in enumerate(cells) if _source(cell).startswith("# Your turn")]
    assert len(turns) == 1, "one exercise cell per notebook"
    scaffold = _source(cells[turns[0]])
    assert all(line.startswith("#") for line in scaffold.splitlines() if line.strip()), scaffold
    assert _source(cells[turns[0] + 1]) == f'# NBVAL_IGNORE_OUTPUT\nui.solution("{name[:2]}")'
