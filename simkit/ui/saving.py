"""Saving an edited scenario (notebook 05): the changes, their validation, the new file.

Validation goes through :func:`simkit.load_scenario`, so the messages are the same one-line
messages the CLI gives. Saving edits the original file with tomlkit (comments, order and layout
kept; only changed values differ), writes atomically, and never replaces an existing file unless
asked to.

Where a save may go: a relative target (what the form's text box holds) must lie inside the save
folder (``SAVE_FOLDER``, ``my-scenarios/`` below the working folder, or the form's ``folder``), so
``../../x.toml`` is refused; an absolute target is the caller's explicit choice of folder. No save
replaces or lands among the bundled scenarios. Relative paths in the saved file (``extends``,
``inflow.initial_clients_csv``) are rebased to the new file's folder, and the saved file is loaded
back before it replaces anything: it must give the same scenario as the form (an optional key
left empty in a file that ``extends`` another would silently take the parent's value: refused).
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

import tomlkit

from simkit.i18n import t
from simkit.io import atomic_write_text
from simkit.scenario import SCENARIOS_DIR, Scenario, ScenarioError, load_scenario
from simkit.scenario.loading import EXTENDS_KEY
from simkit.ui.fields import schema_fields

SAVE_FOLDER = Path("my-scenarios")  # relative targets are saved inside it (below the working folder)
RELATIVE_PATH_KEYS = ("inflow.initial_clients_csv",)  # file names read relative to the scenario file


def _value_of(scenario: Scenario, key: str):
    value = scenario.value(key)
    return list(value) if isinstance(value, tuple | list) else value


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def changed_values(scenario: Scenario, values: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``values`` (dotted keys) that differ from ``scenario``."""
    return {key: value for key, value in values.items() if not _same(value, _value_of(scenario, key))}


def validate(source: str | Path, changes: dict[str, Any]) -> tuple[Scenario | None, list[str]]:
    """Load ``source`` with ``changes`` applied: (scenario, []) if valid, else (None, problems)."""
    try:
        return load_scenario(source, changes), []
    except ScenarioError as error:
        return None, [_without_override_label(problem) for problem in error.problems]


def _without_override_label(problem: str) -> str:
    """``override k=v: k = v: message`` -> ``k = v: message`` (the form has no --set to name)."""
    if problem.startswith("override "):
        return problem.split(": ", 1)[1] if ": " in problem else problem
    return problem


def _toml_value(value):
    """``value`` as TOML can hold it: tuples as arrays, tables without their empty (None) entries."""
    if isinstance(value, tuple | list):
        return [_toml_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _toml_value(v) for k, v in value.items() if v is not None}
    return value


def _shift_events_in_place(document, events: list[dict]) -> bool:
    """Write shifted dated changes (:func:`simkit.planning.level_overrides`) into the file's own
    ``[[events]]`` tables, keeping their comments; False if the file does not hold them itself."""
    tables = document.get("events")
    if tables is None or len(tables) != len(events):
        return False
    for table, event in zip(tables, events):
        for key, value in event["set"].items():
            if table["set"].get(key) != value:
                table["set"][key] = value
    return True


