"""Batches: runs/s on 1 and 2 workers and their ratio; peak memory against the number of runs.

Usage:
    python benchmarks/bench_batch.py [--runs 2000] [--memory 2000,10000,100000]
        [--memory-scenario FILE] [--dask] [--skip-speed] [--skip-memory]

Every figure is measured by running the ``sim`` command line in a subprocess, as
a user would, and is printed with the 1-minute load average at its end (the
targets assume an otherwise idle machine; on a shared one, read the load).

- **Workers.** ``sim batch BASELINE -n RUNS --workers 1`` and ``--workers 2``
  (and with ``--dask``, ``--dask local --workers 2``), wall time including
  start-up; the runs files must be byte-identical. Target: 2 workers >= 1.6x one.
  The CPU seconds of each command (all its processes) are printed too: if two
  workers use about the CPU time of one, the pool itself costs little, and a
  ratio below 2 is the share of the cores the machine had to spare.
- **Memory.** ``sim batch FILE -n N --out TMP`` (one worker) for each N; the
  peak RSS of that process is read with ``getrusage(RUSAGE_CHILDREN)`` in a
  small wrapper process whose only child it is. Target: the largest N within
  1.2x of 2,000 runs. The baseline takes ~40 ms a run here, so 100,000 runs
  of it would take over an hour; the default memory scenario is the cheapest
  textbook game (Rubinstein, ~2 ms a run), which streams the same rows through
  the same code.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
CHEAP = ROOT / "scenarios" / "textbook" / "rubinstein.yaml"
SIM = [sys.executable, "-m", "sim"]

PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "if done.returncode:\n"
    "    sys.exit(done.stderr.decode())\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
"""Runs a command as its only child and prints that child's peak RSS (KiB on Linux)."""


def load() -> str:
    """The 1-minute load average, as printed beside each figure."""
    return f"load {os.getloadavg()[0]:.2f}"


def cpu_seconds() -> float:
    """User + system CPU seconds of this process's finished children (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_batch(scenario: Path, runs: int, out: Path, *options: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``sim batch`` (start-up included); the runs go to ``out``."""
    command = [*SIM, "batch", str(scenario), "-n", str(runs), "--seed", "1", "--out", str(out)]
    cpu = cpu_seconds()
    start = time.perf_counter()
    done = subprocess.run([*command, *options], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"sim batch failed:\n{done.stderr}")
    return elapsed, cpu_seconds() - cpu


def speed(runs: int, with_dask: bool, folder: Path) -> None:
    print(
        f"Workers: sim batch {BASELINE.relative_to(ROOT)} -n {runs} (wall time, start-up included)"
    )
    settings = [("1 worker", ["--workers", "1"]), ("2 workers", ["--workers", "2"])]
    if with_dask:
        settings.append(("dask local, 2 workers", ["--dask", "local", "--workers", "2"]))
    rates: dict[str, float] = {}
    files: dict[str, bytes] = {}
    for name, options in settings:
        out = folder / name.replace(" ", "_").replace(",", "")
        elapsed, cpu = timed_batch(BASELINE, runs, out, *options)
        rates[name] = runs / elapsed
        files[name] = (out / "runs.csv").read_bytes()
        print(
            f"  {name:<22} {rates[name]:8.1f} runs/s  ({elapsed:6.1f} s wall, "
            f"{cpu:6.1f} s CPU; {load()})"
        )
    same = len(set(files.values())) == 1
    print(f"  runs files identical: {'yes' if same else 'NO'}")
    for name in rates:
        if name != "1 worker":
            ratio = rates[name] / rates["1 worker"]
            print(f"  ratio {name} / 1 worker: {ratio:.2f}x (target >= 1.6x on an idle machine)")
    if not same:
        sys.exit("the runs files differ")


def peak_kib(scenario: Path, runs: int, out: Path) -> int:
    command = [*SIM, "batch", str(scenario), "-n", str(runs), "--seed", "1", "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *command], capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"sim batch failed:\n{done.stderr}")
    return int(done.stdout.strip())


def memory(sizes: list[int], scenario: Path, folder: Path) -> None:
    print(f"Memory: peak RSS of sim batch {scenario.relative_to(ROOT)} -n N --out DIR (1 worker)")
    peaks: dict[int, int] = {}
    for runs in sizes:
        start = time.perf_counter()
        peaks[runs] = peak_kib(scenario, runs, folder / f"memory_{runs}")
        elapsed = time.perf_counter() - start
        print(f"  {runs:>9,} runs  {peaks[runs] / 1024:7.1f} MiB  ({elapsed:6.1f} s; {load()})")
    smallest, largest = min(sizes), max(sizes)
    ratio = peaks[largest] / peaks[smallest]
    print(
        f"  ratio {largest:,} / {smallest:,} runs: {ratio:.3f}x (target <= 1.2x); "
        f"{(peaks[largest] - peaks[smallest]) * 1024 / max(1, largest - smallest):.1f} bytes per run"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="runs of the workers figure")
    parser.add_argument("--memory", default="2000,10000,100000", help="batch sizes, comma list")
    parser.add_argument("--memory-scenario", type=Path, default=CHEAP)
    parser.add_argument("--dask", action="store_true", help="also time --dask local")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; {load()} at the start")
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as temporary:
        folder = Path(temporary)
        if not args.skip_speed:
            speed(args.runs, args.dask, folder)
        if not args.skip_memory:
            sizes = sorted(int(size) for size in args.memory.split(","))
            memory(sizes, args.memory_scenario.resolve(), folder)


if __name__ == "__main__":
    main()
