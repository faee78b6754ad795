"""Careless and hostile input, each case one line on stderr and exit 2, quickly, in bounded memory.

Every case of ``CASES`` runs the ``simkit`` command (in one child process with a memory limit of
``MEMORY_LIMIT_BYTES`` and an alarm of ``SECONDS_PER_CASE`` per case, so that a regression to a
memory blow-up or a hang fails the case instead of the machine) and must end with exit code 2,
exactly one line on stderr holding each expected fragment (the file, key, value, what is
allowed), no traceback and no "internal error".
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, SEINAJOKI
from simkit.store import RunStore

MEMORY_LIMIT_BYTES = 3 * 2**30
SECONDS_PER_CASE = 8

CHILD = r"""
import json, os, resource, signal, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from click.testing import CliRunner
from simkit.cli import main

class TooSlow(Exception):
    pass

def alarm(*_):
    raise TooSlow()

signal.signal(signal.SIGALRM, alarm)
outcomes = {{}}
for case in json.load(sys.stdin):
    os.chdir(case["cwd"])
    started = time.monotonic()
    signal.alarm({seconds})
    try:
        result = CliRunner().invoke(main, case["args"], env=case["env"])
        crash = result.exception if not isinstance(result.exception, SystemExit) else None
        outcome = {{"code": result.exit_code, "stderr": result.stderr, "stdout": result.stdout,
                    "crash": repr(crash) if crash else None}}
    except TooSlow:
        outcome = {{"code": None, "stderr": "", "stdout": "", "crash": "no answer within {seconds} s"}}
    finally:
        signal.alarm(0)
    outcome["seconds"] = time.monotonic() - started
    outcomes[case["id"]] = outcome
