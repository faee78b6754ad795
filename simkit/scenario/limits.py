"""The size of a run, estimated before anything is allocated, and the limit it must keep.

A run holds about ``BYTES_PER_CLIENT`` bytes for every client it registers (the clients active
on day 0 plus the inflow over warm-up and horizon) and ``BYTES_PER_EVENT`` for every Kela
question and statement (raised per active client and month). :func:`check_run_size` refuses,
in one line naming the keys, a scenario whose estimate exceeds ``$SIMKIT_MAX_RUN_MB`` megabytes
per run (default 4096, which fits a replication beside the notebook on an 8 GB laptop; each
worker process of a parallel run holds one replication). The estimate is an upper bound in
practice (measured: about 450-600 bytes a client, 65 bytes a question).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from simkit.environment import number_from_environment
from simkit.scenario.errors import ScenarioError
from simkit.scenario.schema import Scenario

MAX_RUN_MB_VARIABLE = "SIMKIT_MAX_RUN_MB"
DEFAULT_MAX_RUN_MB = 4096
BYTES_PER_CLIENT = 1000
BYTES_PER_EVENT = 100
DAYS_PER_MONTH = 30.44
DAYS_PER_WEEK = 7


def max_run_bytes() -> int:
    """The memory one run may need: ``$SIMKIT_MAX_RUN_MB`` megabytes (default 4096)."""
    return int(number_from_environment(MAX_RUN_MB_VARIABLE, DEFAULT_MAX_RUN_MB, "megabytes") * 1024 * 1024)


def run_size(periods: Sequence[Scenario]) -> tuple[float, float, float]:
    """(bytes, clients, questions and statements) a run of the scenario whose periods (base
    first, then after each dated change) are ``periods`` needs, about."""
    base = periods[0]
    days = base.scenario.warmup_days + base.scenario.days
    weekly = max(p.inflow.per_week * max([*p.inflow.seasonality, *(p.inflow.seasonality_under_30 or [])])
                 for p in periods)
    clients = base.inflow.initial_clients + weekly * days / DAYS_PER_WEEK
    stay = min(days, max(p.spell.mean_days / min(p.spell.monthly_exit_factor) for p in periods))
    per_client_day = max((p.kela.questions_per_client_month + p.statements.per_client_month) / DAYS_PER_MONTH
                         for p in periods)
    events = clients * stay * per_client_day
    return clients * BYTES_PER_CLIENT + events * BYTES_PER_EVENT, clients, events


def check_run_size(periods: Sequence[Scenario], source_of: Callable[[str], str]) -> None:
    """Refuse (one line, naming the keys) a run whose :func:`run_size` exceeds :func:`max_run_bytes`."""
    needed, clients, events = run_size(periods)
    limit = max_run_bytes()
    if needed <= limit:
        return
    base = periods[0]
    raise ScenarioError([
        (f"{source_of('inflow.per_week')}: this run would need about {needed / 2**30:.1f} GB of memory, more than "
        f"the {limit / 2**20:g} MB allowed: about {clients:,.0f} clients (inflow.initial_clients = "
        f"{base.inflow.initial_clients}, inflow.per_week = {base.inflow.per_week:g} x inflow.seasonality over "
        f"scenario.warmup_days + scenario.days = {base.scenario.warmup_days + base.scenario.days} days) and "
        f"{events:,.0f} Kela questions and statements (kela.questions_per_client_month, "
        f"statements.per_client_month); lower these or set {MAX_RUN_MB_VARIABLE} to allow more")
    ])


def allowed_range(key: str) -> tuple[float, float]:
    """(smallest, largest) value the schema allows at the dotted ``key`` of a number, e.g.
    ``allowed_range("coaches.count") == (0, 100000)``; a strict bound (``gt``/``lt``) counts as
    the next whole number for a whole-number field, and as the bound itself for a decimal one."""
    section, _, name = key.partition(".")
    field = Scenario.model_fields[section].annotation.model_fields[name]
    step = 1 if field.annotation is int else 0
    low, high = -math.inf, math.inf
    for item in field.metadata:
        bounds = {name: getattr(item, name, None) for name in ("ge", "gt", "le", "lt")}
        if bounds["ge"] is not None:
            low = max(low, bounds["ge"])
        if bounds["gt"] is not None:
            low = max(low, bounds["gt"] + step)
        if bounds["le"] is not None:
            high = min(high, bounds["le"])
        if bounds["lt"] is not None:
            high = min(high, bounds["lt"] - step)
    return low, high
