"""Batches and sweeps on Dask: same rows as serial, killed and resumed, no process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from builders import call

import sim
from sim.batch import run_batch
from sim.errors import UserError

distributed = pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
FEARON = ROOT / "scenarios" / "textbook" / "fearon_private_information.yaml"
SIM = [sys.executable, "-m", "sim"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A LocalCluster of 2 worker processes in this process; its scheduler's address."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


def rows_in(path: Path) -> int:
    """Complete rows in a batch CSV (lines after the header)."""
    if not path.exists():
        return 0
    return max(0, path.read_bytes().count(b"\n") - 1)


def wait_for_exit(pids: list[int], seconds: float) -> list[int]:
    """The processes among ``pids`` still alive after ``seconds`` (zombies count as gone)."""
    deadline = time.monotonic() + seconds
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if _alive(p)]
    return alive


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
def test_dask_local_batch_killed_and_resumed_gives_the_serial_rows(tmp_path: Path):
    """400 baseline runs on a LocalCluster of 2 workers: SIGKILL mid-way, rerun, same rows."""
    batch = ["batch", str(BASELINE), "-n", "400", "--seed", "3"]
    serial = tmp_path / "serial"
    done = subprocess.run(
        [*SIM, *batch, "--workers", "1", "--out", str(serial)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    out = tmp_path / "dask"
    command = [*SIM, *batch, "--dask", "local", "--workers", "2", "--out", str(out)]
    cli = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cluster_pids: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        while rows_in(out / "runs.partial.csv") < 100:
            assert cli.poll() is None, cli.communicate()[1].decode()
            assert time.monotonic() < deadline, "no rows after 240 s"
            cluster_pids |= {p.pid for p in psutil.Process(cli.pid).children(recursive=True)}
            time.sleep(0.1)
        cluster_pids |= {p.pid for p in psutil.Process(cli.pid).children(recursive=True)}
        os.kill(cli.pid, signal.SIGKILL)
    finally:
        cli.kill()
        cli.communicate()
    assert len(cluster_pids) >= 2  # the LocalCluster's worker processes
    left = wait_for_exit(sorted(cluster_pids), 30)
    for pid in left:  # never leave them running, but fail: they outlived the batch
        os.kill(pid, signal.SIGKILL)
    assert not left, f"cluster processes outlived the killed batch: {left}"
    kept = rows_in(out / "runs.partial.csv")
    assert 100 <= kept < 400 and not (out / "runs.csv").exists()

    resumed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming {out}: " in resumed.stderr and "on a local Dask cluster of 2 workers" in (
        resumed.stderr
    )
    runs = pd.read_csv(out / "runs.csv")
    assert list(runs["run"]) == list(range(400))  # every run exactly once, in order
    for name in ("runs.csv", "summary.json"):
        assert (out / name).read_bytes() == (serial / name).read_bytes(), name


@pytest.mark.slow
def test_batch_and_sweep_on_a_scheduler_address_match_serial(cluster: str, tmp_path: Path):
    fearon = sim.load_scenario(FEARON)
    serial = run_batch(fearon, runs=60, seed=5)
    on_dask = run_batch(fearon, runs=60, seed=5, dask=cluster, chunk_size=7, out=tmp_path / "b")
    pd.testing.assert_frame_equal(on_dask.frame, serial.frame)
    assert on_dask.summary() == serial.summary()

    vary = {"actors.a.war.cost": [0.05, 0.2]}
    grid = sim.sweep(fearon, vary=vary, runs=15, seed=2)
    swept = sim.sweep(fearon, vary=vary, runs=15, seed=2, dask=cluster)
    pd.testing.assert_frame_equal(swept, grid)


@pytest.mark.slow
def test_cli_sweep_on_a_scheduler_address(cluster: str, capsys: pytest.CaptureFixture[str]):
    argv = ["sweep", str(FEARON), "--vary", "actors.a.war.cost=0.05,0.2", "-n", "10", "--json"]
    code, local, stderr = call(argv, capsys)
    assert code == 0, stderr
    code, remote, stderr = call([*argv, "--dask", cluster], capsys)
    assert code == 0, stderr
    assert remote == local and f"on the Dask cluster at {cluster}" in stderr


def test_an_unreachable_scheduler_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]):
    argv = ["batch", str(FEARON), "-n", "4", "--dask", "tcp://127.0.0.1:9"]
    code, stdout, stderr = call(argv, capsys)
    assert code == 2 and stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("--dask:1:1: cannot reach a Dask scheduler at")
    assert "tcp://127.0.0.1:9" in lines[0] and "Traceback" not in stderr


def test_workers_with_a_scheduler_address_is_refused(capsys: pytest.CaptureFixture[str]):
    argv = ["batch", str(FEARON), "-n", "4", "--workers", "3", "--dask", "tcp://127.0.0.1:9"]
    code, _, stderr = call(argv, capsys)
    assert code == 2 and stderr.startswith("--workers:1:1: the Dask cluster at") and (
        len(stderr.splitlines()) == 1
    )
    with pytest.raises(UserError) as info:
        run_batch(sim.load_scenario(FEARON), runs=4, workers=3, dask="tcp://127.0.0.1:9")
    assert info.value.path == "workers"


def test_without_dask_installed_the_error_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    code, _, stderr = call(["batch", str(FEARON), "-n", "4", "--dask", "local"], capsys)
    assert code == 2
    assert stderr == "--dask:1:1: dask is not installed; install with pip install -e '.[dask]'\n"
