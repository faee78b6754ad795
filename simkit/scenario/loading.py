"""Load scenario files: TOML parsing, ``extends``, dotted overrides and clear error messages.

Every problem becomes a :class:`ScenarioError` whose lines name the file (or the ``--set``
override) that gave the value, the key path, the value and what is allowed.
"""

from __future__ import annotations

import csv
import difflib
import json
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from simkit.scenario.schema import ActiveClient, Scenario
from simkit.scenario.timeline import EventError, period_scenarios

EXTENDS_KEY = "extends"
Overrides = Mapping[str, Any] | Iterable[str]


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def load_scenario(path: str | Path, overrides: Overrides = ()) -> Scenario:
    """Load and validate a scenario file, following ``extends`` and applying ``overrides``.

    ``overrides`` is either a mapping of dotted keys to Python values
    (``{"coaches.count": 25}``) or strings ``"coaches.count=25"`` whose value is read as a TOML
    value (a bare word is a string), as the CLI's ``--set`` does.
    """
    raw, origins = _read_with_extends(Path(path), chain=())
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
        raise ScenarioError([f"--set {text}: expected KEY=VALUE, e.g. coaches.count=25"])
    return key, parse_value(value_text.strip())


def parse_value(text: str) -> Any:
    """Read one TOML value (``25``, ``[0.0, 24.0]``, ``inf``, ``"x"``); a bare word stays a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _validate(raw: dict, origins: dict[str, str], overrides: Overrides, default_source: str) -> Scenario:
    for key, value, label in _override_items(overrides):
        check_key_path(key, label)
        _set_dotted(raw, key, value)
        _forget_origins_under(origins, key)
        origins[key] = label
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError(
            [_describe(err, origins, default_source) for err in error.errors(include_url=False)]
        ) from None
    _check_events(scenario, _source_of(("events",), origins, default_source))
    _check_statement_writers(scenario, origins, default_source)
    csv_name = scenario.inflow.initial_clients_csv
    if csv_name is not None and scenario.inflow.initial_stock is None:
        source = _source_of(("inflow", "initial_clients_csv"), origins, default_source)
        folder = Path(source).parent if Path(source).suffix == ".toml" else Path.cwd()
        stock = read_active_clients(folder / csv_name)
        return _validate({**raw, "inflow": {**raw.get("inflow", {}), "initial_stock": stock}}, origins, (),
                         default_source)
    return scenario


def read_active_clients(path: Path) -> list[dict]:
    """Rows of a caseload CSV, validated like a scenario: errors name the row and the column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise ScenarioError([f"{path}: no such caseload file"]) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise ScenarioError([f"{path}: not a readable CSV file: {error}"]) from None
    known = list(ActiveClient.model_fields)
    header = list(rows[0]) if rows else []
    problems = [f"{path}: unknown column {name!r}{_did_you_mean(name, known, [])}" for name in header if name not in known]
    clients = []
    for line, row in enumerate(rows, start=2):
        values = {key: value for key, value in row.items() if value not in ("", None)}
        try:
            clients.append(ActiveClient.model_validate(values).model_dump())
        except ValidationError as error:
            problems.extend(
                f"{path}: row {line}, column {err['loc'][0]} = {_show(err.get('input'))}: {err['msg'][0].lower()}{err['msg'][1:]}"
                for err in error.errors(include_url=False) if err["type"] != "extra_forbidden"
            )
    if problems:
        raise ScenarioError(problems)
    return clients


def _check_events(scenario: Scenario, source: str) -> None:
    """Every event names known keys that may change on a date, with allowed values."""
    for index, event in enumerate(scenario.events):
        for key in event.changes:
            check_key_path(key, f"{source}: events[{index}] ({event.date})")
    try:
        period_scenarios(scenario)
    except EventError as error:
        event = scenario.events[error.index]
        label = f"{source}: events[{error.index}] ({event.date})"
        if isinstance(error.problem, str):
            raise ScenarioError([f"{label}: {error.problem}"]) from None
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
            yield key, value, f"override {key}={_show(value)}"
        return
    for text in overrides:
        key, value = parse_override(text)
        yield key, value, f"--set {text}"


def _read_with_extends(path: Path, chain: tuple[Path, ...]) -> tuple[dict, dict[str, str]]:
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(str(p) for p in (*chain, resolved))
        raise ScenarioError([f"{path}: extends makes a cycle: {cycle}"])
    data = _read_toml(path)
    origins = _origins_of(data, str(path))
    parent = data.pop(EXTENDS_KEY, None)
    origins.pop(EXTENDS_KEY, None)
    if parent is None:
        return data, origins
    if not isinstance(parent, str):
        raise ScenarioError([f"{path}: extends = {_show(parent)}: expected a file name such as \"base.toml\""])
    base, base_origins = _read_with_extends(path.parent / parent, (*chain, resolved))
    _deep_merge(base, data)
    base_origins.update(origins)
    return base, base_origins


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ScenarioError([f"{path}: no such scenario file"]) from None
    except IsADirectoryError:
        raise ScenarioError([f"{path}: is a folder, not a scenario file"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([f"{path}: not valid TOML: {error}"]) from None
    except UnicodeDecodeError:
        raise ScenarioError([f"{path}: not a UTF-8 text file"]) from None


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


def _set_dotted(data: dict, key: str, value: Any) -> None:
    *parents, leaf = key.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def check_key_path(key: str, label: str) -> None:
    """Reject an override whose key the schema does not have, with a 'did you mean'."""
    model: type[BaseModel] | None = Scenario
    walked: list[str] = []
    for part in key.split("."):
        if model is None or part not in model.model_fields:
            known = _field_names(model) if model is not None else []
            raise ScenarioError([f"{label}: unknown key {'.'.join([*walked, part])}{_did_you_mean(part, known, walked)}"])
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


def _describe(err: Mapping[str, Any], origins: dict[str, str], default_source: str) -> str:
    loc = tuple(err["loc"])
    key = _key_text(loc)
    source = _source_of(loc, origins, default_source)
    if err["type"] == "extra_forbidden":
        parents = list(loc[:-1])
        model = _model_at(loc[:-1])
        known = _field_names(model) if model else []
        return f"{source}: unknown key {key}{_did_you_mean(str(loc[-1]), known, parents)}"
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
    return text


def _source_of(loc: tuple, origins: dict[str, str], default_source: str) -> str:
    names = [str(p) for p in loc if isinstance(p, str)]
    for length in range(len(names), 0, -1):
        source = origins.get(".".join(names[:length]))
        if source:
            return source
    return default_source


def _show(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)
