"""Progress bars for people: counting something named (replications, days), not "it", with the
time left; shown only after half a second, and only where someone sees them (a widget in a
notebook, stderr when it is a terminal).

One rule for every bar of replications to run (:class:`Work`): it counts the days they simulate,
which move within a long replication, wherever :func:`simkit.executors.run_tasks` reports them (in
this process and in a local pool); on a Dask cluster it counts the replications finished.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from tqdm import tqdm
from tqdm.auto import tqdm as auto_tqdm

from simkit.executors import reports_days
from simkit.i18n import t
from simkit.model.engine import Progress
from simkit.runner import simulated_days
from simkit.scenario import Scenario

DELAY_SECONDS = 0.5  # a bar appears only for work that takes longer than this
BAR_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} {unit} [{elapsed}<{remaining}]"  # no "it/s" rate


@dataclass(frozen=True)
class Work:
    """What a bar of ``replications`` replications to run counts: their ``days`` (None: the
    replications, as on a Dask cluster, which reports no days)."""

    replications: int
    days: int | None

    @classmethod
    def of(cls, scenarios: Sequence[Scenario], scheduler: str | None = None, shown: bool = True) -> Work:
        """The work of one replication of each of ``scenarios`` on ``scheduler`` (None: ``$SIMKIT_SCHEDULER``,
        else this process or a local pool): days (:func:`simkit.runner.simulated_days`, warm-up and
        every area's) where :func:`simkit.executors.reports_days`; replications where it does not or
        the bar is not ``shown`` (then no day is reported to it at all)."""
        counts_days = shown and reports_days(scheduler)
        return cls(len(scenarios), sum(simulated_days(scenario) for scenario in scenarios) if counts_days else None)

    @property
    def total(self) -> int:
        return self.replications if self.days is None else self.days

    @property
    def unit(self) -> str:
        """"replications" or "days", in the current language."""
        return t("progress_unit") if self.days is None else t("progress_days")

    def description(self, what: str) -> str:
        """``what``, with how many replications when the bar counts the days of several."""
        return what if self.days is None or self.replications < 2 else t("progress_of", what=what, n=self.replications)

    def on_day(self, bar: tqdm) -> Progress | None:
        """What to pass as ``on_day`` (to :func:`simkit.executors.run_tasks` or :func:`simkit.replicate`)."""
        return None if self.days is None else bar.update

    def on_replication(self, bar: tqdm) -> Progress | None:
        """What to call with 1 after each finished replication."""
        return bar.update if self.days is None else None


def auto_progress(total: int, description: str, unit: str, enabled: bool = True) -> tqdm:
    """A ``tqdm.auto`` bar of ``total`` ``unit``: a widget in a notebook, else on stderr when it is a
    terminal; after :data:`DELAY_SECONDS`, gone when closed; nothing when not ``enabled``."""
    return auto_tqdm(total=total, desc=description, unit=unit, file=sys.stderr, delay=DELAY_SECONDS, leave=False,
                     disable=None if enabled else True, dynamic_ncols=True, bar_format=BAR_FORMAT)


def terminal_progress(total: int, description: str, unit: str = "replications", stream: TextIO | None = None) -> tqdm:
    """A bar "name: 40%|████      | 4/10 replications [00:12<00:18]" of ``total`` ``unit`` (plural:
    "replications", "days") on ``stream`` (stderr), shown only when that stream is a terminal, so
    piped output and logs stay clean. Use it as tqdm: ``with terminal_progress(...) as bar: bar.update(1)``."""
    stream = sys.stderr if stream is None else stream
    is_terminal = bool(getattr(stream, "isatty", lambda: False)())
    return tqdm(total=total, desc=description, unit=unit, file=stream, delay=DELAY_SECONDS, leave=False,
                disable=not is_terminal, dynamic_ncols=True, bar_format=BAR_FORMAT)
