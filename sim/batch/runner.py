"""Play a scenario many times: seeded runs, serial, on a process pool or on Dask.

Run ``i`` always plays with seed ``run_seeds(seed, runs)[i]`` (see
:mod:`sim.batch.seeds`), so the rows do not depend on ``workers``, the
executor or chunking. Workers are started once per batch (or sweep), get the
scenarios once, and play chunks of runs with the transcript off (see
:mod:`sim.batch.executors` and :mod:`sim.batch.cluster`).

Memory does not grow with the number of runs: chunks come back in run order
and go straight to the batch's partial file; the summary is counted while the
finished files are streamed from it (:meth:`~sim.batch.store.BatchStore.finish`).
Only a batch without an output folder keeps its rows in memory, and only if
asked to (``keep_rows``, for the ``frame`` of :func:`run_batch`'s result).

:func:`run_batch` is :func:`plan_batch` (seeds, store, runs already there) then
:func:`play_batches`, which plays any number of planned batches on one set of
workers: a sweep (:mod:`sim.sweeps`) is one planned batch per point.
"""

from __future__ import annotations

import importlib.util
import math
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.batch.executors import Executor, PoolExecutor, SerialExecutor, Task
from sim.batch.result import BatchResult
from sim.batch.seeds import seed_array
from sim.batch.store import BatchStore, FileFormat, Manifest, plain, scenario_hash
from sim.batch.summary import RunningSummary
from sim.errors import UserError

if TYPE_CHECKING:
    import numpy as np

    from sim.scenario.schema import Scenario

