"""Play a scenario many times: seeded runs, serial or on a persistent process pool.

Run ``i`` always plays with seed ``run_seeds(seed, runs)[i]`` (see
:mod:`sim.batch.seeds`), so the rows do not depend on ``workers`` or chunking.
Workers are started with ``spawn`` (the one start method that behaves the same
on every platform) and kept for the whole batch: each pays Mesa's import
(~1.3 s) once, gets the scenario once, and then plays chunks of runs with the
transcript off.
"""

from __future__ import annotations

import importlib.util
import math
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
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

_worker_scenario: Scenario | None = None
"""The scenario a pool worker plays (set once per worker by :func:`_start_worker`)."""


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
    _check(runs, seed, workers, file_format, chunk_size)
    seeds = run_seeds(seed, runs)
    store: BatchStore | None = None
    rows: dict[int, dict[str, Any]] = {}
    if out is not None:
        manifest = Manifest(
            scenario=scenario.name,
            scenario_hash=scenario_hash(scenario.model_dump_json()),
            seed=seed,
            runs=runs,
        )
        store = BatchStore(Path(out), manifest, force=force)
        rows = store.load(seeds)
    reused = len(rows)
    todo = [(index, seeds[index]) for index in range(runs) if index not in rows]
    processes = resolve_workers(workers)
    tasks = chunked(todo, chunk_size or default_chunk_size(len(todo), processes))
    if progress is not None:
        progress(len(rows), runs)
    for chunk in _play(scenario, tasks, processes):
        if store is not None:
            store.append(chunk)
        rows.update((row["run"], row) for row in chunk)
        if progress is not None:
            progress(len(rows), runs)
    ordered = [rows[index] for index in range(runs)]
    frame = rows_frame(ordered)
    ladders = {
        actor_id: list(actor.escalation)
        for actor_id, actor in scenario.actors.items()
        if actor.role == "party"
    }
    result = BatchResult(
        frame=frame,
        scenario=scenario.name,
        seed=seed,
        ladders=ladders,
        reused=reused,
        computed=len(todo),
        out=Path(out) if out is not None else None,
    )
    if store is not None:
        store.finish(
            ordered,
            result.summary_json(),
            file_format,
            to_parquet=lambda path: frame.to_parquet(path, index=False),
        )
    return result


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


def _play(scenario: Scenario, tasks: list[Task], workers: int) -> Iterator[list[dict[str, Any]]]:
    """Chunks of rows as they finish: in order here, or in completion order from a pool."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield play(scenario, task)
        return
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(scenario,),
    )
    try:
        pending: set[Future[list[dict[str, Any]]]] = {
            pool.submit(_play_in_worker, task) for task in tasks
        }
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(scenario: Scenario) -> None:
    """Pool initializer: keep the scenario, warm the imports, leave Ctrl-C to the parent."""
    global _worker_scenario
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_scenario = scenario
    import sim.model.model  # noqa: F401  (pay Mesa's import once per worker)


def _play_in_worker(task: Task) -> list[dict[str, Any]]:
    assert _worker_scenario is not None, "worker started without a scenario"
    return play(_worker_scenario, task)


def _check(
    runs: int, seed: int, workers: int | None, file_format: str, chunk_size: int | None
) -> None:
    where = "run_batch"
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
