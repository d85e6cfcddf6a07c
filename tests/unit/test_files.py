"""Reading and writing safely: regular files only, bounded reads, no stray temporaries."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from builders import StopAfter, call

from sim.batch import run_batch
from sim.errors import UserError
from sim.files import atomic_write, remove_stale_temporaries, write_file
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "data" / "valid" / "two_party.yaml"
FEARON = ROOT / "scenarios" / "textbook" / "fearon_private_information.yaml"


@pytest.fixture
def watchdog() -> Iterator[None]:
    """Fail (instead of hanging the suite) if the test blocks for 10 s."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("blocked for 10 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def sim_command(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m sim ARGS`` in a subprocess, stdout and stderr captured (pipes)."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def validate_quickly(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`sim validate path`: exit 2 within 2 s with one printable located line; that line."""
    start = time.perf_counter()
    code, out, err = call(["validate", str(path)], capsys)
    elapsed = time.perf_counter() - start
    assert (code, out) == (2, ""), err
    assert elapsed < 2.0, f"took {elapsed:.1f} s"
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].isprintable() and "Traceback" not in err
    assert lines[0].startswith(f"{path}:1:1: ")
    return lines[0]


# --- reads -------------------------------------------------------------------------------------


def test_validate_a_symlink_to_an_endless_device(tmp_path, capsys, watchdog):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in validate_quickly(link, capsys)


def test_validate_a_fifo(tmp_path, capsys, watchdog):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert "FIFO" in validate_quickly(fifo, capsys)


def test_validate_a_50_mb_file(tmp_path, capsys, watchdog):
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.write(b"schema_version: 1\nname: big\ndescription: ")
        stream.write(b"x" * 50_000_000)
    assert "larger than 1 MB" in validate_quickly(big, capsys)


def test_validate_a_socket(tmp_path, capsys, watchdog):
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert "socket" in validate_quickly(path, capsys)


def test_a_file_with_too_many_values_is_refused_quickly(tmp_path, capsys, watchdog):
    many = tmp_path / "many.yaml"
    many.write_text("x: [" + "1, " * 100_000 + "1]\n")  # 300 kB, under the size cap
    start = time.perf_counter()
    code, _, err = call(["validate", str(many)], capsys)
    assert code == 2 and "more than 20000 values" in err
    assert time.perf_counter() - start < 2.0


def test_reads_name_the_problem_with_a_path(tmp_path):
    with pytest.raises(UserError, match="file name too long"):
        load_scenario(tmp_path / ("n" * 300 + ".yaml"))
    with pytest.raises(UserError, match="is a directory"):
        load_scenario(tmp_path)


# --- writes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_out_onto_a_device_is_refused_even_with_force(capsys, force):
    before = os.stat("/dev/null")
    code, _, err = call(["schema", "--out", "/dev/null", *(["--force"] if force else [])], capsys)
    assert code == 2 and err.startswith("/dev/null:1:1: is a device")
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_out_onto_a_fifo_is_refused_without_blocking(tmp_path, capsys, watchdog):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    code, _, err = call(["schema", "--out", str(fifo), "--force"], capsys)
    assert code == 2 and "FIFO" in err and len(err.splitlines()) == 1
    assert not list(tmp_path.glob(".*.tmp"))


def test_dash_writes_to_stdout_for_a_pipe():
    done = sim_command("schema", "--out", "-")
    assert done.returncode == 0 and done.stdout.startswith("{") and done.stderr == ""
    assert not Path("-").exists()


def test_out_dev_stdout_into_a_pipe_is_refused_without_blocking():
    done = sim_command("schema", "--out", "/dev/stdout")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("/dev/stdout:1:1: is a FIFO") and "- for standard output" in (
        done.stderr
    )
    assert len(done.stderr.splitlines()) == 1


def test_report_into_an_unwritable_folder_is_a_located_error(tmp_path, monkeypatch):
    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    target = tmp_path / "report.html"
    with pytest.raises(UserError) as info:
        write_file(target, "<html></html>")
    assert str(info.value) == f"{target}:1:1: cannot write: Permission denied"
    assert list(tmp_path.iterdir()) == []


