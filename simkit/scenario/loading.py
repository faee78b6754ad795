"""Load scenario files: TOML parsing, ``extends``, dotted overrides and clear error messages.

Every problem becomes a :class:`ScenarioError` whose lines name the file (or the ``--set``
override) that gave the value, the key path, the value and what is allowed.

Files are read safely (:mod:`simkit.scenario.files`: regular files under a size cap). A scenario
may ``extends`` another file, which may extend another, at most ``MAX_EXTENDS`` deep; the path is
relative to the extending file and may lead out of its folder (the bundled training cases extend
``../seinajoki-ilmajoki-2021.toml``), but it must name a ``.toml`` file. Tables and arrays nest at
most ``MAX_NESTING`` deep. A valid scenario whose run would need more memory than allowed is
refused before anything is allocated (:mod:`simkit.scenario.limits`).
"""

from __future__ import annotations

import difflib
import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from simkit.scenario.areas import area_raw, split_area_key
from simkit.scenario.caseload import read_active_clients
from simkit.scenario.errors import ScenarioError, printable
from simkit.scenario.files import read_file_bytes, resolved
from simkit.scenario.limits import check_run_size
from simkit.scenario.schema import AREA_SHARED, Scenario
from simkit.scenario.timeline import EventError, period_scenarios

EXTENDS_KEY = "extends"
MAX_EXTENDS = 16  # files in one extends chain
MAX_NESTING = 32  # levels of tables and arrays in a scenario or an override
Overrides = Mapping[str, Any] | Iterable[str]


def load_scenario(path: str | Path, overrides: Overrides = ()) -> Scenario:
    """Load and validate a scenario file, following ``extends`` and applying ``overrides``.

    ``overrides`` is either a mapping of dotted keys to Python values
    (``{"coaches.count": 25}``) or strings ``"coaches.count=25"`` whose value is read as a TOML
    value (a bare word is a string), as the CLI's ``--set`` does.
    """
    raw, origins = _read_with_extends(Path(path), chain=(), what="scenario")
    return _validate(raw, origins, overrides, default_source=str(path))


def scenario_from_dict(raw: Mapping[str, Any], overrides: Overrides = (), source: str = "<scenario>") -> Scenario:
    """Validate a scenario given as nested dictionaries (as a TOML file would parse)."""
    data = _deep_copy(raw)
    return _validate(data, _origins_of(data, source), overrides, default_source=source)


