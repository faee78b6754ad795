"""What one replication draws up front, kept in the process for the next run of the same clients.

A replication draws its clients (:func:`simkit.model.clients.draw_population`), their Kela
questions, their labour-policy statements and their client events before its first day, from
named streams of the master seed and the replication (:mod:`simkit.model.streams`). None of these
draws reads the staffing, the meetings, the costs or the story of the scenario (the sections and keys in
:data:`NOT_DRAWN_FROM`; ``tests/model/test_draws.py`` checks it key by key), so two scenarios that
differ only there draw the same clients: common random numbers. A sweep or a plan over staffing
runs the same replications at many staffing levels, so :func:`drawn` keeps the latest draws (up to
``$SIMKIT_KEPT_DRAWS_MB`` megabytes per process, 1024 by default; 0 keeps none) and a run of the
same clients takes them instead of drawing them again. The numbers are the same either way: the
draws are only read during a run (the run copies into its own arrays what it changes), and their
arrays are made read-only, so that nobody (a user editing a result's observations included) can
change the clients of a later run. :func:`forget_draws` (``simkit.forget_draws``) frees them.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from simkit.environment import number_from_environment
from simkit.model.client_events import ClientEvents
from simkit.model.clients import KelaQuestions
from simkit.model.statements import StatementDraws
from simkit.observations import Population
from simkit.scenario.schema import Scenario, content_digest

# The parts of a scenario that no draw reads: staffing (who is on duty, for how long, with which
# caps, in which teams), the meetings (their minutes, channels and policies: a client's need of
# supplementary conversations is a uniform drawn whatever the share), costs, the story's claims,
# and the run's name and master seed (a run's seed is given to it). A section name stands for the
# whole section.
NOT_DRAWN_FROM = ("coaches", "te", "meeting", "costs", "expect", "kela.contact_persons", "scenario.name",
                  "scenario.description", "scenario.replications", "scenario.seed")
KEPT_DRAWS_VARIABLE = "SIMKIT_KEPT_DRAWS_MB"
DEFAULT_KEPT_DRAWS_MB = 1024.0  # a replication of the 45 TE24 areas draws ≈0.36 GB


class Draws(NamedTuple):
    """The draws of one replication of one area."""

    population: Population
    questions: KelaQuestions
    statements: StatementDraws
    client_events: ClientEvents


_KEPT: OrderedDict[tuple[str, int, int], tuple[Draws, int]] = OrderedDict()  # latest last, with its bytes
_KEEPING = threading.Lock()  # (a Dask worker may run replications in threads)


def drawn(scenario: Scenario, seed: int, replication: int, draw: Callable[[], Draws]) -> Draws:
    """The draws of replication ``replication`` of ``scenario`` with ``seed``: ``draw()`` (its arrays
    made read-only), or the same draws kept from a run of a scenario that differs from this one only
    in the parts no draw reads (:data:`NOT_DRAWN_FROM`)."""
    key = (clients_key(scenario), seed, replication)
    with _KEEPING:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key][0]
    draws = draw()
    for array in arrays_in(draws):
        array.flags.writeable = False
    limit = kept_bytes()
    with _KEEPING:
        _KEPT[key] = (draws, sum(array.nbytes for array in arrays_in(draws)))
        while _KEPT and sum(size for _, size in _KEPT.values()) > limit:
            _KEPT.popitem(last=False)
    return draws


def kept_bytes() -> int:
    """The most bytes of draws a process keeps: ``$SIMKIT_KEPT_DRAWS_MB`` megabytes (1024 if unset)."""
    return int(number_from_environment(KEPT_DRAWS_VARIABLE, DEFAULT_KEPT_DRAWS_MB, "megabytes", zero_allowed=True)
               * 2**20)


def forget_draws() -> None:
    """Drop the draws kept in this process (the next run of every scenario draws afresh)."""
    with _KEEPING:
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
    return content_digest(content)


def arrays_in(value: object) -> Iterator[np.ndarray]:
    """Every numpy array in ``value`` (records, mappings and tuples of them)."""
    if isinstance(value, np.ndarray):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from arrays_in(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from arrays_in(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from arrays_in(item)
