"""Play a scenario many times: seeded runs, serial or on a persistent process pool.

Run ``i`` always plays with seed ``run_seeds(seed, runs)[i]`` (see
:mod:`sim.batch.seeds`), so the rows do not depend on ``workers`` or chunking.
Workers are started with ``spawn`` (the one start method that behaves the same
on every platform) and kept for the whole batch: each pays Mesa's import
(~1.3 s) once, gets the scenario once, and then plays chunks of runs with the
transcript off.

:func:`run_batch` is :func:`plan_batch` (seeds, store, rows already there) then
:func:`play_batches`, which plays any number of planned batches on one pool: a
sweep (:mod:`sim.sweeps`) is one planned batch per point.
"""

from __future__ import annotations

import importlib.util
import math
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.batch.result import BatchResult
from sim.batch.seeds import run_seeds
from sim.batch.store import BatchStore, FileFormat, Manifest, plain, scenario_hash
from sim.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

    from sim.scenario.schema import Scenario

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` when the batch starts and after every chunk."""

Task = list[tuple[int, int]]
"""A chunk of runs: ``(run index, seed)`` pairs."""

MAX_CHUNK = 64
"""Most runs per chunk: rows reach the partial file at least this often."""

_worker_scenarios: list[Scenario] | None = None
"""The scenarios a pool worker plays, by index (set once per worker by :func:`_start_worker`)."""


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
) -> BatchResult:
    """Play a scenario ``runs`` times with seeds spawned from ``seed``; summarise; optionally save.

    Args:
        scenario: A validated scenario (``sim.load_scenario``).
        runs: How many runs (>= 1).
        seed: The batch seed (>= 0); run ``i``'s seed is the ``i``-th
            ``numpy.random.SeedSequence(seed).spawn(runs)`` child's first 32-bit word.
        workers: Processes; 1 plays in this process, 0 or ``None`` uses every CPU.
            With ``workers > 1`` call it under ``if __name__ == "__main__":`` in scripts
            (the pool starts workers with ``spawn``, which re-imports ``__main__``).
        out: A folder for ``runs.csv`` (or ``runs.parquet``), ``summary.json`` and
            ``batch.json``; a batch interrupted there resumes where it stopped, and
            one rerun with more runs keeps the runs it has.
        force: Replace a batch of another scenario or seed (or a longer finished
            batch) in ``out`` instead of refusing.
        file_format: ``csv`` (default) or ``parquet`` (needs pyarrow) for the runs file.
        chunk_size: Runs per task (default: enough chunks to balance the workers,
            at most 64 runs each).
        progress: Called as ``progress(done, total)`` at the start and after each chunk.

    Returns:
        The :class:`~sim.batch.result.BatchResult` (rows sorted by run index).

    Raises:
        UserError: For a bad argument, ``parquet`` without pyarrow, or an ``out``
            folder holding another batch (see :class:`~sim.batch.store.BatchStore`).

    Example:
        >>> result = sim.run_batch(scenario, runs=200, seed=1, workers=2)  # doctest: +SKIP
        >>> result.frame["outcome"].value_counts()  # doctest: +SKIP
    """
    check_batch_arguments(runs, seed, workers, file_format, chunk_size)
    plan = plan_batch(scenario, runs, seed, out, force=force)
    (result,) = play_batches(
        [plan], workers, file_format=file_format, chunk_size=chunk_size, progress=progress
    )
    return result


@dataclass
class BatchPlan:
    """One batch about to be played: its scenario, run seeds, store and the rows it has.

    Made by :func:`plan_batch`; played, with any number of others on one pool, by
    :func:`play_batches`.

    Attributes:
        scenario: The scenario every run plays.
        seed: The batch seed.
        seeds: Every run's seed, in run order.
        rows: Rows already there (read back from ``store``), by run index.
        store: The output folder, or ``None``.
        reused: Rows read back from ``store`` rather than played.
    """

    scenario: Scenario
    seed: int
    seeds: list[int]
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    store: BatchStore | None = None
    reused: int = 0

    @property
    def runs(self) -> int:
        """The number of runs the batch has when finished."""
        return len(self.seeds)

    def todo(self) -> Task:
        """The runs still to play, as ``(run index, seed)`` pairs in run order."""
        return [(index, seed) for index, seed in enumerate(self.seeds) if index not in self.rows]

    def result(self, computed: int, file_format: FileFormat = "csv") -> BatchResult:
        """The finished batch (every row present); written to ``store`` if there is one.

        Args:
            computed: Runs played by this call (for the result's ``computed``).
            file_format: The runs file format of the store.

        Returns:
            The :class:`~sim.batch.result.BatchResult`, rows sorted by run index.
        """
        ordered = [self.rows[index] for index in range(self.runs)]
        frame = rows_frame(ordered)
        ladders = {
            actor_id: list(actor.escalation)
            for actor_id, actor in self.scenario.actors.items()
            if actor.role == "party"
        }
        result = BatchResult(
            frame=frame,
            scenario=self.scenario.name,
            seed=self.seed,
            ladders=ladders,
            reused=self.reused,
            computed=computed,
            out=self.store.folder if self.store is not None else None,
        )
        if self.store is not None:
            self.store.finish(
                ordered,
                result.summary_json(),
                file_format,
                to_parquet=lambda path: frame.to_parquet(path, index=False),
            )
        return result


def plan_batch(
    scenario: Scenario,
    runs: int,
    seed: int,
    out: Path | str | None = None,
    *,
    force: bool = False,
) -> BatchPlan:
    """Seeds for a batch and, with ``out``, its checked store and the rows already there.

    Args:
        scenario: The scenario.
        runs: How many runs (>= 1).
        seed: The batch seed (>= 0).
        out: The batch's output folder, or ``None``.
        force: Replace another batch in ``out`` instead of refusing.

    Returns:
        The :class:`BatchPlan`.

    Raises:
        UserError: If ``out`` holds another batch (see :class:`~sim.batch.store.BatchStore`).
    """
    seeds = run_seeds(seed, runs)
    if out is None:
        return BatchPlan(scenario, seed, seeds)
    manifest = Manifest(
        scenario=scenario.name,
        scenario_hash=scenario_hash(scenario.model_dump_json()),
        seed=seed,
        runs=runs,
    )
    store = BatchStore(Path(out), manifest, force=force)
    rows = store.load(seeds)
    return BatchPlan(scenario, seed, seeds, rows, store, reused=len(rows))


def play_batches(
    plans: Sequence[BatchPlan],
    workers: int | None = 1,
    *,
    file_format: FileFormat = "csv",
    chunk_size: int | None = None,
    progress: Progress | None = None,
    finished: Callable[[int, BatchResult], None] | None = None,
) -> list[BatchResult]:
    """Play the missing runs of several batches on one pool; finish each as it completes.

    A sweep is many batches (one per point); playing them together keeps one
    pool of warm workers for all of them. Each batch is finished (its store
    written) as soon as its last run is in, so an interrupted call leaves the
    batches it completed finished.

    Args:
        plans: Batches from :func:`plan_batch`.
        workers: Processes; 1 plays in this process, 0 or ``None`` uses every CPU.
        file_format: The runs file format of the stores.
        chunk_size: Runs per task (default: about eight chunks per worker, at most
            64 runs each); a chunk never mixes batches.
        progress: Called as ``progress(done, total)`` over all runs of all batches,
            at the start and after each chunk.
        finished: Called as ``finished(plan index, result)`` when a batch completes.

    Returns:
        One :class:`~sim.batch.result.BatchResult` per plan, in plan order.
    """
    todos = [plan.todo() for plan in plans]
    processes = resolve_workers(workers)
    size = chunk_size or default_chunk_size(sum(len(todo) for todo in todos), processes)
    jobs = [(index, task) for index, todo in enumerate(todos) for task in chunked(todo, size)]
    left = [len(todo) for todo in todos]
    results: dict[int, BatchResult] = {}
    total = sum(plan.runs for plan in plans)
    done = sum(len(plan.rows) for plan in plans)

    def complete(index: int) -> None:
        results[index] = plans[index].result(len(todos[index]), file_format)
        if finished is not None:
            finished(index, results[index])

    for index in range(len(plans)):
        if not left[index]:
            complete(index)
    if progress is not None:
        progress(done, total)
    for index, chunk in _play([plan.scenario for plan in plans], jobs, processes):
        plan = plans[index]
        with _ctrl_c_held():  # the rows on disk and the count reported stay in step
            if plan.store is not None:
                plan.store.append(chunk)
            plan.rows.update((row["run"], row) for row in chunk)
            left[index] -= len(chunk)
            done += len(chunk)
            if not left[index]:
                complete(index)
            if progress is not None:
                progress(done, total)
    return [results[index] for index in range(len(plans))]


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

    Args:
        scenario: The scenario.
        task: ``(run index, seed)`` pairs.

    Returns:
        Rows: ``run``, ``seed``, then the columns of ``RunResult.to_row()``.
    """
    from sim.runner import run

    rows = []
    for index, seed in task:
        row = run(scenario, seed=seed, transcript=False).to_row()
        row.pop("seed")
        rows.append({"run": index, "seed": seed, **{k: plain(v) for k, v in row.items()}})
    return rows


def rows_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The tidy frame of rows (column order of the first row)."""
    import pandas as pd

    return pd.DataFrame.from_records(rows, columns=list(rows[0]) if rows else None)


def resolve_workers(workers: int | None) -> int:
    """The number of processes: ``0`` or ``None`` means every CPU (``os.cpu_count()``)."""
    if not workers:
        return os.cpu_count() or 1
    return workers


def default_chunk_size(runs: int, workers: int) -> int:
    """Runs per chunk: about eight chunks per worker, at most :data:`MAX_CHUNK` runs each."""
    return max(1, min(MAX_CHUNK, math.ceil(runs / (8 * workers))))


def chunked(todo: Task, size: int) -> list[Task]:
    """Consecutive chunks of at most ``size`` runs."""
    return [todo[start : start + size] for start in range(0, len(todo), size)]


def _play(
    scenarios: list[Scenario], jobs: list[tuple[int, Task]], workers: int
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """``(scenario index, rows)`` per job as it finishes: in order here, or as done from a pool."""
    if workers <= 1 or len(jobs) <= 1:
        for index, task in jobs:
            yield index, play(scenarios[index], task)
        return
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(scenarios,),
    )
    try:
        pending: dict[Future[list[dict[str, Any]]], int] = {
            pool.submit(_play_in_worker, index, task): index for index, task in jobs
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield pending.pop(future), future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(scenarios: list[Scenario]) -> None:
    """Pool initializer: keep the scenarios, warm the imports, leave Ctrl-C to the parent."""
    global _worker_scenarios
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_scenarios = scenarios
    import sim.model.model  # noqa: F401  (pay Mesa's import once per worker)


def _play_in_worker(index: int, task: Task) -> list[dict[str, Any]]:
    assert _worker_scenarios is not None, "worker started without scenarios"
    return play(_worker_scenarios[index], task)


def check_batch_arguments(
    runs: int,
    seed: int,
    workers: int | None,
    file_format: str = "csv",
    chunk_size: int | None = None,
    where: str = "run_batch",
) -> None:
    """Refuse a bad batch argument with a :class:`~sim.errors.UserError` naming it.

    Args:
        runs: Must be >= 1.
        seed: Must be >= 0.
        workers: Must be >= 0 or ``None``.
        file_format: ``csv``, or ``parquet`` if pyarrow is installed.
        chunk_size: ``None`` or >= 1.
        where: The pseudo-file the error names (the calling function).
    """
    if runs < 1:
        raise UserError(where, 1, 1, "runs", f"must be >= 1, got {runs}")
    if seed < 0:
        raise UserError(where, 1, 1, "seed", f"must be >= 0, got {seed}")
    if workers is not None and workers < 0:
        raise UserError(where, 1, 1, "workers", f"must be >= 0 (0: every CPU), got {workers}")
    if chunk_size is not None and chunk_size < 1:
        raise UserError(where, 1, 1, "chunk_size", f"must be >= 1, got {chunk_size}")
    if file_format not in ("csv", "parquet"):
        raise UserError(where, 1, 1, "file_format", f"must be csv or parquet, got {file_format!r}")
    if file_format == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise UserError(
            "--format",
            message="parquet needs pyarrow, which is not installed: pip install pyarrow, or use csv",
        )