__all__ = ["Task", "play", "play_batches", "plan_batch", "run_batch"]

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` when the batch starts and after every chunk."""

MAX_CHUNK = 64
"""Most runs per chunk: rows reach the partial file at least this often."""

MAX_KERNEL_CHUNK = 2048
"""Most runs per chunk of a scenario the batch kernel plays (:mod:`sim.batch.kernel`)."""


def run_batch(
    scenario: Scenario,
    runs: int,
    seed: int = 0,
    workers: int | None = 1,
    out: Path | str | None = None,
    *,
    force: bool = False,
    file_format: FileFormat = "csv",
    chunk_size: int | None = None,
    progress: Progress | None = None,
    dask: str | None = None,
    keep_rows: bool = True,
) -> BatchResult:
    """Play a scenario ``runs`` times with seeds spawned from ``seed``; summarise; optionally save.

    Args:
        scenario: A validated scenario (``sim.load_scenario``).
        runs: How many runs (>= 1).
        seed: The batch seed (>= 0); run ``i``'s seed is the ``i``-th
            ``numpy.random.SeedSequence(seed).spawn(runs)`` child's first 32-bit word.
        workers: Processes; 1 plays in this process, 0 or ``None`` uses every CPU.
            With ``workers > 1`` call it under ``if __name__ == "__main__":`` in scripts
            (where the pool cannot fork, it spawns, which re-imports ``__main__``).
            With ``dask="local"``, the local cluster's worker processes.
        out: A folder for ``runs.csv`` (or ``runs.parquet``), ``summary.json`` and
            ``batch.json``; a batch interrupted there resumes where it stopped, and
            one rerun with more runs keeps the runs it has.
        force: Replace a batch of another scenario or seed (or a longer finished
            batch) in ``out`` instead of refusing.
        file_format: ``csv`` (default) or ``parquet`` (needs pyarrow) for the runs file.
        chunk_size: Runs per task (default: enough chunks to balance the workers,
            at most 64 runs each).
        progress: Called as ``progress(done, total)`` at the start and after each chunk.
        dask: Play on a Dask cluster: a scheduler address (``tcp://host:8786``), or
            ``"local"`` to start a ``LocalCluster`` for this batch (needs the
            ``dask`` extra).
        keep_rows: Without ``out``, keep the rows in memory for the result's
            ``frame`` (``False``: keep only the summary, so memory does not grow
            with ``runs``). With ``out`` the rows are on disk and ``frame`` reads
            them back when asked.

    Returns:
        The :class:`~sim.batch.result.BatchResult` (rows sorted by run index).

    Raises:
        UserError: For a bad argument, ``parquet`` without pyarrow, an unreachable
            Dask scheduler or Dask not installed, or an ``out`` folder holding
            another batch (see :class:`~sim.batch.store.BatchStore`).

    Example:
        >>> result = sim.run_batch(scenario, runs=200, seed=1, workers=2)  # doctest: +SKIP
        >>> result.frame["outcome"].value_counts()  # doctest: +SKIP
    """
    check_batch_arguments(runs, seed, workers, file_format, chunk_size, dask=dask)
    plan = plan_batch(scenario, runs, seed, out, force=force, keep_rows=keep_rows)
    (result,) = play_batches(
        [plan],
        workers,
        file_format=file_format,
        chunk_size=chunk_size,
        progress=progress,
        dask=dask,
    )
    return result


@dataclass
class BatchPlan:
    """One batch about to be played: its scenario, run seeds, store and the runs it has.

    Made by :func:`plan_batch`; played, with any number of others on one set of
    workers, by :func:`play_batches`.

    Attributes:
        scenario: The scenario every run plays.
        seed: The batch seed.
        seeds: Every run's seed, in run order (``uint32``).
        done: One byte per run: 1 once the run's row is stored (or kept).
        store: The output folder, or ``None``.
        reused: Runs read back from ``store`` rather than played.
        keep_rows: Without a store, keep the rows for the result's frame.
        rows: The kept rows (no store and ``keep_rows`` only), in run order.
        summary: Without a store, the summary counted as rows arrive.
    """

    scenario: Scenario
    seed: int
    seeds: np.ndarray
    done: bytearray
    store: BatchStore | None = None
    reused: int = 0
    keep_rows: bool = True
    rows: list[dict[str, Any]] = field(default_factory=list)
    summary: RunningSummary | None = None

    @property
    def runs(self) -> int:
        """The number of runs the batch has when finished."""
        return len(self.seeds)

    @property
    def ladders(self) -> dict[str, list[str]]:
        """Each party's escalation rungs, mildest first."""
        return {
            actor_id: list(actor.escalation)
            for actor_id, actor in self.scenario.actors.items()
            if actor.role == "party"
        }

    def missing(self) -> int:
        """How many runs are still to play."""
        return self.runs - sum(self.done)

    def todo(self) -> Iterator[tuple[int, int]]:
        """The runs still to play, as ``(run index, seed)`` pairs in run order."""
        for index, done in enumerate(self.done):
            if not done:
                yield index, int(self.seeds[index])

    def add(self, chunk: list[dict[str, Any]]) -> None:
        """Store (or count and keep) a chunk of rows, and mark their runs done."""
        if self.store is not None:
            self.store.append(chunk)
        else:
            if self.summary is None:
                self.summary = RunningSummary(self.scenario.name, self.seed, self.ladders)
            self.summary.add_all(chunk)
            if self.keep_rows:
                self.rows.extend(chunk)
        for row in chunk:
            self.done[row["run"]] = 1

    def result(self, computed: int, file_format: FileFormat = "csv") -> BatchResult:
        """The finished batch (every run done); its files written if it has a store.

        Args:
            computed: Runs played by this call (for the result's ``computed``).
            file_format: The runs file format of the store.

        Returns:
            The :class:`~sim.batch.result.BatchResult`.
        """
        common: dict[str, Any] = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "ladders": self.ladders,
            "reused": self.reused,
            "computed": computed,
        }
        store = self.store
        if store is None:
            summary = self.summary or RunningSummary(self.scenario.name, self.seed, self.ladders)
            frame = None
            if self.keep_rows:
                import pandas as pd

                columns = list(self.rows[0]) if self.rows else None
                frame = pd.DataFrame.from_records(self.rows, columns=columns)
            return BatchResult(frame, summary=summary.result(), **common)
        done = store.finish(self.seeds, self.ladders, file_format)
        seeds = self.seeds
        return BatchResult(summary=done, out=store.folder, rows=lambda: store.rows(seeds), **common)


def plan_batch(
    scenario: Scenario,
    runs: int,
    seed: int,
    out: Path | str | None = None,
    *,
    force: bool = False,
    keep_rows: bool = True,
) -> BatchPlan:
    """Seeds for a batch and, with ``out``, its checked store and the runs already there.

    Args:
        scenario: The scenario.
        runs: How many runs (>= 1).
        seed: The batch seed (>= 0).
        out: The batch's output folder, or ``None``.
        force: Replace another batch in ``out`` instead of refusing.
        keep_rows: Without ``out``, keep the rows in memory for the result's frame.

    Returns:
        The :class:`BatchPlan`.

    Raises:
        UserError: If ``out`` holds another batch (see :class:`~sim.batch.store.BatchStore`).
    """
    seeds = seed_array(seed, runs)
    if out is None:
        return BatchPlan(scenario, seed, seeds, bytearray(runs), keep_rows=keep_rows)
    manifest = Manifest(
        scenario=scenario.name,
        scenario_hash=scenario_hash(scenario.model_dump_json()),
        seed=seed,
        runs=runs,
    )
    store = BatchStore(Path(out), manifest, force=force)
    done = store.done(seeds)
    return BatchPlan(scenario, seed, seeds, done, store, reused=sum(done))


def play_batches(
    plans: Sequence[BatchPlan],
    workers: int | None = 1,
    *,
    file_format: FileFormat = "csv",
    chunk_size: int | None = None,
    progress: Progress | None = None,
    finished: Callable[[int, BatchResult], None] | None = None,
    dask: str | None = None,
) -> list[BatchResult]:
    """Play the missing runs of several batches on one set of workers; finish each as it completes.

    A sweep is many batches (one per point); playing them together keeps one
    set of warm workers for all of them. Each batch is finished (its store
    written) as soon as its last run is in, so an interrupted call leaves the
    batches it completed finished.

    Args:
        plans: Batches from :func:`plan_batch`.
        workers: Processes; 1 plays in this process, 0 or ``None`` uses every CPU.
            With ``dask="local"``: the local cluster's worker processes.
        file_format: The runs file format of the stores.
        chunk_size: Runs per task (default: about eight chunks per worker, at most
            64 runs each); a chunk never mixes batches.
        progress: Called as ``progress(done, total)`` over all runs of all batches,
            at the start and after each chunk.
        finished: Called as ``finished(plan index, result)`` when a batch completes.
        dask: A Dask scheduler address, or ``"local"`` (see :func:`run_batch`).

    Returns:
        One :class:`~sim.batch.result.BatchResult` per plan, in plan order.
    """
    left = [plan.missing() for plan in plans]
    results: dict[int, BatchResult] = {}
    total = sum(plan.runs for plan in plans)
    done = total - sum(left)
    computed = list(left)

    def complete(index: int) -> None:
        results[index] = plans[index].result(computed[index], file_format)
        if finished is not None:
            finished(index, results[index])

    for index in range(len(plans)):
        if not left[index]:
            complete(index)
    if progress is not None:
        progress(done, total)
    if not any(left):
        return [results[index] for index in range(len(plans))]
    with ExitStack() as stack:
        executor = _executor(stack, workers, dask, sum(left))
        from sim.batch.kernel import kernel_for  # numpy: imported once a batch is played

        kernel = all(kernel_for(plan.scenario) is not None for plan in plans)
        size = chunk_size or default_chunk_size(sum(left), executor.workers, kernel=kernel)
        jobs = (
            (index, task) for index, plan in enumerate(plans) for task in chunked(plan.todo(), size)
        )
        scenarios = [plan.scenario for plan in plans]
        for index, chunk in executor.play_in_order(scenarios, jobs):
            plan = plans[index]
            with _ctrl_c_held():  # the rows on disk and the count reported stay in step
                plan.add(chunk)
                left[index] -= len(chunk)
                done += len(chunk)
                if not left[index]:
                    complete(index)
                if progress is not None:
                    progress(done, total)
    return [results[index] for index in range(len(plans))]


def _executor(stack: ExitStack, workers: int | None, dask: str | None, runs: int) -> Executor:
    """The executor for these settings, entered on ``stack`` (closed when the batch ends)."""
    if dask is not None:
        from sim.batch.cluster import DaskExecutor

        local = resolve_workers(workers)
        return stack.enter_context(DaskExecutor(dask, play, local_workers=local))
    processes = resolve_workers(workers)
    if processes <= 1 or runs <= 1:
        return SerialExecutor(play)
    pool = PoolExecutor(min(processes, runs), play)
    stack.callback(pool.close)
    return pool


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold SIGINT (Ctrl-C) back until the block ends; it is delivered right after.

    Rows are appended and counted as one step, so the runs an interrupted batch
    reports as kept are the runs its files hold. Where signals cannot be held
    (not POSIX), the block runs as is.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield  # pragma: no cover
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def play(scenario: Scenario, task: Task) -> list[dict[str, Any]]:
    """Play a chunk of runs with the transcript off; one plain-valued row per run.

    A scenario inside the batch kernel's class (:func:`sim.batch.eligible.why_not`
    lists why another is not) is played by :mod:`sim.batch.kernel`, all the
    chunk's runs at once, with the same rows; any other by the engine, run by run.

    Args:
        scenario: The scenario.
        task: ``(run index, seed)`` pairs.

    Returns:
        Rows: ``run``, ``seed``, then the columns of ``RunResult.to_row()``.
    """
    from sim.batch.kernel import kernel_for

    kernel = kernel_for(scenario)
    if kernel is not None:
        return kernel.play(task)
    return engine_rows(scenario, task)


def engine_rows(scenario: Scenario, task: Task) -> list[dict[str, Any]]:
    """:func:`play` by the engine: one ``sim.run`` per run, transcript off."""
    from sim.runner import run

    rows = []
    for index, seed in task:
        row = run(scenario, seed=seed, transcript=False).to_row()
        row.pop("seed")
        rows.append({"run": index, "seed": seed, **{k: plain(v) for k, v in row.items()}})
    return rows


def resolve_workers(workers: int | None) -> int:
    """The number of processes: ``0`` or ``None`` means every CPU (``os.cpu_count()``)."""
    if not workers:
        return os.cpu_count() or 1
    return workers


def default_chunk_size(runs: int, workers: int, *, kernel: bool = False) -> int:
    """Runs per chunk: about eight chunks per worker, at most :data:`MAX_CHUNK` runs each.

    The batch kernel plays a chunk's runs at once, and its cost per run falls
    as chunks grow: with ``kernel`` a serial batch is one chunk of up to
    :data:`MAX_KERNEL_CHUNK` runs, and a parallel one about two chunks per worker.
    """
    if kernel:
        share = runs if workers <= 1 else math.ceil(runs / (2 * workers))
        return max(1, min(MAX_KERNEL_CHUNK, share))
    return max(1, min(MAX_CHUNK, math.ceil(runs / (8 * workers))))


def chunked(todo: Iterator[tuple[int, int]], size: int) -> Iterator[Task]:
    """Consecutive chunks of at most ``size`` runs, made as they are pulled."""
    return (list(chunk) for chunk in batched(todo, size))


def check_batch_arguments(
    runs: int,
    seed: int,
    workers: int | None,
    file_format: str = "csv",
    chunk_size: int | None = None,
    where: str = "run_batch",
    *,
    dask: str | None = None,
) -> None:
    """Refuse a bad batch argument with a :class:`~sim.errors.UserError` naming it.

    Args:
        runs: Must be >= 1.
        seed: Must be >= 0.
        workers: Must be >= 0 or ``None``.
        file_format: ``csv``, or ``parquet`` if pyarrow is installed.
        chunk_size: ``None`` or >= 1.
        where: The pseudo-file the error names (the calling function).
        dask: ``None``, ``"local"`` or a scheduler address; with an address,
            ``workers`` must stay 1 (the cluster has its own workers).
    """
    if runs < 1:
        raise UserError(where, 1, 1, "runs", f"must be >= 1, got {runs}")
    if seed < 0:
        raise UserError(where, 1, 1, "seed", f"must be >= 0, got {seed}")
    if workers is not None and workers < 0:
        raise UserError(where, 1, 1, "workers", f"must be >= 0 (0: every CPU), got {workers}")
    if chunk_size is not None and chunk_size < 1:
        raise UserError(where, 1, 1, "chunk_size", f"must be >= 1, got {chunk_size}")
    if dask is not None and dask != "local" and workers != 1:
        raise UserError(
            where,
            1,
            1,
            "workers",
            f"a Dask cluster at {dask!r} has its own workers; "
            "workers sizes only a local pool or dask='local'",
        )
    if file_format not in ("csv", "parquet"):
        raise UserError(where, 1, 1, "file_format", f"must be csv or parquet, got {file_format!r}")
    if file_format == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise UserError(
            "--format",
            message="parquet needs pyarrow, which is not installed: pip install -e '.[parquet]', or use csv",
        )
