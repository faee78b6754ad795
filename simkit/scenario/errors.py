"""The one error a bad scenario input raises (a leaf module: the loader, the file readers and
the schema checks all raise it)."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` holds one line per problem, each naming the
    file (or the ``--set`` override), the key, the value and what is allowed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))
