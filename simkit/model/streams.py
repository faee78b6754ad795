"""Named, independent random streams for each model component (common random numbers).

Each stream is seeded from ``SeedSequence(seed, spawn_key=(replication, crc32(name)))``: the
stream of one component does not depend on which other streams exist or how many numbers they
draw, so two scenarios run with the same seed see the same clients, and a change of staffing
does not change who arrives.
"""

from __future__ import annotations

import zlib

import numpy as np

STREAMS = ("arrivals", "attributes", "spells", "initial_clients", "kela_questions", "handle_times", "no_shows",
           "question_types", "statements", "statement_writers", "statement_referrals", "status", "returning",
           "supplementary_need")


def stream_seed(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    return np.random.SeedSequence(entropy=seed, spawn_key=(replication, zlib.crc32(name.encode())))


def component_streams(seed: int, replication: int) -> dict[str, np.random.Generator]:
    """One ``numpy.random.Generator`` for each named component stream of one replication."""
    return {name: np.random.default_rng(stream_seed(seed, replication, name)) for name in STREAMS}
