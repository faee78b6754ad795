"""Key paths and error messages of scenario files: an unknown key with a 'did you mean', one line per
validation error naming the file (or override) that gave the value, the key, the value and the rule."""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from simkit.scenario.areas import split_area_key
from simkit.scenario.errors import ScenarioError, printable
from simkit.scenario.schema import AREA_SHARED, Scenario

__all__ = ["check_key_path", "describe_error", "show_value", "source_of"]


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


def describe_error(err: Mapping[str, Any], origins: dict[str, str], default_source: str, within: tuple = ()) -> str:
    """One line for a validation error; ``within`` leads the key shown (an area's ``("areas", 3)``)."""
    loc = tuple(err["loc"])
    key = _key_text((*within, *loc))
    source = source_of(loc, origins, default_source)
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
    return f"{source}: {key} = {show_value(err.get('input'))}: {message}"


def _key_text(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return printable(text)


def source_of(loc: tuple, origins: dict[str, str], default_source: str) -> str:
    """The file or override that gave the value at ``loc`` (its own key or the nearest table's), else ``default_source``."""
    names = [str(p) for p in loc if isinstance(p, str)]
    for length in range(len(names), 0, -1):
        source = origins.get(".".join(names[:length]))
        if source:
            return source
    return default_source


def show_value(value: Any, longest: int = 120) -> str:
    """``value`` as in a scenario file (JSON, inf and nan as TOML writes them), cut to ``longest`` characters."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    text = printable(text)
    return text if len(text) <= longest else f"{text[:longest - 20]} ... {text[-15:]}"
