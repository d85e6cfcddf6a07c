"""The example scripts run and print what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_example(name: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_classroom_rubinstein_matches_the_formula_on_every_row() -> None:
    """Each printed simulated share equals the printed formula to 3 decimals."""
    rows = run_example("classroom_rubinstein.py").splitlines()[1:]
    assert len(rows) == 9
    for row in rows:
        _, _, simulated, formula = (float(cell) for cell in row.split())
        assert abs(simulated - formula) < 1e-3


def test_tune_parameters_prints_war_shares_that_fall_as_the_cost_of_war_rises() -> None:
    """A costlier war makes war rarer: the first setting's share exceeds the last's."""
    rows = run_example("tune_parameters.py", "--runs", "40").splitlines()[1:]
    shares = [float(row.split()[1]) for row in rows]
    assert len(shares) == 4 and all(0.0 <= share <= 1.0 for share in shares)
    assert shares[0] > shares[-1]
