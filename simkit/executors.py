"""Where replications run: in this process, in a local process pool, or on a Dask cluster.

A replication is ``simulate(scenario, seed, replication)``, a pure function of its arguments
(each replication draws from its own named random streams), so the three ways give identical
numbers; they differ only in where the work is done. The caller passes the function to run
(:func:`simkit.runner.simulate`), so this module does not import the runner. Results come back as soon as each one is
finished, in whatever order, so that a caller can store each at once.

Dask is an optional extra (``pip install 'simkit[dask]'``); its workers need simkit installed.
A scheduler address is checked before any work (:func:`check_scheduler`: reachable within
``CONNECT_SECONDS``). A local pool's worker processes end when the process that started them
dies (killed or not), instead of waiting for work for ever.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from simkit.scenario import Scenario

if TYPE_CHECKING:
    from multiprocessing.queues import SimpleQueue

    from simkit.model.engine import Progress
    from simkit.runner import Result

SCHEDULER_VARIABLE = "SIMKIT_SCHEDULER"
CONNECT_SECONDS = 3.0  # a scheduler must accept a connection within this time
PARENT_CHECK_SECONDS = 1.0  # how often a pool worker checks that its parent is alive
DAY_REPORT_SECONDS = 0.2  # how often a pool worker sends its days simulated, and the parent looks for them
_SOCKET_SCHEMES = ("tcp", "tls", "ws", "wss")
Simulate = Callable[[Scenario, int, int], "Result"]
Item = TypeVar("Item")
Outcome = TypeVar("Outcome")
_days_to_parent: SimpleQueue | None = None  # in a pool worker: where its days simulated go (_start_pool_worker)


@dataclass(frozen=True)
class Task:
    """One replication to run: ``simulate(scenario, seed, replication)``."""

    scenario: Scenario
    seed: int
    replication: int

    @property
    def key(self) -> str:
        """A name unique to the replication's inputs (used as the Dask task key)."""
        return f"simulate-{self.scenario.content_hash()[:16]}-{self.seed}-{self.replication}"


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The Dask scheduler to use: ``scheduler``, else ``$SIMKIT_SCHEDULER``, else None (run locally)."""
    return scheduler or os.environ.get(SCHEDULER_VARIABLE) or None


class SchedulerError(OSError):
    """A Dask scheduler address that is malformed or cannot be reached (one line: the address and why)."""


def check_scheduler(address: str, timeout: float = CONNECT_SECONDS) -> None:
    """Raise :class:`SchedulerError` unless ``address`` (``tcp://host:port``, ``host:port``, ``tls://``,
    ``ws://``, ``wss://`` or Dask's in-process ``inproc://``) accepts a connection within ``timeout`` seconds."""
    scheme, _, location = address.rpartition("://") if "://" in address else ("tcp", "", address)
    if scheme == "inproc":
        return
    host, _, port_text = location.rpartition(":")
    if scheme not in _SOCKET_SCHEMES or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SchedulerError(f"scheduler {address!r}: expected an address such as tcp://10.0.0.5:8786")
    try:
        socket.create_connection((host.strip("[]"), int(port_text)), timeout=timeout).close()
    except OSError as error:
        reason = "no answer" if isinstance(error, TimeoutError) else error.strerror or str(error)
        raise SchedulerError(f"scheduler {address}: cannot connect within {timeout:g} s ({reason})") from None


def local_workers(workers: int | None) -> int:
    """Processes for a local run: ``workers`` (at least 1), or one per core when None."""
    return os.cpu_count() or 1 if workers is None else max(workers, 1)


def runs_here(task_count: int, workers: int | None = None, scheduler: str | None = None) -> bool:
    """Whether :func:`run_tasks` runs ``task_count`` tasks in this process: no scheduler address
    (argument or ``$SIMKIT_SCHEDULER``) and one worker, or one task."""
    return not scheduler_address(scheduler) and min(local_workers(workers), task_count) == 1


def run_tasks(simulate: Simulate, tasks: Sequence[Task], workers: int | None = None,
              scheduler: str | None = None, on_day: Progress | None = None) -> Iterator[Result]:
    """Run ``simulate(task.scenario, task.seed, task.replication)`` for each of ``tasks`` and yield
    each :class:`~simkit.runner.Result` as soon as it is finished.

    With a scheduler address (argument or ``$SIMKIT_SCHEDULER``) the tasks run on that Dask
    cluster; otherwise in a local pool of ``workers`` processes (None: one per core), or in this
    process when one worker is enough (:func:`runs_here`). Closing the iterator early cancels
    unfinished tasks. ``on_day`` is called in this process with the days simulated (in this
    process: 1 after each day; from a local pool: the days each worker simulated, sent every
    ``DAY_REPORT_SECONDS``, all of a task's before its result), so a progress bar can count days
    (:func:`reports_days`); on a Dask cluster it is not called.
    """
    if not tasks:
        return
    address = scheduler_address(scheduler)
    if address:
        yield from _on_dask(simulate, tasks, address)
    elif runs_here(len(tasks), workers):
        run = simulate if on_day is None else partial(simulate, on_day=on_day)
        yield from (run(task.scenario, task.seed, task.replication) for task in tasks)
    else:
        yield from _in_process_pool(simulate, tasks, min(local_workers(workers), len(tasks)), on_day)


def in_local_processes(function: Callable[[Item], Outcome], items: Sequence[Item],
                       processes: int) -> Iterator[tuple[int, Outcome]]:
    """``(index, function(item))`` for each of ``items``, computed in a local pool of ``processes``
    processes (which end when this process dies), each as soon as it is finished. For work
    coarser than one replication, such as planning one area (:func:`simkit.planning.plan_cost`)."""
    with ProcessPoolExecutor(max_workers=processes, initializer=_start_pool_worker,
                             initargs=(os.getpid(), None)) as pool:
        futures = {pool.submit(function, item): index for index, item in enumerate(items)}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()


def reports_days(scheduler: str | None = None) -> bool:
    """Whether :func:`run_tasks` calls its ``on_day``: in this process and in a local pool, not on
    a Dask cluster (a scheduler address, argument or ``$SIMKIT_SCHEDULER``)."""
    return not scheduler_address(scheduler)


def _in_process_pool(simulate: Simulate, tasks: Sequence[Task], processes: int,
                     on_day: Progress | None) -> Iterator[Result]:
    days = None if on_day is None else multiprocessing.SimpleQueue()  # the workers' days simulated, for on_day
    run = simulate if days is None else partial(_simulate_sending_days, simulate)
    with ProcessPoolExecutor(max_workers=processes, initializer=_start_pool_worker,
                             initargs=(os.getpid(), days)) as pool:
        futures = [pool.submit(run, task.scenario, task.seed, task.replication) for task in tasks]
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, None if days is None else DAY_REPORT_SECONDS, FIRST_COMPLETED)
                _pass_days_on(days, on_day)  # a task's days are all sent before its result
                yield from (future.result() for future in done)
        finally:
            for future in pending:
                future.cancel()
            while days is not None and not all(future.done() for future in futures):
                wait(futures, DAY_REPORT_SECONDS)  # a running worker must not block on a full pipe
                _pass_days_on(days, lambda _: None)


