"""Monte Carlo batches: spawned seeds, serial = parallel, summary statistics, resume, the CLI."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import StopAfter, call

import sim
import sim.batch.runner as batch_runner
from sim.batch import BatchResult, run_batch, run_seeds, wilson_interval
from sim.batch.result import CLASSES
from sim.errors import UserError
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
FEARON = ROOT / "scenarios" / "textbook" / "fearon_private_information.yaml"
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
SEED = 11


@pytest.fixture(scope="module")
def fearon() -> Scenario:
    return load_scenario(FEARON)


@pytest.fixture(scope="module")
def serial40(fearon: Scenario) -> BatchResult:
    return run_batch(fearon, runs=40, seed=SEED)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in a folder with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def count_played(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Run indices played in this process (serial batches), in order."""
    played: list[int] = []
    original = batch_runner.play

    def counting(scenario: Scenario, task: list[tuple[int, int]]) -> list[dict]:
        played.extend(index for index, _ in task)
        return original(scenario, task)

    monkeypatch.setattr(batch_runner, "play", counting)
    return played


# --- seeds -------------------------------------------------------------------------------------


def test_run_seeds_are_seed_sequence_children_and_all_differ():
    seeds = run_seeds(SEED, 40)
    children = np.random.SeedSequence(SEED).spawn(40)
    assert seeds == [int(child.generate_state(1)[0]) for child in children]
    assert len(set(seeds)) == 40
    assert all(isinstance(s, int) and 0 <= s < 2**32 for s in seeds)
    assert run_seeds(SEED, 100)[:40] == seeds  # run i's seed does not depend on runs
    assert set(run_seeds(SEED + 1, 40)).isdisjoint(seeds)


def test_frame_has_one_row_per_run_with_index_seed_and_run_columns(
    fearon: Scenario, serial40: BatchResult
):
    frame = serial40.frame
    assert list(frame["run"]) == list(range(40))
    assert list(frame["seed"]) == run_seeds(SEED, 40)
    assert frame["seed"].nunique() == 40
    assert list(frame.columns[:2]) == ["run", "seed"]
    one = sim.run(fearon, seed=int(frame["seed"][3]), transcript=False).to_row()
    assert set(frame.columns) == {"run", *one}
    for column, value in one.items():
        assert frame[column][3] == value or (value is None and pd.isna(frame[column][3]))
    assert serial40.runs == 40 and serial40.computed == 40 and serial40.reused == 0


def test_chunking_does_not_change_the_rows(fearon: Scenario, serial40: BatchResult):
    chunked = run_batch(fearon, runs=40, seed=SEED, chunk_size=3)
    pd.testing.assert_frame_equal(chunked.frame, serial40.frame)
    other = run_batch(fearon, runs=40, seed=SEED + 1)
    assert not other.frame["seed"].equals(serial40.frame["seed"])


@pytest.mark.slow
def test_two_workers_give_the_same_frame_as_serial(fearon: Scenario, serial40: BatchResult):
    parallel = run_batch(fearon, runs=40, seed=SEED, workers=2, chunk_size=4)
    pd.testing.assert_frame_equal(parallel.frame, serial40.frame)
    assert parallel.summary() == serial40.summary()


def test_workers_zero_or_none_means_every_cpu():
    assert batch_runner.resolve_workers(0) == (os.cpu_count() or 1)
    assert batch_runner.resolve_workers(None) == (os.cpu_count() or 1)
    assert batch_runner.resolve_workers(3) == 3


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"runs": 0}, "runs"),
        ({"runs": 3, "seed": -1}, "seed"),
        ({"runs": 3, "workers": -2}, "workers"),
    ],
)
def test_bad_arguments_are_user_errors(fearon: Scenario, arguments: dict, path: str):
    with pytest.raises(UserError) as info:
        run_batch(fearon, **arguments)
    assert info.value.path == path


# --- summary -----------------------------------------------------------------------------------


