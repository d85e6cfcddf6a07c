"""Runs per second and peak memory of single runs, per shipped scenario.

Usage: python benchmarks/run_speed.py [--runs N]
Prints one line per scenario: runs/s with the transcript off (batch mode) and on
(as `sim run` does), and the peak Python memory of one run with transcript.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

import sim

ROOT = Path(__file__).resolve().parents[1]


def runs_per_second(scenario: sim.Scenario, runs: int, transcript: bool) -> float:
    start = time.perf_counter()
    for seed in range(runs):
        sim.run(scenario, seed=seed, transcript=transcript)
    return runs / (time.perf_counter() - start)


def peak_memory_mib(scenario: sim.Scenario) -> float:
    tracemalloc.start()
    sim.run(scenario, seed=0, transcript=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    print(f"{'scenario':<40} {'runs/s (batch)':>15} {'runs/s (transcript)':>20} {'peak MiB':>9}")
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        scenario = sim.load_scenario(path)
        sim.run(scenario, seed=0)  # warm imports and caches
        fast = runs_per_second(scenario, args.runs, transcript=False)
        full = runs_per_second(scenario, max(1, args.runs // 4), transcript=True)
        name = path.relative_to(ROOT / "scenarios").as_posix()
        print(f"{name:<40} {fast:>15.1f} {full:>20.1f} {peak_memory_mib(scenario):>9.2f}")


if __name__ == "__main__":
    main()
