"""The caseload CSV (``inflow.initial_clients_csv``): the clients active on day 0, one row each.

Read like a scenario: a problem is one line naming the file, the row (the header is row 1), the
column and the value. The file is a regular file under the size cap (:mod:`simkit.scenario.files`),
UTF-8 (a BOM is allowed), with a header row and at least one client row.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from pathlib import Path

from pydantic import ValidationError

from simkit.scenario.errors import ScenarioError
from simkit.scenario.files import read_file_bytes
from simkit.scenario.schema import ActiveClient

WHAT = "caseload"  # as the file readers name it: "no such caseload file"
REQUIRED = [name for name, field in ActiveClient.model_fields.items() if field.is_required()]


def read_active_clients(path: Path) -> list[dict]:
    """The rows of the caseload CSV ``path`` as :class:`ActiveClient` dictionaries (blank cells left out)."""
    rows = _rows(path)
    if not rows:
        raise ScenarioError([(f"{path}: the caseload CSV is empty; it needs a header row ({', '.join(_known())}) "
                             "and one row per client")])
    header = [name.strip() for name in rows[0]]
    _check_header(path, header)
    clients, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) != len(header):
            problems.append(f"{path}: row {line} has {len(row)} fields but the header has {len(header)}")
            continue
        values = {key: cell for key, cell in zip(header, row) if cell.strip()}
        try:
            clients.append(ActiveClient.model_validate(values, context={"text_cells": True}).model_dump())
        except ValidationError as error:
            problems.extend(
                f"{path}: row {line}, column {err['loc'][0]} = {json.dumps(err.get('input'), ensure_ascii=False)}: "
                f"{err['msg'][0].lower()}{err['msg'][1:]}" for err in error.errors(include_url=False)
            )
    if problems:
        more = f" (and {len(problems) - 1} more problems in this file)" if len(problems) > 1 else ""
        raise ScenarioError([problems[0] + more])
    if not clients:
        raise ScenarioError([(f"{path}: the caseload CSV has a header but no client rows; give one row per client "
                             "(or leave initial_clients_csv out to draw initial_clients)")])
    return clients


def _rows(path: Path) -> list[list[str]]:
    data = read_file_bytes(path, WHAT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError([f"{path}: not a UTF-8 text file (byte {error.start}); save the caseload CSV as UTF-8"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:
        raise ScenarioError([f"{path}: row {reader.line_num}: not a readable CSV row: {error}"]) from None


def _check_header(path: Path, header: list[str]) -> None:
    known = _known()
    for column, name in enumerate(header, start=1):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else f"; allowed: {', '.join(known)}"
            raise ScenarioError([f"{path}: row 1, column {column}: unknown column {name[:80]!r}{hint}"])
        if header.index(name) != column - 1:
            raise ScenarioError([f"{path}: row 1, column {column}: column {name!r} appears twice"])
    for name in REQUIRED:
        if name not in header:
            raise ScenarioError([f"{path}: row 1: the required column {name} is missing (columns: {', '.join(known)})"])


def _known() -> list[str]:
    return list(ActiveClient.model_fields)
