"""Reading the files a scenario names (the scenario, ``extends`` parents, caseload CSVs) safely.

A file must be a regular file (never a device such as ``/dev/zero``, a FIFO or a socket: checked
with ``os.stat`` before it is opened, and it is opened with ``O_NONBLOCK`` so that a FIFO swapped
in meanwhile cannot block) of at most ``SIMKIT_MAX_FILE_MB`` megabytes (default 64), read with
that cap. Symbolic links are followed; a loop of them is a clear error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from simkit.environment import number_from_environment
from simkit.scenario.errors import ScenarioError

MAX_FILE_MB_VARIABLE = "SIMKIT_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 64


def max_file_bytes() -> int:
    """The largest file simkit reads: ``$SIMKIT_MAX_FILE_MB`` megabytes (default 64)."""
    return int(number_from_environment(MAX_FILE_MB_VARIABLE, DEFAULT_MAX_FILE_MB, "megabytes") * 1024 * 1024)


def read_file_bytes(path: Path, what: str) -> bytes:
    """The bytes of the regular file ``path`` (``what``: "scenario", "caseload CSV", ... for the
    messages), at most :func:`max_file_bytes` of them; any problem is a one-line ScenarioError."""
    limit = max_file_bytes()
    info = _stat(path, what)
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError([f"{path}: is a folder, not a {what} file"])
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError([f"{path}: is not a regular file (a device, pipe or socket); a {what} must be a file"])
    if info.st_size > limit:
        raise ScenarioError([_too_large(path, what, limit)])
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise ScenarioError([f"{path}: cannot read the {what} file: {error.strerror}"]) from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced since the check above
            raise ScenarioError([f"{path}: is not a regular file (a device, pipe or socket); a {what} must be a file"])
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ScenarioError([_too_large(path, what, limit)])
    return data


def resolved(path: Path, what: str) -> Path:
    """``path`` with symbolic links resolved (for telling files apart); a loop is a ScenarioError."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python < 3.13 raises RuntimeError for a symlink loop
        raise ScenarioError([f"{path}: the {what} file is a loop of symbolic links"]) from None


def _stat(path: Path, what: str) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise ScenarioError([f"{path}: no such {what} file"]) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ScenarioError([f"{path}: the {what} file is a loop of symbolic links"]) from None
        raise ScenarioError([f"{path}: cannot read the {what} file: {error.strerror}"]) from None


def _too_large(path: Path, what: str, limit: int) -> str:
    return (f"{path}: a {what} file may be at most {round(limit / 1024 / 1024, 4):g} MB; this one is larger "
            f"(set {MAX_FILE_MB_VARIABLE} to allow more)")
