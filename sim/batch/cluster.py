"""Play a batch's chunks on a ``dask.distributed`` cluster (``--dask ADDRESS`` or ``local``).

The cluster is either one already running (``dask scheduler`` and ``dask
worker`` processes, reached at their scheduler's address) or a
``LocalCluster`` of worker processes started for this batch or sweep and
stopped after it. Each scenario is sent to every worker once
(``Client.scatter(..., broadcast=True)``); tasks then carry only a chunk of
``(run index, seed)`` pairs. Rows come back chunk by chunk in job order (see
:func:`sim.batch.executors.in_order`), so they are written to the batch's
folder as they arrive and an interrupted batch resumes like a local one.

Dask is an optional extra: ``pip install -e '.[dask]'``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sim.batch.executors import Job, Pending, Play, Rows, Task, in_order
from sim.errors import UserError

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

LOCAL = "local"
"""The ``--dask`` value that starts a ``LocalCluster`` for the batch."""

DEFAULT_LOCAL_WORKERS = 2
"""Worker processes of ``--dask local`` when ``--workers`` is not given."""

CONNECT_TIMEOUT = "10s"
"""How long to wait for a scheduler before calling its address unreachable."""

INSTALL = "install with pip install -e '.[dask]'"


class DaskExecutor:
    """Plays jobs on a Dask cluster; a context manager that connects and disconnects.

    Args:
        address: A scheduler address (``tcp://host:8786``) or ``local``.
        play: What a task runs on a chunk (a module-level function the workers
            can import: they need ``sim`` installed).
        local_workers: Worker processes of a local cluster (ignored for an address).
        window: Jobs in flight per worker thread.

    Raises:
        UserError: At ``--dask`` if dask is not installed or the scheduler cannot
            be reached.
    """

    def __init__(
        self, address: str, play: Play, local_workers: int = DEFAULT_LOCAL_WORKERS, window: int = 4
    ) -> None:
        self.address = address
        self.play = play
        self.local_workers = local_workers
        self.window = window
        self.cluster: Any = None
        self.client: Any = None
        self.workers = 1

    def __enter__(self) -> DaskExecutor:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UserError("--dask", message=f"dask is not installed; {INSTALL}") from None
        try:
            if self.address == LOCAL:
                self.cluster = LocalCluster(
                    n_workers=self.local_workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster, set_as_default=False)
            else:
                self.client = Client(
                    self.address, timeout=CONNECT_TIMEOUT, set_as_default=False
                )
        except (OSError, TimeoutError, ValueError) as exc:
            self.__exit__(None, None, None)
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UserError(
                "--dask",
                message=f"cannot reach a Dask scheduler at {self.address!r} ({reason}); "
                "start one with `dask scheduler` and `dask worker ADDRESS`, or use --dask local",
            ) from None
        threads = self.client.nthreads()
        self.workers = max(1, sum(threads.values()))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def play_in_order(
        self, scenarios: list[Scenario], jobs: Iterable[Job]
    ) -> Iterator[tuple[int, Rows]]:
        """``(scenario index, rows)`` per job, in job order, from the cluster."""
        client = self.client
        if client is None:
            raise RuntimeError("use DaskExecutor as a context manager")
        shared = client.scatter(list(scenarios), broadcast=True, hash=False)
        play = self.play

        def submit(index: int, task: Task) -> Pending:
            return client.submit(play, shared[index], task, pure=False)

        yield from in_order(jobs, submit, self.window * self.workers)
