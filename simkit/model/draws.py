"""What one replication draws up front, kept in the process for the next run of the same clients.

A replication draws its clients (:func:`simkit.model.clients.draw_population`), their Kela
questions, their labour-policy statements and their client events before its first day, from
named streams of the master seed and the replication (:mod:`simkit.model.streams`). None of these
draws reads the staffing, the meetings, the costs or the story of the scenario (the sections and keys in
:data:`NOT_DRAWN_FROM`; ``tests/model/test_draws.py`` checks it key by key), so two scenarios that
differ only there draw the same clients: common random numbers. A sweep or a plan over staffing
runs the same replications at many staffing levels, so :func:`drawn` keeps the latest draws (up to
:data:`KEPT_BYTES`) and a run of the same clients takes them instead of drawing them again. The
numbers are the same either way: the draws are only read during a run (the run copies into its own
arrays what it changes; the tests check that a run leaves them as they were).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from simkit.model.client_events import ClientEvents
from simkit.model.clients import KelaQuestions
from simkit.model.statements import StatementDraws
from simkit.observations import Population
from simkit.scenario.schema import Scenario

# The parts of a scenario that no draw reads: staffing (who is on duty, for how long, with which
# caps, in which teams), the meetings (their minutes, channels and policies: a client's need of
# supplementary conversations is a uniform drawn whatever the share), costs, the story's claims,
# and the run's name and master seed (a run's seed is given to it). A section name stands for the
# whole section.
NOT_DRAWN_FROM = ("coaches", "te", "meeting", "costs", "expect", "kela.contact_persons", "scenario.name",
                  "scenario.description", "scenario.replications", "scenario.seed")
KEPT_BYTES = 1 << 30  # the draws kept in a process at most (bytes); a 45-area replication's are ≈0.3 GB


class Draws(NamedTuple):
    """The draws of one replication of one area."""

    population: Population
    questions: KelaQuestions
    statements: StatementDraws
    client_events: ClientEvents


_KEPT: OrderedDict[tuple[str, int, int], tuple[Draws, int]] = OrderedDict()  # latest last, with its bytes


def drawn(scenario: Scenario, seed: int, replication: int, draw: Callable[[], Draws]) -> Draws:
    """The draws of replication ``replication`` of ``scenario`` with ``seed``: ``draw()``, or the
    same draws kept from a run of a scenario that differs from this one only in the parts no draw
    reads (:data:`NOT_DRAWN_FROM`)."""
    key = (clients_key(scenario), seed, replication)
    if key in _KEPT:
        _KEPT.move_to_end(key)
        return _KEPT[key][0]
    draws = draw()
    _KEPT[key] = (draws, array_bytes(draws))
    while len(_KEPT) > 1 and sum(size for _, size in _KEPT.values()) > KEPT_BYTES:
        _KEPT.popitem(last=False)
    return draws


def forget_draws() -> None:
    """Drop the draws kept in this process (the next run of every scenario draws afresh)."""
    _KEPT.clear()


def clients_key(scenario: Scenario) -> str:
    """A SHA-256 of the scenario without the parts no draw reads (:data:`NOT_DRAWN_FROM`): equal for
    two scenarios whose replications draw the same clients from the same seed."""
    content = scenario.model_dump(mode="json")
    for path in NOT_DRAWN_FROM:
        section, _, key = path.partition(".")
        if key:
            del content[section][key]
        else:
            del content[section]
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def array_bytes(value: object) -> int:
    """The bytes of every numpy array in ``value`` (records, mappings and tuples of them)."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(array_bytes(getattr(value, field.name)) for field in dataclasses.fields(value))
    if isinstance(value, dict):
        return sum(array_bytes(item) for item in value.values())
    if isinstance(value, tuple):
        return sum(array_bytes(item) for item in value)
    return 0