def scenario_text_with(source: str | Path, changes: dict[str, Any], target: str | Path | None = None) -> str:
    """The text of ``source`` with ``changes`` written in, comments and layout kept (tomlkit).

    A key the file does not set yet is added to its table (the table is added if missing). If
    ``target`` is in another folder, relative paths (``extends``, ``inflow.initial_clients_csv``)
    are rebased to it.
    """
    source = Path(source)
    document = tomlkit.parse(source.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "events" and _shift_events_in_place(document, value):
            continue
        *tables, leaf = key.split(".")
        node = document
        for part in tables:
            if part not in node:
                node[part] = tomlkit.table()
            node = node[part]
        if value is None:  # an optional value left empty: the key goes
            if leaf in node:
                del node[leaf]
            continue
        node[leaf] = _toml_value(value)
    if target is not None:
        _rebase(document, [EXTENDS_KEY], source, Path(target))
        for key in RELATIVE_PATH_KEYS:
            _rebase(document, key.split("."), source, Path(target))
    return tomlkit.dumps(document)


def _rebase(document, keys: list[str], source: Path, target: Path) -> None:
    """Rewrite the relative path at ``keys`` (read relative to ``source``) to be relative to ``target``."""
    *tables, leaf = keys
    node = document
    for part in tables:
        if part not in node or not hasattr(node[part], "get"):
            return
        node = node[part]
    value = node.get(leaf)
    if not isinstance(value, str) or Path(value).is_absolute():
        return
    relative = Path(os.path.relpath((source.parent / value).resolve(), target.resolve().parent)).as_posix()
    if relative != value:
        node[leaf] = relative


def save_scenario_as(source: str | Path, target: str | Path, changes: dict[str, Any],
                     overwrite: bool = False, folder: str | Path = SAVE_FOLDER) -> Scenario:
    """Validate ``source`` + ``changes`` and write them to ``target`` as a new scenario file.

    Raises :class:`simkit.ScenarioError` if invalid, if ``target`` is not a place a scenario may
    be saved (see the module docstring: a relative ``target`` inside ``folder``, never among the
    bundled scenarios) or if the saved file would not load to the same scenario; and
    ``FileExistsError`` if ``target`` exists and ``overwrite`` is false. Nothing is written then.
    The write is atomic; the saved file loads to ``load_scenario(source, changes)``.
    """
    scenario = load_scenario(source, changes)
    target = _save_target(Path(target), Path(folder))
    if target.exists() and not overwrite:
        raise FileExistsError(t("exists", path=str(target)))
    _write_checked(target, scenario_text_with(source, changes, target), scenario, Path(source))
    return scenario


def _save_target(target: Path, folder: Path) -> Path:
    """``target`` if a scenario may be saved there, else a ScenarioError saying where it may go."""
    real = (Path.cwd() / target).resolve()
    if target.suffix != ".toml":
        raise ScenarioError([f"{target}: a scenario file name ends in .toml"])
    if not target.is_absolute() and not real.is_relative_to((Path.cwd() / folder).resolve()):
        raise ScenarioError([f"{target}: scenarios are saved inside {folder}/; choose a name there"])
    if real.is_relative_to(SCENARIOS_DIR.resolve()):
        raise ScenarioError([(f"{target}: the bundled scenarios are never overwritten or added to; "
                              f"save inside {folder}/")])
    return target


def _write_checked(target: Path, text: str, expected: Scenario, source: Path) -> None:
    """Write ``text`` to ``target`` atomically if it loads (from there) to ``expected``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".toml")
    os.close(handle)
    temporary = Path(name)
    try:
        atomic_write_text(temporary, text)
        saved = load_scenario(temporary)
        if _comparable(saved) != _comparable(expected):
            raise ScenarioError([_difference(saved, expected, source)])
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _comparable(scenario: Scenario) -> dict:
    """The scenario without its relative file names (rebased on save; the files' contents still count)."""
    return scenario.model_dump(exclude={"inflow": {"initial_clients_csv"}})


def _difference(saved: Scenario, expected: Scenario, source: Path) -> str:
    """Why the saved file would not give the form's scenario, naming the keys."""
    keys = [spec.key for spec in schema_fields() if not _same(_value_of(saved, spec.key), _value_of(expected, spec.key))]
    emptied = [key for key in keys if _value_of(expected, key) is None]
    if emptied:
        return (f"{emptied[0]}: cannot be left empty here: {source.name} extends another file, whose value "
                f"{_value_of(saved, emptied[0])!r} would apply; enter a value instead")
    return f"{', '.join(keys) or 'the scenario'}: the saved file would not load to the same scenario; not saved"