json.dump(outcomes, sys.stdout)
"""


@dataclass(frozen=True)
class Case:
    """``simkit ARGS`` in a folder prepared by ``setup``; the one stderr line must hold ``fragments``.
    ``{tmp}`` in an argument or fragment is that folder, ``{seinajoki}`` the bundled scenario."""

    id: str
    args: list[str]
    fragments: list[str]
    files: dict[str, str | bytes] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    env: dict[str, str] = field(default_factory=dict)


def scenario(body: str) -> dict[str, str]:
    """A scenario file ``s.toml`` that extends the bundled Seinäjoki scenario with ``body``."""
    return {"s.toml": f'extends = "{SEINAJOKI}"\n{body}\n'}


def with_csv(csv: str | bytes, body: str = "") -> dict[str, str | bytes]:
    return {**scenario(f'[inflow]\ninitial_clients_csv = "c.csv"\n{body}'), "c.csv": csv}


def fifo(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda folder: os.symlink(target, folder / name)


def symlink_loop(folder: Path) -> None:
    os.symlink(folder / "b.toml", folder / "a.toml")
    os.symlink(folder / "a.toml", folder / "b.toml")


def extends_chain(length: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for index in range(length):
            (folder / f"c{index}.toml").write_text(f'extends = "c{index + 1}.toml"\n')
        (folder / f"c{length}.toml").write_text("")
    return make


def folder(name: str, *files: str) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / name).mkdir()
        for file in files:
            (tmp / name / file).write_text("x")
    return make


def store(name: str) -> Callable[[Path], None]:
    return lambda tmp: RunStore(tmp / name).close()


def corrupt_store(tmp: Path) -> None:
    RunStore(tmp / "corrupt.sqlite").close()
    data = bytearray((tmp / "corrupt.sqlite").read_bytes())
    data[100:4096 * 2] = b"\xa5" * (4096 * 2 - 100)  # the header's tail and the first pages
    (tmp / "corrupt.sqlite").write_bytes(bytes(data))


S = "{tmp}/s.toml"
RUN = ["run", S, "-r", "6"]
SWEEP = ["sweep", S, "--grid", "coaches.count=3,4", "-r", "2", "--store", "{tmp}/runs.sqlite"]
PLAN = ["plan", S, "--vary", "coaches.count", "--target", "coach.caseload_mean<=120", "--store", "{tmp}/runs.sqlite"]
SEINAJOKI_RUN = ["run", "{seinajoki}", "-r", "6"]

CASES = [
    # -- numbers: limits, finiteness, strict types -------------------------------------------------------
    Case("initial-clients-1e9", RUN, [S, "inflow.initial_clients = 1000000000", "2000000"],
         scenario("[inflow]\ninitial_clients = 1000000000")),
    Case("initial-clients-10M", RUN, ["inflow.initial_clients = 10000000", "2000000"],
         scenario("[inflow]\ninitial_clients = 10000000\n[scenario]\ndays = 30")),
    Case("per-week-1e9", RUN, ["inflow.per_week = 1000000000.0", "50000"], scenario("[inflow]\nper_week = 1e9")),
    Case("set-per-week-1e12", [*SEINAJOKI_RUN, "--set", "inflow.per_week=1e12"],
         ["--set inflow.per_week=1e12", "50000"]),
    Case("per-week-inf", RUN, ["inflow.per_week = inf", "finite"], scenario("[inflow]\nper_week = inf")),
    Case("mean-days-inf", RUN, ["spell.mean_days = inf", "finite"], scenario("[spell]\nmean_days = inf")),
    Case("mean-days-nan", RUN, ["spell.mean_days = nan", "finite"], scenario("[spell]\nmean_days = nan")),
    Case("patience-nan", RUN, ["kela.patience_minutes = nan", "or inf"], scenario("[kela]\npatience_minutes = nan")),
    Case("seasonality-huge", RUN, ["inflow.seasonality[5] = 1e+300", "10"],
         scenario("[inflow]\nseasonality = [1, 1, 1, 1, 1, 1e300, 1, 1, 1, 1, 1, 1]")),
    Case("count-true", RUN, ["coaches.count = true", "whole number"], scenario("[coaches]\ncount = true")),
    Case("share-in-quotes", RUN, ['clients.under_30 = "0.3"', "without quotes"],
         scenario('[clients]\nunder_30 = "0.3"')),
    Case("bool-in-quotes", RUN, ['calendar.public_holidays = "yes"', "true or false"],
         scenario('[calendar]\npublic_holidays = "yes"')),
    Case("list-item-in-quotes", RUN, ['inflow.seasonality = ["1", 1', 'item 0 ("1")', "without quotes"],
         scenario('[inflow]\nseasonality = ["1", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]')),
    Case("days-zero", [*SEINAJOKI_RUN, "--set", "scenario.days=0"], ["scenario.days = 0", "greater than or equal to 1"]),
    Case("set-1e400", [*SEINAJOKI_RUN, "--set", "inflow.per_week=1e400"], ["inflow.per_week", "finite"]),
    Case("caseload-cap-huge", RUN, ["coaches.caseload_cap = 1000000000", "100000"],
         scenario("[coaches]\ncaseload_cap = 1000000000")),
    Case("seed-negative", RUN, ["scenario.seed = -1", "greater than or equal to 0"], scenario("[scenario]\nseed = -1")),
    Case("seed-2-64", RUN, ["scenario.seed = 18446744073709551616", "9223372036854775807"],
         scenario("[scenario]\nseed = 18446744073709551616")),
    Case("start-date-9999", RUN, ['scenario.start_date = "9999-12-01"', "2100-12-31"],
         scenario("[scenario]\nstart_date = 9999-12-01")),
    Case("event-date-9999", RUN, ["events[0].date", "2100-12-31"],
         scenario('[[events]]\ndate = 9999-01-01\nset = { "coaches.count" = 3 }')),
    Case("table-then-set-key", [*RUN, "--set", "coaches.count=3"], ["--set coaches.count=3", "coaches = 5", "table"],
         scenario("coaches = 5")),
    Case("section-not-a-table", RUN, ["coaches = 5", "dictionary"], scenario("coaches = 5")),
    Case("set-section-to-number", [*SEINAJOKI_RUN, "--set", "events=5"], ["events = 5", "list"]),
    Case("memory-estimate", [*SEINAJOKI_RUN, "--set", "scenario.days=3650", "--set", "inflow.per_week=50000"],
         ["inflow.per_week", "scenario.days", "GB", "SIMKIT_MAX_RUN_MB"]),
    Case("memory-of-kela-questions", [*SEINAJOKI_RUN, "--set", "kela.questions_per_client_month=100",
                                      "--set", "inflow.initial_clients=2000000", "--set", "scenario.days=3650"],
         ["kela.questions_per_client_month", "SIMKIT_MAX_RUN_MB"]),
    Case("memory-limit-env-bad", SEINAJOKI_RUN, ["SIMKIT_MAX_RUN_MB", "megabytes"], env={"SIMKIT_MAX_RUN_MB": "lots"}),
    Case("too-many-teams", RUN, ["coaches.teams", "at most 100"],
         scenario("[coaches]\ncount = 101\n" + "".join(
             f'[[coaches.teams]]\nname = "t{i}"\ncount = 1\n' for i in range(101)))),
    # -- names: control characters, length ---------------------------------------------------------------
    Case("name-escape-sequence", RUN, ["scenario.name", "U+001B"], scenario('[scenario]\nname = "a\\u001b[31mred"')),
    Case("name-bidi-override", RUN, ["scenario.name", "U+202E"], scenario('[scenario]\nname = "abc\\u202edef"')),
    Case("name-too-long", RUN, ["scenario.name", "200 characters"], scenario(f'[scenario]\nname = "{"x" * 1000}"')),
    Case("description-escape", RUN, ["scenario.description", "U+001B"],
         scenario('[scenario]\ndescription = "\\u001b]0;owned\\u0007"')),
    Case("event-name-bell", RUN, ["events[0].name", "U+0007"],
         scenario('[[events]]\ndate = 2021-06-01\nname = "a\\u0007"\nset = { "coaches.count" = 3 }')),
    # -- scenario files ----------------------------------------------------------------------------------
    Case("scenario-missing", ["run", "{tmp}/nope.toml"], ["{tmp}/nope.toml", "no such scenario file"]),
    Case("scenario-dev-zero", ["run", "/dev/zero"], ["/dev/zero", "not a regular file"]),
    Case("scenario-fifo", ["run", "{tmp}/f.toml"], ["{tmp}/f.toml", "not a regular file"], setup=fifo("f.toml")),
    Case("scenario-folder", ["run", "{tmp}/d"], ["{tmp}/d", "directory"], setup=folder("d")),
    Case("scenario-symlink-loop", ["run", "{tmp}/a.toml"], ["{tmp}/a.toml", "loop of symbolic links"],
         setup=symlink_loop),
    Case("scenario-too-large", RUN, [S, "at most 0.01 MB", "SIMKIT_MAX_FILE_MB"],
         {"s.toml": "# padding\n" * 2000}, env={"SIMKIT_MAX_FILE_MB": "0.01"}),
    Case("scenario-not-utf8", RUN, [S, "not a UTF-8"], {"s.toml": b"name = \"\xff\xfe\"\n"}),
    Case("scenario-bad-toml", RUN, [S, "not valid TOML"], {"s.toml": "[coaches\ncount = 3\n"}),
    Case("deep-array", RUN, [S, "nested deeper than 32"], {"s.toml": "x = " + "[" * 100_000 + "]" * 100_000}),
    Case("nesting-40", RUN, [S, "nested deeper than 32"], {"s.toml": "x = " + "[" * 40 + "]" * 40}),
    Case("set-deep-value", [*SEINAJOKI_RUN, "--set", "scenario.name=" + "[" * 50 + "]" * 50], ["nested deeper"]),
    Case("unknown-key", RUN, ["coaches.cont", "did you mean coaches.count?"], scenario("[coaches]\ncont = 3")),
    # -- extends -----------------------------------------------------------------------------------------
    Case("extends-dev-zero", RUN, [S, 'extends = "/dev/zero"', ".toml file"], {"s.toml": 'extends = "/dev/zero"\n'}),
    Case("extends-dev-urandom", RUN, [S, ".toml file"], {"s.toml": 'extends = "/dev/urandom"\n'}),
    Case("extends-link-to-dev-zero", RUN, ["{tmp}/zero.toml", "not a regular file"],
         {"s.toml": 'extends = "zero.toml"\n'}, setup=symlink("zero.toml", "/dev/zero")),
    Case("extends-fifo", RUN, ["{tmp}/f.toml", "not a regular file"], {"s.toml": 'extends = "f.toml"\n'},
         setup=fifo("f.toml")),
    Case("extends-symlink-loop", RUN, ["{tmp}/a.toml", "loop of symbolic links"], {"s.toml": 'extends = "a.toml"\n'},
         setup=symlink_loop),
    Case("extends-cycle", RUN, ["extends makes a cycle"],
         {"s.toml": 'extends = "b.toml"\n', "b.toml": 'extends = "s.toml"\n'}),
    Case("extends-chain-1500", ["run", "{tmp}/c0.toml"], ["extends chains at most 16 files"],
         setup=extends_chain(1500)),
    Case("extends-missing", RUN, ["{tmp}/nope.toml", "no such"], {"s.toml": 'extends = "nope.toml"\n'}),
    Case("extends-number", RUN, ["extends = 5", ".toml file"], {"s.toml": "extends = 5\n"}),
    Case("extends-folder", RUN, ["{tmp}/d.toml", "is a folder"], {"s.toml": 'extends = "d.toml"\n'},
         setup=folder("d.toml")),
    # -- caseload CSV ------------------------------------------------------------------------------------
    Case("csv-etc-passwd", RUN, ["/etc/passwd", "row 1", "unknown column"],
         scenario('[inflow]\ninitial_clients_csv = "/etc/passwd"')),
    Case("csv-ragged-row", RUN, ["{tmp}/c.csv", "row 3 has 3 fields but the header has 2"],
         with_csv("days_since_registration,team\n5,te\n6,te,extra\n")),
    Case("csv-empty", RUN, ["{tmp}/c.csv", "empty"], with_csv("")),
    Case("csv-header-only", RUN, ["{tmp}/c.csv", "no client rows"], with_csv("days_since_registration\n")),
    Case("csv-folder", RUN, ["{tmp}/c.csv", "is a folder"], scenario('[inflow]\ninitial_clients_csv = "c.csv"'),
         setup=folder("c.csv")),
    Case("csv-dev-zero", RUN, ["/dev/zero", "not a regular file"],
         scenario('[inflow]\ninitial_clients_csv = "/dev/zero"')),
    Case("csv-fifo", RUN, ["{tmp}/c.csv", "not a regular file"], scenario('[inflow]\ninitial_clients_csv = "c.csv"'),
         setup=fifo("c.csv")),
    Case("csv-nul-byte", RUN, ["{tmp}/c.csv", "row 2, column days_since_registration", "valid number"], with_csv("days_since_registration\n5\x00\n")),
    Case("csv-not-utf8", RUN, ["{tmp}/c.csv", "not a UTF-8"], with_csv(b"days_since_registration\n\xff\xfe\n")),
    Case("csv-bad-number", RUN, ["{tmp}/c.csv", 'row 2, column days_since_registration = "abc"'],
         with_csv("days_since_registration\nabc\n")),
    Case("csv-missing-column", RUN, ["{tmp}/c.csv", "row 1", "days_since_registration is missing"],
         with_csv("team\nte\n")),
    Case("csv-many-bad-rows", RUN, ["{tmp}/c.csv", "row 2", "and 299 more problems"],
         with_csv("days_since_registration\n" + "-1\n" * 300)),
    Case("csv-too-large", RUN, ["{tmp}/c.csv", "SIMKIT_MAX_FILE_MB"],
         with_csv("days_since_registration\n" + "5\n" * 20000), env={"SIMKIT_MAX_FILE_MB": "0.03"}),
    # -- events ------------------------------------------------------------------------------------------
    Case("event-unchangeable-key", RUN, ["events[0]", "scenario.days cannot change on a date"],
         scenario('[[events]]\ndate = 2021-06-01\nset = { "scenario.days" = 3 }')),
    Case("events-out-of-order", RUN, ["events", "date order"],
         scenario('[[events]]\ndate = 2021-06-01\nset = { "coaches.count" = 3 }\n'
                  '[[events]]\ndate = 2021-05-01\nset = { "coaches.count" = 4 }')),
    # -- options -----------------------------------------------------------------------------------------
    Case("set-without-equals", [*SEINAJOKI_RUN, "--set", "coaches.count"], ["--set coaches.count", "KEY=VALUE"]),
    Case("set-unknown-key", [*SEINAJOKI_RUN, "--set", "coaches.cont=5"], ["did you mean coaches.count?"]),
    Case("run-seed-2-64", [*SEINAJOKI_RUN, "--seed", "18446744073709551616"], ["--seed", "9223372036854775807"]),
    Case("run-seed-negative", [*SEINAJOKI_RUN, "--seed", "-1"], ["--seed", "-1"]),
    Case("sweep-seed-2-64", [*SWEEP, "--seed", "18446744073709551616"], ["--seed", "9223372036854775807"],
         scenario("")),
    Case("run-replications-0", ["run", "{seinajoki}", "-r", "0"], ["--replications", "0"]),
    Case("run-replications-huge", ["run", "{seinajoki}", "-r", "1000000"], ["--replications", "10000"]),
    Case("sweep-replications-1", [*SWEEP[:4], "-r", "1"], ["--replications", "1"], scenario("")),
    Case("workers-negative", [*SEINAJOKI_RUN, "--workers", "-2"], ["--workers", "-2"]),
    Case("workers-huge", [*SEINAJOKI_RUN, "--workers", "100000"], ["--workers", "256"]),
    Case("unknown-option", [*SEINAJOKI_RUN, "--bogus"], ["simkit run", "--bogus"]),
    Case("missing-argument", ["run"], ["simkit run", "SCENARIO"]),
    Case("unknown-command", ["rn"], ["rn", "run"]),
    Case("scheduler-not-an-address", [*SEINAJOKI_RUN, "--scheduler", "notanaddress"],
         ["--scheduler", "notanaddress", "tcp://"]),
    Case("scheduler-refused", [*SEINAJOKI_RUN, "--scheduler", "tcp://127.0.0.1:9"],
         ["--scheduler", "127.0.0.1:9", "cannot connect"]),
    Case("scheduler-from-environment", SEINAJOKI_RUN, ["SIMKIT_SCHEDULER", "garbage::"],
         env={"SIMKIT_SCHEDULER": "garbage::"}),
    Case("out-in-proc", [*SEINAJOKI_RUN, "--out", "/proc/nope"], ["--out", "/proc/nope"]),
    Case("out-is-a-file", [*SEINAJOKI_RUN, "--out", "{tmp}/s.toml"], ["--out", "{tmp}/s.toml", "not a folder"],
         scenario("")),
    Case("out-holds-other-files", [*SEINAJOKI_RUN, "--out", "{tmp}/mine"], ["--out", "{tmp}/mine", "notes.txt"],
         setup=folder("mine", "notes.txt")),
    Case("grid-of-a-billion", [*SWEEP[:2], "--grid", "coaches.count=1:1e9"], ["--grid coaches.count=1:1e9", "1000"],
         scenario("")),
    Case("grid-beyond-the-schema", [*SWEEP[:2], "--grid", "coaches.count=200000", "--store", "{tmp}/r.sqlite"],
         ["coaches.count = 200000", "100000"], scenario("")),
    Case("grid-too-many-points", [*SWEEP[:2], "--grid", "coaches.count=1:40", "--grid", "te.experts=1:40"],
         ["1600 points", "1000"], scenario("")),
    Case("plan-high-beyond-schema", [*PLAN, "--high", "1000000"], ["--high 1000000", "coaches.count", "100000"],
         scenario("")),
    Case("plan-low-above-high", [*PLAN, "--low", "50", "--high", "10"], ["[50, 10]", "empty"], scenario("")),
    Case("plan-confidence", [*PLAN, "--confidence", "1.5"], ["--confidence", "1.5"], scenario("")),
    Case("plan-bad-target", [*PLAN[:4], "--target", "coach.caseload_mean<=abc"], ["--target", "abc"], scenario("")),
    Case("sweep-unknown-metric", [*SWEEP, "--metric", "nope"], ["--metric nope", "unknown metric"], scenario("")),
    Case("validate-empty-folder", ["validate", "{tmp}/empty"], ["{tmp}/empty", "no .toml scenario files"],
         setup=folder("empty")),
    Case("validate-folder-without-toml", ["validate", "{tmp}/notes"], ["{tmp}/notes", "no .toml scenario files"],
         setup=folder("notes", "a.txt")),
    # -- the run store -----------------------------------------------------------------------------------
    Case("store-missing", ["runs", "list", "--store", "{tmp}/nope.sqlite"], ["{tmp}/nope.sqlite", "does not exist"]),
    Case("store-not-a-store", ["runs", "list", "--store", "{tmp}/s.toml"], ["{tmp}/s.toml", "not a simkit run store"],
         scenario("")),
    Case("store-corrupt", ["runs", "list", "--store", "{tmp}/corrupt.sqlite"], ["{tmp}/corrupt.sqlite"],
         setup=corrupt_store),
    Case("store-in-read-only-place", [*SWEEP[:4], "--store", "/proc/nope/runs.sqlite"],
         ["/proc/nope/runs.sqlite", "run store"], scenario("")),
    Case("store-locked", [*SWEEP[:6], "--store", "{tmp}/locked.sqlite"], ["{tmp}/locked.sqlite", "locked"],
         scenario(""), setup=store("locked.sqlite"), env={"SIMKIT_STORE_TIMEOUT": "0.5"}),
    Case("store-timeout-env-bad", ["runs", "list", "--store", "{tmp}/runs.sqlite"], ["SIMKIT_STORE_TIMEOUT"],
         setup=store("runs.sqlite"), env={"SIMKIT_STORE_TIMEOUT": "soon"}),
    Case("runs-show-unknown-hash", ["runs", "show", "zzz", "--store", "{tmp}/runs.sqlite"], ["zzz", "no stored"],
         setup=store("runs.sqlite")),
    Case("runs-export-bad-suffix", ["runs", "export", "--store", "{tmp}/runs.sqlite", "--out", "{tmp}/x.txt"],
         ["--out", ".csv"], setup=store("runs.sqlite")),
]


def _fill(text: str, tmp: Path) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{seinajoki}", str(SEINAJOKI))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    """Run every case in one child process; returns each case's exit code, output and time."""
    runs = []
    lock = None
    for case in CASES:
        tmp = tmp_path_factory.mktemp(case.id)
        for name, content in case.files.items():
            (tmp / name).write_bytes(content if isinstance(content, bytes) else content.encode())
        if case.setup:
            case.setup(tmp)
        if case.id == "store-locked":  # held by this process while the child tries it
            lock = sqlite3.connect(tmp / "locked.sqlite", isolation_level=None)
            lock.execute("BEGIN EXCLUSIVE")
        runs.append({"id": case.id, "cwd": str(tmp), "args": [_fill(a, tmp) for a in case.args],
                     "env": {"SIMKIT_SCHEDULER": "", **case.env}, "tmp": str(tmp)})
    child = CHILD.format(limit=MEMORY_LIMIT_BYTES, seconds=SECONDS_PER_CASE)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-c", child], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True)
    try:
        stdout, stderr = process.communicate(json.dumps(runs), timeout=SECONDS_PER_CASE * len(runs) + 60)
    finally:
        if lock is not None:
            lock.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever a regressed case started (pool workers) ends too
    assert process.returncode == 0, stderr[-3000:]
    results = json.loads(stdout)
    for run in runs:
        results[run["id"]]["tmp"] = run["tmp"]
    return results


def test_there_are_at_least_sixty_cases():
    assert len(CASES) >= 60 and len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_gives_one_line_and_exit_2(case, outcomes):
    outcome = outcomes[case.id]
    tmp = Path(outcome["tmp"])
    assert outcome["crash"] is None, outcome
    lines = outcome["stderr"].splitlines()
    assert outcome["code"] == 2, outcome
    assert len(lines) == 1, outcome["stderr"]
    line = lines[0]
    assert line.startswith("simkit: error: ")
    for fragment in case.fragments:
        assert _fill(fragment, tmp) in line, line
    assert "Traceback" not in outcome["stderr"] + outcome["stdout"] and "internal error" not in line
    assert outcome["seconds"] < SECONDS_PER_CASE
