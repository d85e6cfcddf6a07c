"""Shared fixtures of the literature checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def curved_analysis() -> dict[str, Any]:
    """`sim analyze scenarios/textbook/nash_curved.yaml --json`, parsed (run once)."""
    done = subprocess.run(
        [sys.executable, "-m", "sim", "analyze", "scenarios/textbook/nash_curved.yaml", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result
