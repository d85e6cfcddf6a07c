"""Start-up: whole commands timed against their yardsticks, side by side.

Usage: python benchmarks/bench_startup.py [--pairs N]

Each command is paired with its yardstick (``sim --help`` and ``sim validate``
with ``python -c pass``; ``sim run`` on the baseline with
``python -c "import mesa"``) and the two are started in turn, A B A B ..., N
times after one warm-up pair; the ratio is taken pair by pair, so both see the
same load, and the median of the ratios is printed with its spread. Times are
the children's CPU (user + system, from ``os.wait4``) and wall time. Floors
are timed the same way: ``import pydantic_core`` and pydantic with one model
(what any pydantic validation costs), the CLI with PyYAML alone and with
``pydantic_core``, the CLI with PyYAML and the quick check (what ``sim
validate`` imports for a valid file: it checks without pydantic), the scenario
schema (what ``sim run`` validates with), and Mesa's core (``Model``,
``Agent``, ``DataCollector``) without the rest of the package.

The children run with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE``
removed from their environment), as a user's installation runs: the warm-up
pair writes the package's ``__pycache__`` if it is missing.

Also printed: what each light command imports of Mesa, numpy, pandas and
matplotlib (nothing is the contract), and where ``sim run``'s time goes
(imports of Mesa, the CLI, pydantic and the schema, the model; the run itself).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "january_2022.yaml")
SIM = [str(Path(sys.executable).with_name("sim"))]
"""The console script, as a user types it."""
HEAVY = ("mesa", "numpy", "pandas", "matplotlib", "scipy.spatial", "networkx", "typer", "rich")
PASS = [sys.executable, "-c", "pass"]
MESA = [sys.executable, "-c", "import mesa"]
ONE_MODEL = "from pydantic import BaseModel\nclass One(BaseModel):\n    x: int"

PAIRS = [
    ("sim --help", [*SIM, "--help"], "python -c pass", PASS, 3.0),
    ("sim validate (baseline)", [*SIM, "validate", BASELINE], "python -c pass", PASS, 3.0),
    ("sim run (baseline)", [*SIM, "run", BASELINE], 'python -c "import mesa"', MESA, 1.3),
    (
        "for comparison: sim run (baseline) under a plain import mesa",
        [
            sys.executable,
            "-c",
            "import mesa, sys\nfrom sim.cli import main\nmain(sys.argv[1:])",
            "run",
            BASELINE,
        ],
        'python -c "import mesa"',
        MESA,
        None,
    ),
    (
        "floor: import pydantic_core",
        [sys.executable, "-c", "import pydantic_core"],
        "python -c pass",
        PASS,
        None,
    ),
    ("floor: pydantic, one model", [sys.executable, "-c", ONE_MODEL], "python -c pass", PASS, None),
    (
        "floor: the CLI and PyYAML, no pydantic",
        [sys.executable, "-c", "import sim.cli, yaml"],
        "python -c pass",
        PASS,
        None,
    ),
    (
        "floor: the CLI, PyYAML and pydantic_core",
        [sys.executable, "-c", "import sim.cli, yaml, pydantic_core"],
        "python -c pass",
        PASS,
        None,
    ),
    (
        "floor: the CLI, PyYAML and the quick check (what sim validate imports)",
        [sys.executable, "-c", "import sim.cli, sim.scenario.loader, sim.scenario.quick"],
        "python -c pass",
        PASS,
        None,
    ),
    (
        "floor: the scenario schema (what sim run validates with)",
        [sys.executable, "-c", "import sim.scenario.validation"],
        "python -c pass",
        PASS,
        None,
    ),
    (
        "floor: Mesa's core",
        [sys.executable, "-c", "import sim.mesa_core as m; m.load()"],
        'python -c "import mesa"',
        MESA,
        None,
    ),
]
"""(name, command, yardstick's name, yardstick, target ratio or None for a floor)."""

PROBE = """
import sys
from sim.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
core = "mesa" in sys.modules and "mesa" in sys.modules["sim.mesa_core"].deferred()
found = [m + (" (core only)" if m == "mesa" and core else "") for m in {heavy!r} if m in sys.modules]
print("HEAVY:", ",".join(found) or "-", file=sys.stderr)
"""

SPLIT = """
import sys, time
marks = [("start", time.process_time())]
def mark(name):
    marks.append((name, time.process_time()))
import sim.cli; mark("the CLI (argparse)")
import sim.scenario.loader; mark("PyYAML and the file reader")
import sim.scenario.validation; mark("pydantic and the schema")
scenario = sim.scenario.loader.load_scenario({baseline!r}); mark("reading and validating the file")
import sim.mesa_core; sim.mesa_core.load(); mark("Mesa's core (numpy, pandas)")
import sim.model.model, sim.runner, sim.report; mark("the model's own modules")
result = sim.runner.run(scenario, seed=scenario.seed)
mark("the run" + (" (with scipy.special)" if "scipy.special" in sys.modules else ""))
sim.report.render_transcript(result); mark("the transcript")
import mesa; mesa.__version__; mark("(not in sim run) the rest of Mesa, after all that")
for (_, before), (name, after) in zip(marks, marks[1:]):
    print(f"    {{name:<50}} {{(after - before) * 1000:7.0f}} ms CPU")
"""


def environment() -> dict[str, str]:
    """This process's environment with Python's bytecode cache allowed."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(command: list[str]) -> tuple[float, float]:
    """CPU (user + system) and wall seconds of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment(), cwd=ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return usage.ru_utime + usage.ru_stime, wall


def spread(values: list[float]) -> str:
    """Median with min and max."""
    return f"{statistics.median(values):6.2f}x  (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=10)
    args = parser.parse_args()
    one, five, fifteen = os.getloadavg()
    print(f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores")
    for name, command, yardstick, base, target in PAIRS:
        timed(command), timed(base)  # warm-up pair (writes bytecode caches)
        cpu, wall, own = [], [], []
        for _ in range(args.pairs):
            a, b = timed(command), timed(base)
            cpu.append(a[0] / b[0])
            wall.append(a[1] / b[1])
            own.append(a[0])
        goal = f"target: at most {target:g}x" if target else "no target"
        print(f"{name} / {yardstick}  ({goal}; {args.pairs} pairs)")
        print(f"  CPU  {spread(cpu)}   [{statistics.median(own):.3f} s CPU per command]")
        print(f"  wall {spread(wall)}")
    print("heavy modules imported (none is the contract, but sim run needs numpy and pandas):")
    for args_ in (["--help"], ["validate", BASELINE], ["schema"], ["list"], ["run", BASELINE]):
        probe = subprocess.run(
            [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args_],
            capture_output=True,
            text=True,
            env=environment(),
            cwd=ROOT,
        )
        label = " ".join("FILE" if a == BASELINE else a for a in args_)
        heavy = [line for line in probe.stderr.splitlines() if line.startswith("HEAVY:")]
        print(f"  sim {label:<14} {heavy[-1].removeprefix('HEAVY: ') if heavy else probe.stderr}")
    print("where `sim run` spends its CPU time (one process, in import order):")
    subprocess.run(
        [sys.executable, "-c", SPLIT.format(baseline=BASELINE)], env=environment(), cwd=ROOT
    )
    one, five, fifteen = os.getloadavg()
    print(f"load average {one:.2f} {five:.2f} {fifteen:.2f}")


if __name__ == "__main__":
    main()
