"""Tune an agent parameter from Python: how does Russia's expected cost of war move the odds of war?

Loads the January 2022 baseline, overrides Russia's cost of war by dotted path
(no YAML edited; the other private types are still drawn per run), runs each setting over a block of seeds, and prints the
share of runs ending in war, with a 95% Wilson interval.

Run: python examples/tune_parameters.py [--runs 100]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

import sim

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "january_2022.yaml"


def wilson(successes: int, runs: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion."""
    if runs == 0:
        return (0.0, 1.0)
    p = successes / runs
    centre = (p + z * z / (2 * runs)) / (1 + z * z / runs)
    half = z * math.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs)) / (1 + z * z / runs)
    return (centre - half, centre + half)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100, help="seeds per setting")
    args = parser.parse_args()
    baseline = sim.load_scenario(BASELINE)
    rows = []
    for cost in (0.1, 0.2, 0.3, 0.4):
        scenario = baseline.with_overrides({"actors.russia.war.cost": cost})
        frame = pd.concat(
            [sim.run(scenario, seed=seed, transcript=False).to_frame() for seed in range(args.runs)]
        )
        wars = int((frame["outcome"] == "war").sum())
        low, high = wilson(wars, args.runs)
        rows.append({"russia_war_cost": cost, "war": wars / args.runs, "low": low, "high": high})
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.2f}"))


if __name__ == "__main__":
    main()
