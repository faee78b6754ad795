"""The generated documents are what docs/generate.py writes now.

docs/scenarios.md is regenerated here from the schema and the scenario files (fast) and must
match byte for byte. docs/validation.md needs simulations, so it is only checked for its
structure: every calibration target and every scenario is in it, and all targets are met.
"""

from __future__ import annotations

import typing

from conftest import ROOT, load_docs_generator
from pydantic import BaseModel

from simkit.analysis.calibration import TARGETS
from simkit.scenario.schema import Scenario

REGENERATE = "run `python docs/generate.py scenarios` and commit docs/scenarios.md"


generate = load_docs_generator()


def _model_in(annotation) -> tuple[type[BaseModel] | None, bool]:
    """(model, is_list) for ``Model``, ``list[Model]`` or ``Model | None``; (None, False) otherwise."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and args:
        inner, _ = _model_in(args[0])
        return inner, inner is not None
    for arg in args:
        inner, is_list = _model_in(arg)
        if inner is not None:
            return inner, is_list
    return None, False


def schema_keys(model: type[BaseModel] = Scenario, prefix: str = "") -> list[str]:
    """Every key a scenario file may hold, as dotted paths (``name[].key`` inside lists of tables)."""
    keys = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{field.alias or name}"
        inner, is_list = _model_in(field.annotation)
        if inner is None:
            keys.append(key)
        else:
            if is_list:
                keys.append(key)
            keys.extend(schema_keys(inner, f"{key}[]." if is_list else f"{key}."))
    return keys


def test_scenarios_md_is_what_the_generator_writes_now():
    written = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert written == generate.scenarios_markdown(), f"docs/scenarios.md is stale: {REGENERATE}"


def test_scenarios_md_documents_every_schema_key_with_its_unit():
    text = generate.scenarios_markdown()
    rows = {line.split("|")[1].strip().strip("`"): line for line in text.splitlines() if line.startswith("| `")}
    for key in schema_keys():
        assert key in rows, f"{key} is missing from docs/scenarios.md"
    unit_of = {f"{section}.{name}": (field.json_schema_extra or {}).get("unit", "")
               for section, section_field in Scenario.model_fields.items()
               if isinstance(section_field.annotation, type) and issubclass(section_field.annotation, BaseModel)
               for name, field in section_field.annotation.model_fields.items()}
    for key, unit in unit_of.items():
        if unit:
            assert f"| {unit} |" in rows[key], f"{key}: unit {unit!r} not shown"


def test_scenarios_md_lists_every_scenario_file():
    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "scenarios").rglob("*.toml")):
        assert f"`{path.relative_to(ROOT).as_posix()}`" in text, f"{path.name}: {REGENERATE}"


def test_validation_md_shows_every_target_met():
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert text.startswith(generate.GENERATED_NOTE)
    for target in TARGETS:
        rows = [line for line in text.splitlines() if target.figure in line and f"`{target.scenario}`" in line]
        assert len(rows) == 1, f"{target.figure}: run `python docs/generate.py`"
        assert f"| {target.date} |" in rows[0], f"{target.figure}: not shown on its date {target.date}"
        assert rows[0].rstrip().endswith("| yes |"), rows[0]
    for path in sorted((ROOT / "scenarios").rglob("*.toml")):
        assert f"`{path.relative_to(ROOT / 'scenarios').as_posix()}`" in text, f"{path.name} missing: run `python docs/generate.py`"
    for section in ("Little's law", "Erlang C"):
        assert section in text