def _pass_days_on(days: SimpleQueue | None, on_day: Progress | None) -> None:
    """Call ``on_day`` with each count of days the pool's workers have sent."""
    while days is not None and on_day is not None and not days.empty():
        on_day(days.get())


def _start_pool_worker(parent: int, days: SimpleQueue | None) -> None:
    """In a pool worker: end with ``parent`` and send the days simulated to ``days`` (if not None)."""
    global _days_to_parent
    _days_to_parent = days
    _exit_with_parent(parent)


def _simulate_sending_days(simulate: Simulate, scenario: Scenario, seed: int, replication: int) -> Result:
    """In a pool worker: ``simulate`` sending the days simulated to the parent every
    ``DAY_REPORT_SECONDS`` and the last ones before the result."""
    sender = _DaysToParent(_days_to_parent)
    result = simulate(scenario, seed, replication, on_day=sender)
    sender.send()
    return result


class _DaysToParent:
    """An ``on_day`` for a pool worker: counts days and sends the count at most every ``DAY_REPORT_SECONDS``."""

    def __init__(self, days: SimpleQueue):
        self.days, self.count, self.sent_at = days, 0, time.monotonic()

    def __call__(self, count: int) -> None:
        self.count += count
        if time.monotonic() - self.sent_at >= DAY_REPORT_SECONDS:
            self.send()

    def send(self) -> None:
        if self.count:
            self.days.put(self.count)
        self.count, self.sent_at = 0, time.monotonic()


def _exit_with_parent(parent: int) -> None:
    """In a pool worker: end this process when ``parent`` is gone (a killed parent cannot tell it)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _on_dask(simulate: Simulate, tasks: Sequence[Task], address: str) -> Iterator[Result]:
    check_scheduler(address)
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise ImportError("running on a Dask scheduler needs the dask extra: pip install 'simkit[dask]'") from None
    with Client(address, set_as_default=False, timeout=2 * CONNECT_SECONDS) as client:
        futures = [
            client.submit(simulate, task.scenario, task.seed, task.replication, key=task.key, pure=False)
            for task in tasks
        ]
        try:
            for future in dask_completed(futures, loop=client.loop):
                yield future.result()
        finally:
            client.cancel(futures)
