"""What Mesa's DataCollector costs a batch: runs with and without it, side by side.

Usage: python benchmarks/collect_cost.py [--scenario PATH] [--runs N] [--rounds K]

Plays ``--runs`` batch-mode runs (transcript off, as ``sim batch`` plays them)
of the scenario with the collector on and off, alternating K times in one
process so both see the same load, and prints each setting's median seconds
per batch and the ratio (on / off). ``sim batch`` runs with the collector off
(``sim.run(..., collect=False)``, the batch default) when the ratio is above 1.10.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import sim
from sim.model.model import NegotiationModel

ROOT = Path(__file__).resolve().parents[1]


def batch_seconds(scenario: sim.Scenario, runs: int, collect: bool) -> float:
    """Seconds to play ``runs`` seeds of the scenario with the collector on or off."""
    start = time.perf_counter()
    for seed in range(runs):
        NegotiationModel(scenario, rng=seed, record_transcript=False, collect=collect).run_to_end()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "january_2022.yaml"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    batch_seconds(scenario, 5, True)  # warm caches and imports
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for collect in (False, True):
            times[collect].append(batch_seconds(scenario, args.runs, collect))
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"{args.runs} runs of {Path(args.scenario).name}, median of {args.rounds} rounds")
    print(f"collector off: {off:.2f} s")
    print(f"collector on:  {on:.2f} s")
    print(f"ratio on/off:  {on / off:.3f}")


if __name__ == "__main__":
    main()
