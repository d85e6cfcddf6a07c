"""`sim run` loads Mesa's core only; the rest of Mesa still loads, complete, on first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "data" / "valid" / "two_party.yaml"


def python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_core_first_then_the_rest_of_the_package_on_first_use():
    out = python(
        "import sys, importlib.metadata\n"
        "from sim import mesa_core\n"
        "mesa_core.load()\n"
        "import mesa, mesa.model, mesa.agent, mesa.datacollection\n"
        "print(mesa_core.deferred())\n"
        "print(mesa.Model is mesa.model.Model, mesa.Agent is mesa.agent.Agent,\n"
        "      mesa.DataCollector is mesa.datacollection.DataCollector)\n"
        "print(sorted(m for m in ('scipy.spatial', 'networkx') if m in sys.modules))\n"
        "import sim.model.model\n"  # the engine's model needs nothing more
        "print(mesa_core.deferred())\n"
        "from mesa import batch_run\n"  # any other name completes the package
        "print(mesa.__version__ == importlib.metadata.version('mesa'), mesa_core.deferred())\n"
        "print(mesa.space.__name__, mesa.discrete_space.__name__, sorted(mesa.__all__) == sorted(\n"
        "      n for n in mesa.__all__ if hasattr(mesa, n)))\n"
        "print(mesa.experimental.devs.__name__, mesa_core.deferred())\n"
        "import mesa.experimental as experimental\n"
        "print(sorted(experimental.__all__))\n"
    )
    assert out.splitlines() == [
        "['mesa', 'mesa.experimental']",
        "True True True",
        "[]",
        "['mesa', 'mesa.experimental']",
        "True ['mesa.experimental']",
        "mesa.space mesa.discrete_space True",
        "mesa.experimental.devs []",
        "['continuous_space', 'devs', 'mesa_signals', 'meta_agents']",
    ]


def test_load_after_a_plain_import_changes_nothing():
    out = python(
        "import mesa\n"
        "from sim import mesa_core\n"
        "before = dict(vars(mesa))\n"
        "mesa_core.load()\n"
        "print(mesa_core.deferred(), dict(vars(mesa)) == before)\n"
    )
    assert out.splitlines() == ["[] True"]


@pytest.mark.slow
def test_sim_run_prints_the_same_bytes_as_a_run_under_all_of_mesa():
    """The transcript of `sim run` (Mesa's core) is the one a plain `import mesa` gives."""
    argv = ["run", str(VALID), "--seed", "3", "--json"]
    light = subprocess.run(
        [sys.executable, "-m", "sim", *argv], capture_output=True, cwd=ROOT, timeout=300
    )
    full = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mesa, sys\nfrom sim.cli import main\nmain(sys.argv[1:])",
            *argv,
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )
    assert light.returncode == full.returncode == 0, light.stderr + full.stderr
    assert light.stdout == full.stdout and b'"seed": 3' in light.stdout
