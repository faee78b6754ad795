"""The input checks the scenario schema applies to every field: strict types, names without control
characters, dates in a range a scenario can use, and the limits they name."""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
import unicodedata
from typing import Annotated, Any

FIRST_DATE = dt.date(2000, 1, 1)  # dates of a scenario and its events lie in [FIRST_DATE, LAST_DATE]
LAST_DATE = dt.date(2100, 12, 31)
LARGEST_SEED = 2**63 - 1  # seeds are stored as SQLite integers (signed 64-bit)
NAME_LENGTH = 200  # characters in a scenario's or an event's name
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")



def check_strict(value: Any, annotation: Any) -> None:
    """Raise ``ValueError`` where ``value`` is of a type pydantic would quietly convert to ``annotation``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        check_strict(value, args[0])
    elif origin in (typing.Union, types.UnionType):
        kinds = [arg for arg in args if arg is not type(None)]
        if value is not None and len(kinds) == 1:
            check_strict(value, kinds[0])
    elif origin in (list, tuple) and isinstance(value, list | tuple):
        items = [arg for arg in args if arg is not Ellipsis]
        for index, item in enumerate(value):
            try:
                check_strict(item, items[min(index, len(items) - 1)] if items else Any)
            except ValueError as error:
                raise ValueError(f"item {index} ({json.dumps(item)}): {error}") from None
    elif annotation is bool and not isinstance(value, bool):
        raise ValueError("input should be true or false (without quotes)")
    elif annotation in (int, float) and isinstance(value, bool | str):
        kind = "a valid whole number" if annotation is int else "a valid number"
        raise ValueError(f"input should be {kind} ({'not true or false' if isinstance(value, bool) else 'without quotes'})")


def plain_name(value: str, allow_lines: bool = False) -> str:
    """``value`` if it holds no control characters (escape sequences, bidi overrides); newlines and
    tabs only where ``allow_lines``."""
    allowed = {"\n", "\t"} if allow_lines else set()
    bad = [c for c in value if c not in allowed and (unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS)]
    if bad:
        raise ValueError(f"control character U+{ord(bad[0]):04X} is not allowed in a name or description")
    return value


def date_in_range(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"a date from {FIRST_DATE} to {LAST_DATE} is allowed")
    return value