def with_overrides(scenario: Scenario, overrides: Overrides) -> Scenario:
    """A new scenario: ``scenario`` with dotted-key overrides applied and validated again."""
    return scenario_from_dict(scenario.model_dump(mode="python"), overrides, source=scenario.name)


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``"key.path=value"``; the value is read as TOML, a bare word as a string."""
    key, sep, value_text = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError([f"--set {printable(text)}: expected KEY=VALUE, e.g. coaches.count=25"])
    return key, parse_value(value_text.strip())


def parse_value(text: str) -> Any:
    """Read one TOML value (``25``, ``[0.0, 24.0]``, ``inf``, ``"x"``); a bare word stays a string."""
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    except RecursionError:
        raise ScenarioError([f"{printable(text[:40])}...: nested deeper than {MAX_NESTING} levels"]) from None
    _check_nesting({"v": value}, text[:40])
    return value


def _validate(raw: dict, origins: dict[str, str], overrides: Overrides, default_source: str) -> Scenario:
    for key, value, label in _override_items(overrides):
        check_key_path(key, label)
        _set_dotted(raw, key, value, label)
        _forget_origins_under(origins, key)
        origins[key] = label
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError(
            [_describe(err, origins, default_source) for err in error.errors(include_url=False)]
        ) from None
    if scenario.areas:  # each area is its own run: checked one by one
        _check_areas(raw, origins, default_source)
        return scenario
    periods = _check_events(scenario, _source_of(("events",), origins, default_source))
    check_run_size(periods, lambda key: _source_of(tuple(key.split(".")), origins, default_source))
    _check_statement_writers(scenario, origins, default_source)
    csv_name = scenario.inflow.initial_clients_csv
    if csv_name is not None and scenario.inflow.initial_stock is None:
        source = _source_of(("inflow", "initial_clients_csv"), origins, default_source)
        folder = Path(source).parent if Path(source).suffix == ".toml" else Path.cwd()
        stock = read_active_clients(folder / csv_name)
        return _validate({**raw, "inflow": {**raw.get("inflow", {}), "initial_stock": stock}}, origins, (),
                         default_source)
    return scenario


def _check_areas(raw: dict, origins: dict[str, str], default_source: str) -> None:
    """Every area's own scenario is valid and small enough to run: errors name ``areas[i].<key>``,
    the value and what is allowed."""
    source = _source_of(("areas",), origins, default_source)
    problems = []
    for index, area in enumerate(raw["areas"]):
        label = f"{source}: areas[{index}] ({printable(str(area.get('name')))})"
        try:
            scenario = Scenario.model_validate(area_raw(raw, area))
        except ValidationError as error:
            problems.extend(_describe(err, {}, source, ("areas", index)) for err in error.errors(include_url=False))
            continue
        try:
            check_run_size(_check_events(scenario, label), lambda key, label=label: label)
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)


def _check_events(scenario: Scenario, source: str) -> list[Scenario]:
    """Every event names known keys that may change on a date, with allowed values; returns the
    scenario in force in each period (the base first)."""
    for index, event in enumerate(scenario.events):
        for key in event.changes:
            check_key_path(key, f"{source}: events[{index}] ({event.date})")
    try:
        return [period for _date, _name, period in period_scenarios(scenario)]
    except EventError as error:
        event = scenario.events[error.index]
        label = f"{source}: events[{error.index}] ({event.date})"
        if isinstance(error.problem, str):
            raise ScenarioError([f"{label}: {printable(error.problem)}"]) from None
        raise ScenarioError(
            [_describe(err, {}, label) for err in error.problem.errors(include_url=False)]
        ) from None


def _check_statement_writers(scenario: Scenario, origins: dict[str, str], default_source: str) -> None:
    """Statements must have somebody to write them when the run starts (a dated event that
    empties a pool later hands its statements to the other pool: :mod:`simkit.model.statements`).
    The message names the override that set one of the keys, else the file of statements.coach_share."""
    problem = statement_writer_problem(scenario)
    if problem:
        keys = (("statements", "coach_share"), ("te", "experts"), ("coaches", "count"))
        sources = [_source_of(key, origins, default_source) for key in keys]
        overrides = [source for source in sources if source.startswith(("--set", "override"))]
        raise ScenarioError([f"{(overrides or sources)[0]}: {problem}"])


def statement_writer_problem(scenario: Scenario) -> str | None:
    """Why some statements of ``scenario`` would go to a pool with nobody on duty, or None."""
    rules = scenario.statements
    if not rules.per_client_month or rules.expert_share >= 1.0:
        return None
    share = f"statements.coach_share = {_show(rules.coach_share)}"
    if scenario.te.experts == 0 and (rules.coach_share < 1.0 or scenario.rules.pilot != "te24"):
        return (f"{share} with te.experts = 0: nobody writes the TE experts' statements (TE clients' and the rest "
                "of pilot clients'); "
                "allowed: te.experts of at least 1, or statements.coach_share = 1.0 under rules.pilot = \"te24\"")
    if scenario.coaches.count == 0 and rules.coach_share > 0.0 and scenario.rules.pilot != "te-only":
        return (f"{share} with coaches.count = 0: nobody writes the coaches' share of statements; "
                "allowed: coaches.count of at least 1, or statements.coach_share = 0.0")
    return None


def _override_items(overrides: Overrides) -> Iterable[tuple[str, Any, str]]:
    if isinstance(overrides, Mapping):
        for key, value in overrides.items():
            yield key, value, f"override {printable(key)}={_show(value)}"
        return
    for text in overrides:
        key, value = parse_override(text)
        yield key, value, f"--set {printable(text)}"


def _read_with_extends(path: Path, chain: tuple[Path, ...], what: str) -> tuple[dict, dict[str, str]]:
    real = resolved(path, what)
    if real in chain:
        cycle = " -> ".join(str(p) for p in (*chain, real))
        raise ScenarioError([f"{path}: extends makes a cycle: {cycle}"])
    if len(chain) >= MAX_EXTENDS:
        raise ScenarioError([(f"{path}: extends chains at most {MAX_EXTENDS} files; this one goes deeper "
                             f"(started at {chain[0]})")])
    data = _read_toml(path, what)
    origins = _origins_of(data, str(path))
    parent = data.pop(EXTENDS_KEY, None)
    origins.pop(EXTENDS_KEY, None)
    if parent is None:
        return data, origins
    if not isinstance(parent, str) or not parent.endswith(".toml") or "\0" in parent:
        raise ScenarioError([(f"{path}: extends = {_show(parent)}: expected the name of a .toml file such as "
                             "\"base.toml\" (relative to this file)")])
    base, base_origins = _read_with_extends(path.parent / parent, (*chain, real), "parent scenario")
    _deep_merge(base, data)
    base_origins.update(origins)
    return base, base_origins


def _read_toml(path: Path, what: str) -> dict:
    data = read_file_bytes(path, what)
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ScenarioError([f"{path}: not a UTF-8 text file (byte {error.start})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([f"{path}: not valid TOML: {error}"]) from None
    except RecursionError:
        raise ScenarioError([f"{path}: tables or arrays nested deeper than {MAX_NESTING} levels"]) from None
    _check_nesting(parsed, str(path))
    return parsed


def _check_nesting(data: Any, source: str) -> None:
    """Refuse tables and arrays nested deeper than ``MAX_NESTING`` (checked without recursion)."""
    pending = [(data, 0)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_NESTING:
            raise ScenarioError([f"{source}: tables or arrays nested deeper than {MAX_NESTING} levels"])
        children = node.values() if isinstance(node, Mapping) else node if isinstance(node, list | tuple) else ()
        pending.extend((child, depth + 1) for child in children)


def _deep_merge(base: dict, override: Mapping) -> None:
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = _deep_copy(value)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _deep_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_deep_copy(item) for item in value]
    return value


def _origins_of(data: Mapping, source: str, prefix: str = "") -> dict[str, str]:
    origins = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        origins[path] = source
        if isinstance(value, Mapping):
            origins.update(_origins_of(value, source, f"{path}."))
    return origins


def _forget_origins_under(origins: dict[str, str], key: str) -> None:
    for path in [p for p in origins if p.startswith(f"{key}.")]:
        del origins[path]


def _set_dotted(data: dict, key: str, value: Any, label: str) -> None:
    area_key = split_area_key(key)
    if area_key is not None:  # areas.<name>.<key>: the key in that [[areas]] entry
        name, key = area_key
        areas = [area for area in data.get("areas") or [] if isinstance(area, dict)]
        area = next((area for area in areas if area.get("name") == name), None)
        if area is None:
            known = ", ".join(printable(str(area.get("name"))) for area in areas) or "none"
            raise ScenarioError([f"{label}: areas.{printable(name)}: no area of that name (areas: {known})"])
        data = area
    *parents, leaf = key.split(".")
    node = data
    for depth, part in enumerate(parents):
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            table = ".".join(parents[:depth + 1])
            raise ScenarioError([(f"{label}: {printable(table)} = {_show(node)} is not a table, so {printable(key)} cannot be set "
                                 f"(write [{table}] with {leaf} = ... in the file)")])
    node[leaf] = value


def check_key_path(key: str, label: str) -> None:
    """Reject an override whose key the schema does not have, with a 'did you mean'; an area's key
    ``areas.<name>.<key>`` is checked as ``<key>`` (the area's existence when it is applied)."""
    area_key = split_area_key(key)
    if area_key is not None:
        name, key = area_key
        if not key or key.split(".")[0] in AREA_SHARED:
            problem = (f"{label}: areas.{name}.{key}: expected areas.<area>.<key> with a key that may differ by area "
                       f"(not {', '.join(AREA_SHARED)})")
            raise ScenarioError([problem])
    model: type[BaseModel] | None = Scenario
    walked: list[str] = []
    for part in key.split("."):
        if model is None or part not in model.model_fields:
            known = _field_names(model) if model is not None else []
            raise ScenarioError([f"{label}: unknown key {printable('.'.join([*walked, part]))}"
                                 f"{_did_you_mean(part, known, walked)}"])
        walked.append(part)
        annotation = model.model_fields[part].annotation
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The schema model at a location such as ("events", 0): list items count as their model."""
    model: type[BaseModel] | None = Scenario
    pending_item: type[BaseModel] | None = None
    for part in loc:
        if isinstance(part, int):
            model, pending_item = pending_item, None
            continue
        field = model.model_fields.get(part) if model is not None else None
        annotation = field.annotation if field else None
        item = get_args(annotation)[0] if get_origin(annotation) is list and get_args(annotation) else None
        pending_item = item if isinstance(item, type) and issubclass(item, BaseModel) else None
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return model


def _field_names(model: type[BaseModel]) -> list[str]:
    """The keys a scenario file uses for a model's fields (aliases where a field has one)."""
    return [field.alias or name for name, field in model.model_fields.items()]


def _did_you_mean(word: str, known: list[str], parents: list) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    prefix = _key_text(tuple(parents))
    if close:
        return f" (did you mean {prefix + '.' if prefix else ''}{close[0]}?)"
    where = f"[{prefix}]" if prefix else "the top level"
    return f"; {where} allows: {', '.join(known)}" if known else ""


def _describe(err: Mapping[str, Any], origins: dict[str, str], default_source: str, within: tuple = ()) -> str:
    """One line for a validation error; ``within`` leads the key shown (an area's ``("areas", 3)``)."""
    loc = tuple(err["loc"])
    key = _key_text((*within, *loc))
    source = _source_of(loc, origins, default_source)
    if err["type"] == "extra_forbidden":
        parents = list(loc[:-1])
        model = _model_at(loc[:-1])
        known = _field_names(model) if model else []
        return f"{source}: unknown key {key}{_did_you_mean(str(loc[-1]), known, [*within, *parents])}"
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    message = f"{message[0].lower()}{message[1:]}"
    if isinstance(err.get("input"), Mapping):  # a rule across a table's keys: the table is no help
        return f"{source}: {key or 'scenario'}: {message}"
    return f"{source}: {key} = {_show(err.get('input'))}: {message}"


def _key_text(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return printable(text)


def _source_of(loc: tuple, origins: dict[str, str], default_source: str) -> str:
    names = [str(p) for p in loc if isinstance(p, str)]
    for length in range(len(names), 0, -1):
        source = origins.get(".".join(names[:length]))
        if source:
            return source
    return default_source


def _show(value: Any, longest: int = 120) -> str:
    """``value`` as in a scenario file (JSON, inf and nan as TOML writes them), cut to ``longest`` characters."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    text = printable(text)
    return text if len(text) <= longest else f"{text[:longest - 20]} ... {text[-15:]}"
