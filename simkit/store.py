"""The run store: every finished replication in one SQLite file, so that no finished run is lost.

A sweep or a plan writes each replication the moment it finishes (one committed transaction,
WAL journal, ``synchronous=FULL``), so a killed process, a Ctrl-C or a dead kernel loses at most
the replications that were still running. Running the same work again reuses what is stored.

One table, ``replications``, holds one row per finished replication. Its key is

- ``scenario_hash``: :meth:`Scenario.content_hash` of the scenario the replication ran, with
  every override applied (so the overrides are part of the key through it),
- ``model_hash``: a fingerprint of the code that decides the numbers (:func:`simkit.runner.simulate`
  and every simkit module it imports, directly or not: the model, the scenario schema and
  events, the metrics; :func:`model_fingerprint`), so results computed by other code are never
  reused,
- ``seed`` and ``replication``: the arguments of :func:`simkit.simulate`.

Each row also holds what is needed to rebuild the :class:`~simkit.runner.Result` and to label
it: ``base_hash`` (the scenario before the sweep's or plan's overrides), ``overrides`` (JSON),
``scenario_name``, ``metrics`` and ``audit`` (JSON),
``daily`` (the daily series as zstd-compressed Arrow IPC bytes, about 15 kB for a
municipality-year; a multi-area run's holds every area's too, about 1.2 MB for the 45 areas and
730 days of ``te24-2025.toml``), ``simkit_version`` and ``finished_at`` (UTC, ISO 8601). The scenario itself
(canonical JSON, which holds a caseload CSV's every row) is stored once per scenario, in the
table ``scenarios``; stores written before that keep it in ``replications.scenario``.

Two processes may work on one store at once (two sweeps of overlapping grids): before running a
replication a process claims it (table ``claims``: owner host and pid, and when), and a
replication claimed by another live process is not started but waited for and then read. A claim
whose owner process is gone (killed) or older than ``CLAIM_STALE_SECONDS`` is taken over.

Every problem with the store file (not a store, damaged, read-only, locked by another program
for longer than ``$SIMKIT_STORE_TIMEOUT`` seconds, a folder that cannot be written) is a
:class:`StoreError`: one line naming the file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from simkit._version import __version__
from simkit.fingerprint import model_fingerprint
from simkit.runner import Result
from simkit.scenario import Scenario, ScenarioError, scenario_from_dict
from simkit.store_errors import StoreError, store_method, busy_timeout, store_error

DEFAULT_STORE = Path("simkit-runs.sqlite")
CLAIM_STALE_SECONDS = 24 * 3600.0  # a claim this old is taken over even if its owner seems alive
ReplicationKey = tuple[str, int, int]  # scenario_hash, seed, replication

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS replications (
    scenario_hash TEXT NOT NULL,
    model_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    replication INTEGER NOT NULL,
    base_hash TEXT NOT NULL,
    overrides TEXT NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario TEXT NOT NULL,
    metrics TEXT NOT NULL,
    audit TEXT NOT NULL,
    daily BLOB NOT NULL,
    simkit_version TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    PRIMARY KEY (scenario_hash, model_hash, seed, replication)
)""",
    "CREATE TABLE IF NOT EXISTS scenarios (scenario_hash TEXT PRIMARY KEY, scenario TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS claims (
    scenario_hash TEXT NOT NULL,
    model_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    replication INTEGER NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    claimed_at REAL NOT NULL,
    PRIMARY KEY (scenario_hash, model_hash, seed, replication)
)""",
)
_REPLICATION_COLUMNS = ["scenario_hash", "seed", "replication", "scenario_name", "overrides", "finished_at"]


class RunStore:
    """An embedded SQLite store of finished replications (see the module docstring)."""

    def __init__(self, path: str | Path = DEFAULT_STORE):
        self.path = Path(path)
        self._owner = (socket.gethostname(), os.getpid())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{self.path}: cannot create the run store's folder: {error.strerror}", self.path) \
                from None
        try:
            self._db = sqlite3.connect(self.path, timeout=busy_timeout())
        except sqlite3.Error as error:
            raise self._error(error) from None
        try:
            self._prepare()
        except StoreError:
            self._db.close()
            raise

    @store_method
    def _prepare(self) -> None:
        """Write-ahead logging and the tables (two processes opening a new store at once may find it locked
        while the other switches its journal: tried again, as every store method)."""
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        with self._db:
            for statement in _SCHEMA:
                self._db.execute(statement)

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @store_method
    def save(self, result: Result, base_hash: str, overrides: Mapping[str, Any]) -> None:
        """Store one finished replication, and its scenario if new, and commit at once (an existing
        row is kept); this process's claim on it goes."""
        scenario = result.scenario
        scenario_hash = scenario.content_hash()
        with self._db:
            if self._db.execute("SELECT 1 FROM scenarios WHERE scenario_hash = ?", (scenario_hash,)).fetchone() is None:
                self._db.execute("INSERT OR IGNORE INTO scenarios VALUES (?, ?)",
                                 (scenario_hash, scenario.canonical_json()))
            self._db.execute(
                "INSERT OR IGNORE INTO replications VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario_hash, model_fingerprint(), result.seed, result.replication,
                    base_hash, _json(dict(overrides)), scenario.name, "",
                    _json(result.metrics), _json(result.audit), _daily_bytes(result.daily),
                    __version__, dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
                ),
            )
            self._release(self._db, [(scenario_hash, result.seed, result.replication)])

    @store_method
    def claim(self, keys: Iterable[ReplicationKey]) -> list[ReplicationKey]:
        """Claim the replications ``keys`` that are neither stored nor claimed by another live
        process (see the module docstring); returns those now claimed by this process."""
        claimed = []
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for key in keys:
                if self._db.execute("SELECT 1 FROM replications WHERE scenario_hash = ? AND model_hash = ?"
                                    " AND seed = ? AND replication = ?", _row_key(key)).fetchone():
                    continue
                holder = self._db.execute("SELECT host, pid, claimed_at FROM claims WHERE scenario_hash = ?"
                                          " AND model_hash = ? AND seed = ? AND replication = ?",
                                          _row_key(key)).fetchone()
                if holder is not None and tuple(holder[:2]) != self._owner and _alive(*holder):
                    continue
                self._db.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 (*_row_key(key), *self._owner, time.time()))
                claimed.append(key)
        return claimed

    @store_method
    def release(self, keys: Iterable[ReplicationKey]) -> None:
        """Drop this process's claims on ``keys`` (those it did not finish)."""
        with self._db:
            self._release(self._db, keys)

    def _release(self, db: sqlite3.Connection, keys: Iterable[ReplicationKey]) -> None:
        db.executemany("DELETE FROM claims WHERE scenario_hash = ? AND model_hash = ? AND seed = ? AND replication = ?"
                       " AND host = ? AND pid = ?", [(*_row_key(key), *self._owner) for key in keys])

    @store_method
    def load(self, scenario: Scenario, seed: int, replications: Iterable[int] | None = None) -> dict[int, Result]:
        """Stored replications of ``scenario`` and ``seed`` (those in ``replications``; None: all), by index."""
        wanted = None if replications is None else set(replications)
        rows = self._db.execute(
            "SELECT replication, metrics, audit, daily FROM replications"
            " WHERE scenario_hash = ? AND model_hash = ? AND seed = ?",
            (scenario.content_hash(), model_fingerprint(), seed),
        )
        return {
            index: Result(scenario, seed, index, json.loads(metrics), _daily_frame(daily), json.loads(audit))
            for index, metrics, audit, daily in rows
            if wanted is None or index in wanted
        }

    @store_method
    def groups(self) -> pd.DataFrame:
        """One row per stored scenario and seed: name, overrides, replications, last finished."""
        return pd.DataFrame.from_records(self._db.execute(
            "SELECT scenario_hash, seed, scenario_name, overrides, COUNT(*) AS replications,"
            " MAX(finished_at) AS last_finished FROM replications"
            " WHERE model_hash = ? GROUP BY scenario_hash, seed ORDER BY last_finished",
            (model_fingerprint(),),
        ).fetchall(), columns=["scenario_hash", "seed", "scenario_name", "overrides", "replications", "last_finished"])

    @store_method
    def other_model_replications(self) -> int:
        """How many stored replications came from other model code (kept, never reused)."""
        (count,) = self._db.execute(
            "SELECT COUNT(*) FROM replications WHERE model_hash != ?", (model_fingerprint(),)
        ).fetchone()
        return count

    @store_method
    def finished(self) -> pd.DataFrame:
        """One row per stored replication (any model version): its key and when it finished."""
        columns = ["scenario_hash", "model_hash", "seed", "replication", "finished_at"]
        return pd.DataFrame.from_records(self._db.execute(
            f"SELECT {', '.join(columns)} FROM replications ORDER BY scenario_hash, model_hash, seed, replication"
        ).fetchall(), columns=columns)

    @store_method
    def per_replication(self, hash_prefix: str = "") -> pd.DataFrame:
        """One row per stored replication of the current model: its labels and every metric."""
        rows = self._db.execute(
            f"SELECT {', '.join(_REPLICATION_COLUMNS)}, metrics"
            " FROM replications WHERE model_hash = ? AND substr(scenario_hash, 1, ?) = ?"
            " ORDER BY scenario_hash, seed, replication",
            (model_fingerprint(), len(hash_prefix), hash_prefix),
        )
        records = [{**dict(zip(_REPLICATION_COLUMNS, labels)), **json.loads(metrics)} for *labels, metrics in rows]
        return pd.DataFrame.from_records(records, columns=None if records else _REPLICATION_COLUMNS)

    @store_method
    def scenario(self, hash_prefix: str) -> Scenario:
        """The stored scenario whose content hash starts with ``hash_prefix`` (unique)."""
        hashes = [h for (h,) in self._db.execute(
            "SELECT DISTINCT scenario_hash FROM replications WHERE substr(scenario_hash, 1, ?) = ?",
            (len(hash_prefix), hash_prefix),
        )]
        if len(hashes) != 1:
            found = "no stored scenario" if not hashes else f"{len(hashes)} stored scenarios"
            raise ScenarioError([f"{self.path}: {found} with a hash starting {hash_prefix!r} (see simkit runs list)"])
        (text,) = self._db.execute(
            "SELECT COALESCE((SELECT scenario FROM scenarios WHERE scenario_hash = ?),"
            " (SELECT scenario FROM replications WHERE scenario_hash = ? AND scenario != '' LIMIT 1))",
            (hashes[0], hashes[0]),
        ).fetchone()
        return scenario_from_dict(json.loads(text), source=f"{self.path}:{hashes[0][:12]}")

    @store_method
    def seeds(self, scenario: Scenario) -> list[int]:
        """Seeds with stored replications of ``scenario`` (current model)."""
        return [s for (s,) in self._db.execute(
            "SELECT DISTINCT seed FROM replications WHERE scenario_hash = ? AND model_hash = ? ORDER BY seed",
            (scenario.content_hash(), model_fingerprint()),
        )]

    def _error(self, error: sqlite3.Error) -> StoreError:
        return store_error(self.path, error)

    def __str__(self) -> str:
        return str(self.path)


def _row_key(key: ReplicationKey) -> tuple[str, str, int, int]:
    scenario_hash, seed, replication = key
    return scenario_hash, model_fingerprint(), seed, replication


def _alive(host: str, pid: int, claimed_at: float) -> bool:
    """Whether a claim's owner may still be working on it: not too old, and (on this host) its
    process is running (not gone, not a zombie)."""
    if time.time() - claimed_at > CLAIM_STALE_SECONDS:
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _json(value: Any) -> str:
    return json.dumps(value, default=str)  # key order kept: metrics stay in registry order


def _daily_bytes(daily: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    daily.to_feather(buffer, compression="zstd")
    return buffer.getvalue()


def _daily_frame(data: bytes) -> pd.DataFrame:
    return pd.read_feather(io.BytesIO(data))
