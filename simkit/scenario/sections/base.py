"""What every scenario section shares: strict, frozen pydantic models whose fields carry a unit."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from simkit.scenario.strictness import check_strict

__all__ = ["Hour", "HourRange", "Section", "Share", "field", "names_differ", "with_defaults"]


def field(default, description: str, unit: str = "", **constraints):
    """A pydantic ``Field`` with a description and a unit shown in docs and widgets."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_types(cls, value: Any, info: ValidationInfo) -> Any:
        """No ``true`` as a count, no ``"0.3"`` as a number, no ``1`` or ``"yes"`` as true/false (except
        where the input is text by nature: a CSV cell, validated with ``context={"text_cells": True}``)."""
        if not (info.context or {}).get("text_cells"):
            check_strict(value, cls.model_fields[info.field_name].annotation)
        return value


def names_differ(what: str, items: list) -> None:
    names = [item.name for item in items]
    if len(set(names)) != len(names):
        raise ValueError(f"{what} names must differ, not {names}")


def with_defaults(items: list, parent: BaseModel, keys: tuple[str, ...]) -> list:
    """Copies of ``items`` whose unset (None) ``keys`` take the parent section's values."""
    return [item.model_copy(update={key: getattr(parent, key) for key in keys if getattr(item, key) is None})
            for item in items]


Share = Annotated[float, Field(ge=0.0, le=1.0)]
Hour = Annotated[float, Field(ge=0.0, le=24.0)]
HourRange = tuple[Hour, Hour]