def test_summary_probabilities_sum_to_one_inside_their_intervals(serial40: BatchResult):
    summary = serial40.summary()
    assert summary["runs"] == 40 and summary["seed"] == SEED
    classes = summary["classes"]
    assert list(classes) == list(CLASSES)
    assert sum(c["count"] for c in classes.values()) == 40
    assert math.isclose(sum(c["probability"] for c in classes.values()), 1.0)
    for name, entry in classes.items():
        low, high = entry["ci95"]
        assert 0.0 <= low <= entry["probability"] <= high <= 1.0, name
        assert entry["count"] == (serial40.frame["outcome"] == name).sum()
    assert classes["agreement"]["count"] > 0 and classes["war"]["count"] > 0  # private info
    for actor, mean in summary["mean_utility"].items():
        assert math.isclose(mean, serial40.frame[f"utility.{actor}"].mean())
    assert json.loads(serial40.summary_json()) == summary


def test_summary_rung_and_war_shares_by_hand():
    """a climbs a -> b -> c one rung at a time: reaching c means having reached a and b."""
    frame = pd.DataFrame(
        {
            "run": [0, 1, 2, 3],
            "seed": [5, 6, 7, 8],
            "outcome": ["war", "deadlock", "deadlock", "war"],
            "war_aggressor": ["x", None, None, "x"],
            "utility.x": [0.2, 0.4, 0.6, 0.8],
            "utility.y": [0.1, 0.1, 0.1, 0.1],
            "rung.x": ["c", "a", None, "b"],
            "rung.y": [None, None, None, None],
        }
    )
    result = BatchResult(frame, "toy", 0, ladders={"x": ["a", "b", "c"], "y": ["s"]})
    summary = result.summary()
    assert summary["rungs"] == {"x": {"a": 0.75, "b": 0.5, "c": 0.25}, "y": {"s": 0.0}}
    assert summary["war"] == {"x": 0.5, "y": 0.0}
    assert summary["mean_utility"] == pytest.approx({"x": 0.5, "y": 0.1})
    assert summary["classes"]["war"]["count"] == 2
    assert summary["classes"]["agreement"] == {
        "count": 0,
        "probability": 0.0,
        "ci95": [0.0, pytest.approx(0.4899, abs=1e-4)],
    }


def test_baseline_rung_shares_fall_along_each_ladder():
    baseline = load_scenario(BASELINE)
    summary = run_batch(baseline, runs=15, seed=2).summary()
    for actor, shares in summary["rungs"].items():
        assert list(shares) == list(baseline.actors[actor].escalation)
        values = list(shares.values())
        assert values == sorted(values, reverse=True), actor


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe (1998), Stat. Med. 17:857-872, Table II, method 3 (score):
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_1998(successes, trials, low, high):
    got = wilson_interval(successes, trials)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_by_hand():
    """8 of 10, z = 1.959964: centre (0.8 + z²/20) / (1 + z²/10), half-width as in the docstring."""
    z = 1.959963984540054
    z2 = z * z
    centre = (0.8 + z2 / 20) / (1 + z2 / 10)
    half = z / (1 + z2 / 10) * math.sqrt(0.8 * 0.2 / 10 + z2 / 400)
    assert wilson_interval(8, 10) == pytest.approx((centre - half, centre + half))
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=5e-5)
    assert wilson_interval(10, 10)[1] == 1.0 and wilson_interval(0, 10)[0] == 0.0
    with pytest.raises(ValueError):
        wilson_interval(3, 0)


# --- output folder and resume ------------------------------------------------------------------


def test_out_writes_runs_summary_and_manifest(fearon: Scenario, tmp_path: Path):
    out = tmp_path / "batch"
    result = run_batch(fearon, runs=12, seed=SEED, out=out)
    assert sorted(p.name for p in out.iterdir()) == ["batch.json", "runs.csv", "summary.json"]
    manifest = json.loads((out / "batch.json").read_text())
    assert manifest["scenario"] == fearon.name and manifest["seed"] == SEED
    assert manifest["runs"] == 12 and manifest["status"] == "done"
    assert len(manifest["scenario_hash"]) == 64
    assert json.loads((out / "summary.json").read_text()) == result.summary()
    read = pd.read_csv(out / "runs.csv")
    assert list(read["run"]) == list(range(12)) and list(read["seed"]) == run_seeds(SEED, 12)


