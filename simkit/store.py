"""The run store: every finished replication in one SQLite file, so that no finished run is lost.

A sweep or a plan writes each replication the moment it finishes (one committed transaction,
WAL journal, ``synchronous=FULL``), so a killed process, a Ctrl-C or a dead kernel loses at most
the replications that were still running. Running the same work again reuses what is stored.

One table, ``replications``, holds one row per finished replication. Its key is

- ``scenario_hash``: :meth:`Scenario.content_hash` of the scenario the replication ran, with
  every override applied (so the overrides are part of the key through it),
- ``model_hash``: a fingerprint of the code that decides the numbers (the model, the scenario
  schema and events, the metrics and the runner: :func:`model_fingerprint`), so results
  computed by other code are never reused,
- ``seed`` and ``replication``: the arguments of :func:`simkit.simulate`.

Each row also holds what is needed to rebuild the :class:`~simkit.runner.Result` and to label
it: ``base_hash`` (the scenario before the sweep's or plan's overrides), ``overrides`` (JSON),
``scenario`` (canonical JSON), ``scenario_name``, ``metrics`` and ``audit`` (JSON),
``daily`` (the daily series as zstd-compressed Arrow IPC bytes, about 15 kB for a
municipality-year), ``simkit_version`` and ``finished_at`` (UTC, ISO 8601).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

import simkit
from simkit.runner import Result
from simkit.scenario import Scenario, ScenarioError, scenario_from_dict

DEFAULT_STORE = Path("simkit-runs.sqlite")
MODEL_SOURCES = ("model/*.py", "scenario/*.py", "metrics.py", "runner.py", "areas.py", "costs.py")  # below the simkit package
BUSY_TIMEOUT_SECONDS = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS replications (
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
)
"""
_REPLICATION_COLUMNS = ["scenario_hash", "seed", "replication", "scenario_name", "overrides", "finished_at"]


@functools.cache
def model_fingerprint() -> str:
    """A short SHA-256 of the source files that decide a replication's numbers (``MODEL_SOURCES``)."""
    package = Path(simkit.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(path for pattern in MODEL_SOURCES for path in package.glob(pattern)):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class RunStore:
    """An embedded SQLite store of finished replications (see the module docstring)."""

    def __init__(self, path: str | Path = DEFAULT_STORE):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            with self._db:
                self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise OSError(f"{self.path}: not a simkit run store ({error})") from None

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def save(self, result: Result, base_hash: str, overrides: Mapping[str, Any]) -> None:
        """Store one finished replication and commit at once (an existing row is kept)."""
        scenario = result.scenario
        with self._db:
            self._db.execute(
                "INSERT OR IGNORE INTO replications VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario.content_hash(), model_fingerprint(), result.seed, result.replication,
                    base_hash, _json(dict(overrides)), scenario.name, scenario.canonical_json(),
                    _json(result.metrics), _json(result.audit), _daily_bytes(result.daily),
                    simkit.__version__, dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
                ),
            )

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

    def groups(self) -> pd.DataFrame:
        """One row per stored scenario and seed: name, overrides, replications, last finished."""
        return pd.read_sql_query(
            "SELECT scenario_hash, seed, scenario_name, overrides, COUNT(*) AS replications,"
            " MAX(finished_at) AS last_finished FROM replications"
            " WHERE model_hash = ? GROUP BY scenario_hash, seed ORDER BY last_finished",
            self._db, params=(model_fingerprint(),),
        )

    def other_model_replications(self) -> int:
        """How many stored replications came from other model code (kept, never reused)."""
        (count,) = self._db.execute(
            "SELECT COUNT(*) FROM replications WHERE model_hash != ?", (model_fingerprint(),)
        ).fetchone()
        return count

    def finished(self) -> pd.DataFrame:
        """One row per stored replication (any model version): its key and when it finished."""
        return pd.read_sql_query(
            "SELECT scenario_hash, model_hash, seed, replication, finished_at FROM replications"
            " ORDER BY scenario_hash, model_hash, seed, replication",
            self._db,
        )

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

    def scenario(self, hash_prefix: str) -> Scenario:
        """The stored scenario whose content hash starts with ``hash_prefix`` (unique)."""
        hashes = [h for (h,) in self._db.execute(
            "SELECT DISTINCT scenario_hash FROM replications WHERE substr(scenario_hash, 1, ?) = ?",
            (len(hash_prefix), hash_prefix),
        )]
        if len(hashes) != 1:
            found = "no stored scenario" if not hashes else f"{len(hashes)} stored scenarios"
            raise ScenarioError([f"{self.path}: {found} with a hash starting {hash_prefix!r} (see simkit runs list)"])
        (text,) = self._db.execute("SELECT scenario FROM replications WHERE scenario_hash = ?", hashes).fetchone()
        return scenario_from_dict(json.loads(text), source=f"{self.path}:{hashes[0][:12]}")

    def seeds(self, scenario: Scenario) -> list[int]:
        """Seeds with stored replications of ``scenario`` (current model)."""
        return [s for (s,) in self._db.execute(
            "SELECT DISTINCT seed FROM replications WHERE scenario_hash = ? AND model_hash = ? ORDER BY seed",
            (scenario.content_hash(), model_fingerprint()),
        )]


def _json(value: Any) -> str:
    return json.dumps(value, default=str)  # key order kept: metrics stay in registry order


def _daily_bytes(daily: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    daily.to_feather(buffer, compression="zstd")
    return buffer.getvalue()


def _daily_frame(data: bytes) -> pd.DataFrame:
    return pd.read_feather(io.BytesIO(data))
