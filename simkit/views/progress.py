"""Progress bars for people at a terminal: on stderr, only when stderr is a terminal, after half a
second, and counting something named (replications, days, levels), not "it"."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

DELAY_SECONDS = 0.5  # a bar appears only for work that takes longer than this
BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} {unit} [{elapsed}<{remaining}]"


def terminal_progress(total: int, description: str, unit: str = "replications", stream: TextIO | None = None) -> tqdm:
    """A bar "name: 40%|████      | 4/10 replications [00:12<00:18]" of ``total`` ``unit`` (plural:
    "replications", "days") on ``stream`` (stderr), shown only when that stream is a terminal, so
    piped output and logs stay clean. Use it as tqdm: ``with terminal_progress(...) as bar: bar.update(1)``."""
    stream = sys.stderr if stream is None else stream
    is_terminal = bool(getattr(stream, "isatty", lambda: False)())
    return tqdm(total=total, desc=description, unit=unit, file=stream, delay=DELAY_SECONDS, leave=False,
                disable=not is_terminal, dynamic_ncols=True, bar_format=BAR_FORMAT)
