"""The bilateral benchmark job, and side-by-side timing, shared by bench_negmas.py and bench_reference.py.

The job is ``benchmarks/bilateral.yaml``: two sides, three issues with the ten
positions 0..9, linear additive utilities, a walk-away value drawn per run from
U(0.2, 0.4), Boulware concession (exponent 0.25, so the aim falls as t^4) on both
sides and a deadline of 100 offers. A run's walk-away values are the first two
draws of ``numpy.random.default_rng(seed)``, as the engine draws them, so every
implementation of the job can be given the same pair.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

import sim
from sim.batch import run_seeds
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "benchmarks" / "bilateral.yaml"


def load() -> Scenario:
    """The job's scenario."""
    return sim.load_scenario(SCENARIO)


def reservations(seed: int) -> tuple[float, float]:
    """The walk-away values (first side, second side) the engine draws for this seed."""
    rng = np.random.default_rng(seed)
    return float(rng.uniform(0.2, 0.4)), float(rng.uniform(0.2, 0.4))


def engine_job(scenario: Scenario, seed: int) -> dict[str, float]:
    """One run of the job in this engine, transcript off (as a batch runs it): the agreed positions."""
    result = sim.run(scenario, seed=seed, transcript=False)
    return {issue: a.position for issue, a in result.outcome.agreed.items()}


def engine_batch(scenario: Scenario, runs: int, seed: int = 0) -> list[dict[str, float]]:
    """The job ``runs`` times through the public batch API (``sim.run_batch``, one process).

    The batch kernel plays the job (the scenario is eligible: ``sim.batch.eligible``).
    Returns each run's agreed positions, in run order; run ``i`` plays seed
    ``batch_seeds(runs, seed)[i]``.
    """
    frame = sim.run_batch(scenario, runs=runs, seed=seed, workers=1).frame
    issues = [c.removeprefix("agreed.") for c in frame.columns if c.startswith("agreed.")]
    return [
        {issue: row[f"agreed.{issue}"] for issue in issues if not pd.isna(row[f"agreed.{issue}"])}
        for row in frame.to_dict("records")
    ]


def batch_seeds(runs: int, seed: int = 0) -> list[int]:
    """The run seeds of a batch: what each run of ``engine_batch`` draws its walk-away values from."""
    return run_seeds(seed, runs)


def timed_blocks(blocks: Sequence[Callable[[], int]], rounds: int) -> list[list[float]]:
    """CPU seconds per job of several implementations, timed in alternating blocks.

    Each round runs every block once, in turn, so all see the same machine; a
    block returns how many jobs it played. CPU time (``time.process_time``)
    leaves out the time other processes hold the cores. Returns, per block,
    its per-job time in each round.
    """
    times: list[list[float]] = [[] for _ in blocks]
    for _ in range(rounds):
        for index, block in enumerate(blocks):
            start = time.process_time()
            jobs = block()
            times[index].append((time.process_time() - start) / jobs)
    return times


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the record (the machine may be shared)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def paired(
    first: Callable[[int], object],
    second: Callable[[int], object],
    jobs: tuple[int, int],
    rounds: int,
) -> tuple[list[float], list[float]]:
    """CPU seconds per job of two one-run-at-a-time implementations, in alternating blocks.

    Each round times ``jobs[0]`` jobs of ``first`` then ``jobs[1]`` of ``second``
    (seeds 0, 1, ... in both; see :func:`timed_blocks`). Returns the per-job
    times of each round, first's and second's.
    """

    def block(job: Callable[[int], object], count: int) -> Callable[[], int]:
        def play() -> int:
            for seed in range(count):
                job(seed)
            return count

        return play

    a, b = timed_blocks([block(first, jobs[0]), block(second, jobs[1])], rounds)
    return a, b
