"""Batch throughput: runs/s serial vs a 2-worker process pool, on the baseline scenario.

Usage: python benchmarks/batch_speed.py [--runs N] [--workers K] [--scenario FILE]

Both batches use the same seed, so they play the same runs (and the script checks
the rows are identical). The parallel figure includes starting the pool (each
spawned worker imports Mesa once, ~1.3 s here), which is what a user waits for;
the steady-state figure leaves out the first chunk each worker plays.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import sim
from sim.batch import run_batch

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """Progress callback recording when each count of finished runs was reached."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.marks.append((time.perf_counter(), done))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "january_2022.yaml")
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    sim.run(scenario, seed=0, transcript=False)  # warm imports in this process

    start = time.perf_counter()
    serial = run_batch(scenario, runs=args.runs, seed=1, workers=1)
    serial_rate = args.runs / (time.perf_counter() - start)

    clock = Clock()
    start = time.perf_counter()
    parallel = run_batch(scenario, runs=args.runs, seed=1, workers=args.workers, progress=clock)
    parallel_rate = args.runs / (time.perf_counter() - start)
    assert parallel.frame.equals(serial.frame), "serial and parallel rows differ"

    # steady state: from the moment `workers` chunks are done to the end
    marks = clock.marks[1:]
    if len(marks) > args.workers:
        (t0, d0), (t1, d1) = marks[args.workers - 1], marks[-1]
        steady = f"{(d1 - d0) / (t1 - t0):8.1f}" if t1 > t0 else "     n/a"
    else:
        steady = "     n/a"

    name = args.scenario.name
    print(f"{name}: {args.runs} runs, transcript off")
    print(f"  serial (1 process)          {serial_rate:8.1f} runs/s")
    print(f"  {args.workers} workers, incl. start-up  {parallel_rate:8.1f} runs/s")
    print(f"  {args.workers} workers, steady state    {steady} runs/s")
    print(f"  speed-up (incl. start-up)   {parallel_rate / serial_rate:8.2f}x")


if __name__ == "__main__":
    main()
