"""File writes: atomic, with normal file modes, safe to open in a spreadsheet, and whole folders
of results written as a set.

- A file is written to a temporary file in the same folder and renamed into place, so a reader
  sees the old file or the new one, never half of one; it gets the mode a new file normally gets
  (``0o666`` less the umask), not the ``0o600`` of a temporary file.
- :func:`written_as_a_set` writes a results folder into a temporary sibling folder and renames it
  into place at the end: a failure leaves the old results (or none), never a mix of two runs.
- Every CSV goes through :func:`spreadsheet_safe`: a text cell that a spreadsheet would run as a
  formula (one beginning with ``=``, ``@``, a tab, a carriage return, or ``+`` or ``-`` when it is
  not a number) gets a leading ``'``, as OWASP recommends against CSV injection.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?$")  # -5, +1.5e3, -1,234.5, -12%


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), 0o666 & ~_umask())
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(target)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_csv(path: str | Path, frame: pd.DataFrame, index: bool = True) -> None:
    """Write ``frame`` as CSV (atomically), its text cells made :func:`spreadsheet_safe`."""
    atomic_write_text(path, spreadsheet_safe(frame).to_csv(index=index))


def atomic_write_parquet(path: str | Path, frame: pd.DataFrame) -> None:
    atomic_write_bytes(path, frame.to_parquet(index=False))


def atomic_write_json(path: str | Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(json_safe(data), ensure_ascii=False, indent=2) + "\n")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, column names and index labels cannot run as a
    spreadsheet formula: each one starting with ``=``, ``@``, a tab, a carriage return, or ``+`` or
    ``-`` unless it is a number such as ``-5``, gets a leading ``'``. Numbers are left alone."""
    safe = frame.copy()
    for column in safe.columns:
        if _holds_text(safe[column].dtype):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = _safe_labels(safe.columns)
    safe.index = _safe_labels(safe.index)
    return safe


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is a text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return f"'{value}"
    return value


def _safe_labels(labels: pd.Index) -> pd.Index:
    if isinstance(labels, pd.MultiIndex):
        return labels.set_levels([_safe_labels(level) for level in labels.levels])
    return labels.map(safe_cell) if _holds_text(labels.dtype) else labels


def _holds_text(dtype) -> bool:
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


@contextmanager
def written_as_a_set(folder: str | Path, names: Iterable[str]) -> Iterator[Path]:
    """Yield a temporary sibling folder to write the files ``names`` into; on success it replaces
    ``folder`` (whose earlier files of these names go), on failure it is removed and ``folder`` is
    untouched. An ``OSError`` names ``folder``, not the temporary one. ``folder`` must be new, empty
    or hold only files of these names (see :func:`check_output_folder`)."""
    target = Path(folder)
    check_output_folder(target, names)
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
            os.replace(target, old / target.name)
            os.replace(temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        name = Path(error.filename).name if error.filename else ""
        raise OSError(error.errno, error.strerror, str(target / name) if name in set(names) else str(target)) \
            from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def check_output_folder(folder: str | Path, names: Iterable[str]) -> None:
    """Raise ``OSError`` (naming ``folder``) unless results can be written there: its parent is
    (or can be made) a writable folder, and ``folder`` is new, an empty folder, or a folder of
    earlier results (only files named in ``names``)."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise FileExistsError(17, "exists and is not a folder", str(target))
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if p.name not in set(names))
        if foreign:
            raise FileExistsError(17, f"holds files simkit did not write there ({', '.join(foreign[:3])}); "
                                      "choose a new or empty folder", str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp").cleanup()
    except OSError as error:
        raise OSError(error.errno, f"cannot write results there: {error.strerror}", str(target)) from None


def json_safe(value: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) by None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
