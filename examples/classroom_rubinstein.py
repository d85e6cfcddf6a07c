"""A classroom check: simulated Rubinstein bargaining against the formula, for a grid of patience.

For each pair of discount factors the textbook scenario is run once and the
first proposer's simulated share is printed beside (1 - d2) / (1 - d1 d2).

Run: python examples/classroom_rubinstein.py
"""

from __future__ import annotations

from pathlib import Path

import sim

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "textbook" / "rubinstein.yaml"


def main() -> None:
    base = sim.load_scenario(SCENARIO)
    print(f"{'d1':>5} {'d2':>5} {'simulated':>10} {'formula':>8}")
    for first in (0.5, 0.8, 0.95):
        for second in (0.5, 0.8, 0.95):
            scenario = base.with_overrides(
                {"actors.first.discount": first, "actors.second.discount": second}
            )
            share = sim.run(scenario, seed=1).outcome.utilities["first"]
            formula = (1 - second) / (1 - first * second)
            print(f"{first:>5} {second:>5} {share:>10.4f} {formula:>8.4f}")


if __name__ == "__main__":
    main()
