"""The run store's errors: one line naming the file and what SQLite's message means for it, and a
store found locked by another process tried again (:mod:`simkit.store`)."""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from simkit.environment import number_from_environment

TIMEOUT_VARIABLE = "SIMKIT_STORE_TIMEOUT"
BUSY_TIMEOUT_SECONDS = 60.0  # default wait for a store another process is writing
_REASONS = (  # SQLite's message -> what it means for a run store
    ("file is not a database", "not a simkit run store (not an SQLite database)"),
    ("malformed", "the run store is damaged (its SQLite file is corrupt); move it away to start a new one"),
    ("readonly", "the run store is read-only here; use --store to keep runs in a writable place"),
    ("unable to open", "cannot open or create the run store here (is the folder writable?)"),
    ("locked", "the run store is locked by another program"),
    ("disk i/o", "the run store cannot be read or written (disk I/O error)"),
)


class StoreError(OSError):
    """A run store file that cannot be used, with one line naming it and why."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        return self.args[0]


def store_error(path: Path, error: sqlite3.Error) -> StoreError:
    """The one-line error for SQLite's ``error`` on the store at ``path``."""
    text = str(error)
    reason = next((meaning for clue, meaning in _REASONS if clue in text.lower()), f"run store error: {text}")
    if "locked" in text.lower():
        reason += f" for over {busy_timeout():g} s (${TIMEOUT_VARIABLE} sets how long to wait)"
    return StoreError(f"{path}: {reason}", path)


def store_method(method: Callable) -> Callable:
    """A :class:`simkit.store.RunStore` method: turn SQLite's errors in ``method`` into a one-line :class:`StoreError` naming the store. A store
    locked by another process is tried again until ``$SIMKIT_STORE_TIMEOUT`` has passed: SQLite waits
    for a lock by itself, but in write-ahead mode it gives up at once when a transaction that began by
    reading must write after another process wrote (its snapshot is stale); the method's transaction
    was rolled back, so running it again is safe."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):  # self: a RunStore
        give_up, pause = time.monotonic() + busy_timeout(), 0.01
        while True:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error).lower() or time.monotonic() + pause > give_up:
                    raise self._error(error) from None
                if self._db.in_transaction:  # (a commit that found the store locked leaves it open)
                    self._db.rollback()
                time.sleep(pause)
                pause = min(2 * pause, 1.0)
            except sqlite3.Error as error:
                raise self._error(error) from None

    return guarded


def busy_timeout() -> float:
    """Seconds to wait for a store another process is writing: ``$SIMKIT_STORE_TIMEOUT`` or 60."""
    return number_from_environment(TIMEOUT_VARIABLE, BUSY_TIMEOUT_SECONDS, "seconds", zero_allowed=True)
