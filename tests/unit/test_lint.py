"""The code base passes ruff (style, imports, docstrings) as configured in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_check_is_clean() -> None:
    """`ruff check sim tests benchmarks examples` reports nothing."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    targets = [
        name for name in ("sim", "tests", "benchmarks", "examples") if (ROOT / name).exists()
    ]
    done = subprocess.run(
        [ruff, "check", *targets], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
