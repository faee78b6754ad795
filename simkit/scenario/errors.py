"""The one error a bad scenario input raises (a leaf module: the loader, the file readers and
the schema checks all raise it)."""

from __future__ import annotations

import unicodedata


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` holds one line per problem, each naming the
    file (or the ``--set`` override), the key, the value and what is allowed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def printable(text: str) -> str:
    """``text`` safe for one line of a terminal: control, format and line-separator characters
    (newlines, U+2028, escape sequences, bidi overrides) written as ``\\uXXXX``."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
