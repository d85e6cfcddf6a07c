"""Where a batch's chunks of runs are played: this process, a process pool, or Dask.

Every executor has one job: given the scenarios (by index) and a stream of
jobs ``(scenario index, chunk of runs)``, yield each job's rows **in job
order**, keeping at most a window of jobs in flight. Order matters: rows reach
the batch's partial file in run order, so finishing a batch is a streaming
copy, never a sort; the window bounds memory, since at most ``window`` chunks
of rows wait in futures, however many runs the batch has.

- :class:`SerialExecutor` plays in this process.
- :class:`PoolExecutor` is a process pool started once per batch or sweep: each
  worker gets the scenarios once (pool initializer) and plays chunk after
  chunk. On Linux it forks when this process runs no other thread (forking a
  threaded process can deadlock), so workers start with Mesa already imported;
  otherwise it spawns.
- :class:`~sim.batch.cluster.DaskExecutor` (in :mod:`sim.batch.cluster`) plays
  on a ``dask.distributed`` cluster.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

Task = list[tuple[int, int]]
"""A chunk of runs: ``(run index, seed)`` pairs."""

Rows = list[dict[str, Any]]
"""The rows a chunk gives, one per run, in the chunk's order."""

Job = tuple[int, Task]
"""A chunk of runs of the scenario at an index."""

Play = Callable[["Scenario", Task], Rows]
"""Plays a chunk of runs of a scenario (:func:`sim.batch.runner.play`)."""

_worker_scenarios: list[Scenario] | None = None
"""The scenarios a pool worker plays, by index (set once per worker by :func:`_start_worker`)."""

_worker_play: Play | None = None


class Executor(Protocol):
    """Plays jobs and yields their rows in job order."""

    workers: int
    """How many runs it plays at once (for chunk sizes)."""

    def play_in_order(
        self, scenarios: list[Scenario], jobs: Iterable[Job]
    ) -> Iterator[tuple[int, Rows]]:
        """``(scenario index, rows)`` per job, in the order of ``jobs``."""
        ...


class Pending(Protocol):
    """A job's result to come: a ``concurrent.futures`` or a Dask future."""

    def result(self) -> Rows:
        """Wait for the rows."""
        ...


def in_order(
    jobs: Iterable[Job], submit: Callable[[int, Task], Pending], window: int
) -> Iterator[tuple[int, Rows]]:
    """Submit jobs keeping ``window`` in flight; yield their rows in job order.

    Waiting on the oldest job while later ones finish costs nothing as long as
    the window is a few jobs per worker: the workers stay busy on the rest.
    """
    pending: deque[tuple[int, Pending]] = deque()
    for index, task in jobs:
        pending.append((index, submit(index, task)))
        if len(pending) >= window:
            oldest, future = pending.popleft()
            yield oldest, future.result()
    while pending:
        oldest, future = pending.popleft()
        yield oldest, future.result()


class SerialExecutor:
    """Plays every job in this process, one after another."""

    workers = 1

    def __init__(self, play: Play) -> None:
        self.play = play

    def play_in_order(
        self, scenarios: list[Scenario], jobs: Iterable[Job]
    ) -> Iterator[tuple[int, Rows]]:
        """``(scenario index, rows)`` per job, played as they are pulled."""
        for index, task in jobs:
            yield index, self.play(scenarios[index], task)


class PoolExecutor:
    """A pool of ``workers`` processes, started on first use and kept until :meth:`close`.

    Args:
        workers: Processes (>= 2).
        play: What a worker runs on a chunk (a module-level function, so that a
            spawned worker can import it).
        window: Jobs in flight per worker.
    """

    def __init__(self, workers: int, play: Play, window: int = 4) -> None:
        self.workers = workers
        self.play = play
        self.window = window
        self.pool: ProcessPoolExecutor | None = None
        self.start_method = start_method()

    def play_in_order(
        self, scenarios: list[Scenario], jobs: Iterable[Job]
    ) -> Iterator[tuple[int, Rows]]:
        """``(scenario index, rows)`` per job, in job order, from the pool."""
        if self.pool is not None:
            raise RuntimeError("a PoolExecutor plays one set of scenarios")
        if self.start_method == "fork":
            import sim.model.model  # noqa: F401  (imported once here, inherited by every worker)
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(self.start_method),
            initializer=_start_worker,
            initargs=(scenarios, self.play),
        )
        pool = self.pool
        with warnings.catch_warnings():
            # Python warns on fork when the OS counts other threads: numpy's OpenBLAS
            # keeps idle workers, which it parks around fork (pthread_atfork) itself.
            warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
            pool.submit(_ready).result()  # start every worker now, under the filter

        def submit(index: int, task: Task) -> Pending:
            return pool.submit(_play_in_worker, index, task)

        try:
            yield from in_order(jobs, submit, self.window * self.workers)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (queued jobs are dropped)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def start_method() -> str:
    """``fork`` on Linux when this process runs no thread but the main one; else ``spawn``.

    A forked worker starts with every module this process imported (Mesa
    included) and the scenarios in memory; forking while another Python thread
    holds a lock can deadlock the child, hence the check. (Threads that Python
    did not start, such as OpenBLAS's idle workers, stop themselves around a
    fork.)
    """
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _start_worker(scenarios: list[Scenario], play: Play) -> None:
    """Pool initializer: keep the scenarios, warm the imports, leave Ctrl-C to the parent."""
    global _worker_scenarios, _worker_play
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_scenarios = scenarios
    _worker_play = play
    import sim.model.model  # noqa: F401  (pay Mesa's import once per worker)


def _ready() -> None:
    """A job that does nothing: submitting it starts the pool's workers."""


def _play_in_worker(index: int, task: Task) -> Rows:
    assert _worker_scenarios is not None and _worker_play is not None, "worker not started"
    return _worker_play(_worker_scenarios[index], task)