def test_temporary_file_is_removed_when_writing_is_interrupted(tmp_path):
    def interrupted(path: Path) -> None:
        path.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "runs.csv", interrupted)
    assert list(tmp_path.iterdir()) == []


def test_temporaries_of_a_killed_process_are_removed_by_the_next_write(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    stale = tmp_path / f".runs.csv.{pid}.0a1b2c.tmp"
    stale.write_text("left by kill -9")
    live = tmp_path / f".runs.csv.{os.getpid()}.ffffff.tmp"  # ours: still being written
    live.write_text("in progress")
    other = tmp_path / f".summary.json.{pid}.0a1b2c.tmp"  # another file's: left alone
    other.write_text("x")
    atomic_write(tmp_path / "runs.csv", lambda path: path.write_text("run\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["runs.csv", live.name, other.name])
    assert remove_stale_temporaries(tmp_path / "summary.json") == [other]


# --- nothing lost in batches -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fearon():
    return load_scenario(FEARON)


def test_a_smaller_n_on_an_interrupted_batch_keeps_its_runs(fearon, tmp_path):
    out = tmp_path / "b"
    with pytest.raises(KeyboardInterrupt):
        run_batch(fearon, runs=30, seed=3, out=out, chunk_size=6, progress=StopAfter(18))
    partial = (out / "runs.partial.csv").read_bytes()
    with pytest.raises(UserError, match="--force") as info:
        run_batch(fearon, runs=10, seed=3, out=out)
    assert "8 played beyond run 10" in info.value.message  # runs 10 to 17
    assert (out / "runs.partial.csv").read_bytes() == partial
    grown = run_batch(fearon, runs=40, seed=3, out=out)  # a larger -n extends
    assert (grown.reused, grown.computed) == (18, 22)
    pd.testing.assert_frame_equal(grown.frame, run_batch(fearon, runs=40, seed=3).frame)


def test_a_partial_file_torn_inside_a_utf8_character_is_trimmed(fearon, tmp_path):
    out = tmp_path / "b"
    with pytest.raises(KeyboardInterrupt):
        run_batch(fearon, runs=20, seed=5, out=out, chunk_size=5, progress=StopAfter(5))
    partial = out / "runs.partial.csv"
    whole = partial.read_bytes()
    with partial.open("ab") as stream:
        stream.write("5,123,caf\u00e9".encode()[:-1])  # cut between the two bytes of é
    resumed = run_batch(fearon, runs=20, seed=5, out=out)
    assert (resumed.reused, resumed.computed) == (5, 15)
    pd.testing.assert_frame_equal(resumed.frame, run_batch(fearon, runs=20, seed=5).frame)
    assert whole.endswith(b"\n")


def test_ctrl_c_on_sim_batch_says_what_was_kept(tmp_path):
    out = tmp_path / "b"
    command = [sys.executable, "-m", "sim", "batch", str(FEARON), "-n", "100000", "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    partial = out / "runs.partial.csv"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        not partial.exists() or partial.read_text().count("\n") < 3
    ):
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    kept = partial.read_text().count("\n") - 1
    assert err.splitlines()[-1] == (
        f"interrupted: {kept} of 100000 runs kept in {out}; rerun the same command to resume"
    )
    assert "Traceback" not in err


# --- a time limit ------------------------------------------------------------------------------


def test_time_limit_stops_a_long_run(tmp_path):
    game = (ROOT / "tests" / "data" / "malformed" / "population_too_large.yaml").read_text()
    long_run = tmp_path / "long.yaml"
    long_run.write_text(game.replace("population: 100000", "population: 20000"))
    start = time.perf_counter()
    done = sim_command("run", str(long_run), "--max-work", "inf", "--time-limit", "1")
    elapsed = time.perf_counter() - start
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("--time-limit:1:1: the run was stopped after 1 s")
    assert len(done.stderr.splitlines()) == 1
    assert elapsed < 15  # imports, then one second of play: far from the run's minutes
