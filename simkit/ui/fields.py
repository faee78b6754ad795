"""What the scenario editor (notebook 05) can edit: one field per single-value key of the schema.

Each field of :class:`simkit.Scenario` becomes a :class:`FieldSpec` with its unit, allowed range
and choices; the form (:mod:`simkit.ui.editor`) makes a widget of each.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel

from simkit.i18n import t, unit_label
from simkit.scenario import Scenario


@dataclass(frozen=True)
class FieldSpec:
    """One editable scenario key, from the schema."""

    key: str  # dotted, e.g. "coaches.count"
    kind: str  # "int", "float", "bool", "str", "text", "choice", "date", "list"
    default: Any
    unit: str
    description: str
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    choices: tuple = ()
    optional: bool = False  # may be left empty (None)

    def range_text(self) -> str:
        """The allowed values, e.g. ``0–1``, ``> 0``, ``1–3650``, ``2021 | nordic-2022``, ``each 0–24``."""
        if self.kind == "choice":
            return " | ".join(str(c) for c in self.choices)
        if self.kind == "bool":
            return "true | false"
        if self.ge is not None and self.le is not None:
            text = f"{_num(self.ge)}–{_num(self.le)}"
        else:
            lower = f"≥ {_num(self.ge)}" if self.ge is not None else (f"> {_num(self.gt)}" if self.gt is not None else "")
            upper = f"≤ {_num(self.le)}" if self.le is not None else (f"< {_num(self.lt)}" if self.lt is not None else "")
            text = ", ".join(part for part in (lower, upper) if part)
        if self.kind == "list":
            return f"[{t('each')} {text}]" if text else "[…]"
        return text

    def label(self) -> str:
        unit = unit_label(self.unit) if self.unit else ""
        allowed = self.range_text()
        details = ", ".join(part for part in (unit, t("range", range=allowed) if allowed else "") if part)
        return f"{self.key}" + (f" ({details})" if details else "")


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(metadata) -> dict:
    bounds = {}
    for constraint in metadata:
        for attr in ("ge", "gt", "le", "lt"):
            if isinstance(constraint, getattr(annotated_types, attr.capitalize())):
                bounds[attr] = getattr(constraint, attr)
        for inner in getattr(constraint, "metadata", ()) or ():  # a FieldInfo inside Annotated
            bounds.update(_bounds([inner]))
    return bounds


def _item_bounds(annotation) -> dict:
    """Bounds of the items of ``list[Annotated[float, Field(ge=..)]]`` or a tuple of them."""
    args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
    if not args:
        return {}
    return _bounds(typing.get_args(args[0])[1:]) if typing.get_origin(args[0]) is typing.Annotated else {}


def _unwrap_optional(annotation):
    """(``X``, True) for ``X | None`` (also ``Annotated[X, ...] | None``); (annotation, False) otherwise."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            inner = args[0]
            return (typing.get_args(inner)[0] if typing.get_origin(inner) is typing.Annotated else inner), True
    return annotation, False


def _holds_tables(annotation) -> bool:
    """True for ``list[SomeModel]`` (an array of tables such as ``[[kela.question_types]]``), optional or not."""
    annotation, _ = _unwrap_optional(annotation)
    return any(_is_section(arg) or _is_section(typing.get_args(arg)[0] if typing.get_origin(arg) is typing.Annotated
                                                 else None) for arg in typing.get_args(annotation))


def _is_section(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def schema_fields(model: type[BaseModel] = Scenario) -> list[FieldSpec]:
    """Every leaf key of the scenario's tables, in schema order, with unit, range and choices.

    Only single values are covered, also in a table inside a section (``meeting.channels.phone.share``);
    arrays of tables (``[[events]]``, ``[[kela.question_types]]``, ``[[coaches.teams]]``) are not form
    fields and are kept in the file as they are.
    """
    specs = []
    for section, section_field in model.model_fields.items():
        if _is_section(section_field.annotation):
            specs.extend(_section_fields(section_field.annotation, f"{section}."))
    return specs


def _section_fields(section_model: type[BaseModel], prefix: str) -> list[FieldSpec]:
    """The form fields of one table (``prefix`` is its dotted key and a dot), tables inside it included."""
    specs = []
    for name, info in section_model.model_fields.items():
        if _is_section(info.annotation):
            specs.extend(_section_fields(info.annotation, f"{prefix}{name}."))
            continue
        annotation, optional = _unwrap_optional(info.annotation)
        bounds = _bounds(info.metadata)
        choices: tuple = ()
        if typing.get_origin(annotation) is Literal:
            kind, choices = "choice", typing.get_args(annotation)
        elif annotation is bool:
            kind = "bool"
        elif annotation is int:
            kind = "int"
        elif annotation is float:
            kind = "float"
        elif annotation is dt.date:
            kind = "date"
        elif annotation is str:
            kind = "text" if name == "description" else "str"
        elif typing.get_origin(annotation) in (list, tuple) and not _holds_tables(annotation):
            kind = "list"
            bounds = _item_bounds(annotation)
        else:
            continue  # nothing a simple form field can edit
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        specs.append(FieldSpec(
            key=f"{prefix}{name}", kind=kind, default=default, unit=extra.get("unit", ""),
            description=info.description or "", choices=choices, optional=optional, **bounds,
        ))
    return specs