def test_interrupted_batch_resumes_without_replaying_finished_runs(
    fearon: Scenario, tmp_path: Path, count_played: list[int]
):
    reference = run_batch(fearon, runs=20, seed=SEED, out=tmp_path / "whole")
    count_played.clear()
    out = tmp_path / "interrupted"
    with pytest.raises(KeyboardInterrupt):
        run_batch(fearon, runs=20, seed=SEED, out=out, chunk_size=7, progress=StopAfter(7))
    assert count_played == list(range(7))
    assert not (out / "runs.csv").exists()
    assert json.loads((out / "batch.json").read_text())["status"] == "running"
    partial = out / "runs.partial.csv"
    assert len(partial.read_text().splitlines()) == 1 + 7
    with partial.open("a") as stream:  # killed while writing the next row
        stream.write("7,1234,Fearon barg")

    count_played.clear()
    resumed = run_batch(fearon, runs=20, seed=SEED, out=out, chunk_size=7)
    assert sorted(count_played) == list(range(7, 20))
    assert (resumed.reused, resumed.computed) == (7, 13)
    pd.testing.assert_frame_equal(resumed.frame, reference.frame)
    for name in ("runs.csv", "summary.json"):
        assert (out / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    assert not partial.exists()


def test_a_larger_n_extends_a_finished_batch(
    fearon: Scenario, tmp_path: Path, count_played: list[int]
):
    out = tmp_path / "grow"
    run_batch(fearon, runs=10, seed=SEED, out=out)
    count_played.clear()
    grown = run_batch(fearon, runs=25, seed=SEED, out=out)
    assert sorted(count_played) == list(range(10, 25))
    assert (grown.reused, grown.computed) == (10, 15)
    fresh = run_batch(fearon, runs=25, seed=SEED)
    pd.testing.assert_frame_equal(grown.frame, fresh.frame)
    count_played.clear()
    again = run_batch(fearon, runs=25, seed=SEED, out=out)  # nothing left to play
    assert count_played == [] and again.reused == 25
    pd.testing.assert_frame_equal(again.frame, fresh.frame)


def test_finished_batch_is_not_cut_shorter_without_force(fearon: Scenario, tmp_path: Path):
    out = tmp_path / "keep"
    run_batch(fearon, runs=10, seed=SEED, out=out)
    before = snapshot(out)
    with pytest.raises(UserError, match="would drop runs"):
        run_batch(fearon, runs=5, seed=SEED, out=out)
    assert snapshot(out) == before
    shorter = run_batch(fearon, runs=5, seed=SEED, out=out, force=True)
    assert shorter.runs == 5 and shorter.reused == 0
    assert len(pd.read_csv(out / "runs.csv")) == 5


def test_another_scenario_into_the_same_folder_is_refused(fearon: Scenario, tmp_path: Path):
    out = tmp_path / "mine"
    run_batch(fearon, runs=5, seed=SEED, out=out)
    before = snapshot(out)
    changed = fearon.with_overrides({"actors.a.war.cost": 0.3})
    with pytest.raises(UserError, match="other settings"):
        run_batch(changed, runs=5, seed=SEED, out=out)
    with pytest.raises(UserError, match="seed"):
        run_batch(fearon, runs=5, seed=SEED + 1, out=out)
    assert snapshot(out) == before


def test_batch_files_without_a_manifest_are_not_overwritten(fearon: Scenario, tmp_path: Path):
    (tmp_path / "runs.csv").write_text("someone's data\n")
    with pytest.raises(UserError, match="no batch.json"):
        run_batch(fearon, runs=3, out=tmp_path)
    assert (tmp_path / "runs.csv").read_text() == "someone's data\n"
    run_batch(fearon, runs=3, out=tmp_path, force=True)
    assert len(pd.read_csv(tmp_path / "runs.csv")) == 3


# --- command line ------------------------------------------------------------------------------


def test_cli_batch_writes_runs_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "tmp"
    code, stdout, stderr = call(["batch", str(FEARON), "-n", "20", "--out", str(out)], capsys)
    assert code == 0, stderr
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 20 and list(runs.columns[:4]) == ["run", "seed", "scenario", "outcome"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs"] == 20
    assert math.isclose(sum(c["probability"] for c in summary["classes"].values()), 1.0)
    assert "outcome class" in stdout and "95% interval" in stdout and "mean utility" in stdout
    assert "20 runs" in stderr and f"{out / 'runs.csv'}: written" in stderr

    code, stdout, stderr = call(
        ["batch", str(FEARON), "-n", "20", "--out", str(out), "--json"], capsys
    )
    assert code == 0, stderr
    assert json.loads(stdout) == summary
    assert "20 of 20 runs already done" in stderr


def test_cli_other_seed_into_a_finished_folder_exits_2_and_touches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "done"
    code, _, stderr = call(["batch", str(FEARON), "-n", "6", "--out", str(out)], capsys)
    assert code == 0, stderr
    before = snapshot(out)
    code, stdout, stderr = call(
        ["batch", str(FEARON), "-n", "6", "--seed", "3", "--out", str(out)], capsys
    )
    assert code == 2 and stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{out}:1:1: holds a finished batch"), stderr
    assert "--force" in lines[0] and "Traceback" not in stderr
    assert snapshot(out) == before
    code, _, stderr = call(
        ["batch", str(FEARON), "-n", "6", "--seed", "3", "--out", str(out), "--force"], capsys
    )
    assert code == 0, stderr
    assert json.loads((out / "batch.json").read_text())["seed"] == 3


def test_cli_set_overrides_apply_to_every_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code, stdout, stderr = call(
        ["batch", str(FEARON), "-n", "8", "--json", "--set", "actors.a.war.cost=0.9"], capsys
    )
    assert code == 0, stderr
    assert json.loads(stdout)["classes"]["war"]["count"] == 0  # war is too dear for a


def test_cli_parquet_without_pyarrow_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    code, _, stderr = call(["batch", str(FEARON), "-n", "2", "--format", "parquet"], capsys)
    assert code == 2 and len(stderr.splitlines()) == 1
    assert stderr.startswith("--format:1:1: parquet needs pyarrow") and ".[parquet]" in stderr


def test_parquet_runs_file_holds_the_rows_of_the_csv(fearon: Scenario, tmp_path: Path):
    as_csv = run_batch(fearon, runs=30, seed=SEED, out=tmp_path / "csv")
    as_parquet = run_batch(
        fearon, runs=30, seed=SEED, out=tmp_path / "parquet", file_format="parquet", chunk_size=4
    )
    names = sorted(p.name for p in (tmp_path / "parquet").iterdir())
    assert names == ["batch.json", "runs.parquet", "summary.json"]
    assert (tmp_path / "parquet" / "summary.json").read_bytes() == (
        tmp_path / "csv" / "summary.json"
    ).read_bytes()
    read = pd.read_parquet(tmp_path / "parquet" / "runs.parquet")
    from_csv = pd.read_csv(tmp_path / "csv" / "runs.csv")
    assert list(read.columns) == list(from_csv.columns) and len(read) == 30
    pd.testing.assert_frame_equal(read, from_csv, check_dtype=False)
    pd.testing.assert_frame_equal(as_parquet.frame, as_csv.frame)
    assert as_parquet.summary() == as_csv.summary()


def test_rows_out_of_order_on_disk_are_finished_in_run_order(fearon: Scenario, tmp_path: Path):
    """A partial file an older sim wrote in completion order still finishes sorted."""
    reference = run_batch(fearon, runs=12, seed=SEED, out=tmp_path / "whole")
    out = tmp_path / "shuffled"
    with pytest.raises(KeyboardInterrupt):
        run_batch(fearon, runs=12, seed=SEED, out=out, chunk_size=3, progress=StopAfter(9))
    partial = out / "runs.partial.csv"
    header, *lines = partial.read_text().splitlines()
    partial.write_text("\n".join([header, *lines[6:], *lines[:6]]) + "\n")
    resumed = run_batch(fearon, runs=12, seed=SEED, out=out)
    assert resumed.reused == 9
    for name in ("runs.csv", "summary.json"):
        assert (out / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    pd.testing.assert_frame_equal(resumed.frame, reference.frame)


def test_batch_help_imports_neither_mesa_nor_pandas():
    probe = (
        "import sys\nfrom sim.cli import main\n"
        "try:\n    main(['batch', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('mesa', 'pandas', 'numpy') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
    assert "--workers" in done.stdout


def test_the_pool_spawns_while_another_thread_runs():
    """Forking a process with other threads can deadlock the child: then the pool spawns."""
    import threading

    from sim.batch.executors import start_method

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() == "spawn"
    finally:
        stop.set()
        thread.join()
    if sys.platform == "linux" and threading.active_count() == 1:
        assert start_method() == "fork"
