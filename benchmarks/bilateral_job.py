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
from collections.abc import Callable
from pathlib import Path

import numpy as np

import sim
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
    """CPU seconds per job of two implementations, timed in alternating blocks.

    Each round times ``jobs[0]`` jobs of ``first`` then ``jobs[1]`` of ``second``
    (seeds 0, 1, ... in both), so both see the same machine; CPU time
    (``time.process_time``) leaves out the time other processes hold the cores.
    Returns the per-job times of each round, first's and second's.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for index, (job, count) in enumerate(zip((first, second), jobs, strict=True)):
            start = time.process_time()
            for seed in range(count):
                job(seed)
            times[index].append((time.process_time() - start) / count)
    return times
