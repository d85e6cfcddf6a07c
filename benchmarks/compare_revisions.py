"""Per-run cost of a scenario at two revisions, measured side by side.

Usage: python benchmarks/compare_revisions.py [--base REV] [--scenario PATH] [--runs N] [--rounds K]

Checks out ``--base`` (default: the commit before the strategic core, ebc3137)
into a temporary git worktree, then times ``--runs`` batch-mode runs
(transcript off, as ``sim batch`` runs them) of the scenario in the base tree
and in this working tree, alternating K times so both see the same load.
Prints each tree's median ms per run and their ratio (this tree / base). The
scenario file is read from each tree's own ``scenarios/`` folder, so each
revision runs its own version of the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIMER = """
import sys, time
sys.path.insert(0, {tree!r})
import sim
scenario = sim.load_scenario({scenario!r})
sim.run(scenario, seed=0, transcript=False)
start = time.perf_counter()
for seed in range({runs}):
    sim.run(scenario, seed=seed, transcript=False)
print((time.perf_counter() - start) / {runs} * 1000)
"""


def time_tree(tree: Path, scenario: str, runs: int) -> float:
    """Milliseconds per run of the scenario with the package from ``tree``."""
    code = TIMER.format(tree=str(tree), scenario=str(tree / scenario), runs=runs)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=tree
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="ebc3137")
    parser.add_argument("--scenario", default="scenarios/january_2022.yaml")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(base), args.base],
            check=True,
            cwd=ROOT,
        )
        try:
            before, after = [], []
            for _ in range(args.rounds):
                before.append(time_tree(base, args.scenario, args.runs))
                after.append(time_tree(ROOT, args.scenario, args.runs))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], check=True, cwd=ROOT
            )
    b, a = statistics.median(before), statistics.median(after)
    print(f"scenario: {args.scenario}; {args.runs} runs x {args.rounds} alternations")
    print(f"base {args.base}: {b:.2f} ms/run")
    print(f"this tree:      {a:.2f} ms/run")
    print(f"ratio (this / base): {a / b:.2f}")


if __name__ == "__main__":
    main()
