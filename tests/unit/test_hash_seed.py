"""Same seed, same bytes in any process: nothing a run prints depends on Python's string hashing.

Each process gets its own ``PYTHONHASHSEED`` (spawned and Dask workers too), so
a transcript that iterated over a set of actor ids would change between them.
The secret-term scenario ends with both sides stepping down on the agreement
at once: with 0 and 2 as hash seeds, the two step-downs used to come out in
opposite orders.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_json(hash_seed: str) -> str:
    command = [sys.executable, "-m", "sim", "run", "scenarios/textbook/secret_term.yaml"]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [*command, "--seed", "1", "--json"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_a_run_is_the_same_bytes_whatever_the_hash_seed() -> None:
    first = run_json("0")
    assert '"kind": "de-escalate"' in first  # the step-downs this test is about
    assert run_json("2") == first
