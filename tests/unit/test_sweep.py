"""Parameter sweeps: grid points, values applied, seeds, resume, --vary errors, Sobol' indices."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from builders import StopAfter, call

import sim.batch.runner as batch_runner
from sim.batch import run_batch, run_seeds
from sim.errors import UserError
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from sim.sweeps import run_sweep, sweep
from sim.sweeps.vary import grid_values, parse_vary

ROOT = Path(__file__).resolve().parents[2]
FEARON = ROOT / "scenarios" / "textbook" / "fearon_private_information.yaml"
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
SEED = 5
COST = "actors.a.war.cost"
HOURS = "rounds.crisis.hours"
GRID = {COST: [0.0, 0.1, 0.25], HOURS: [4, 10]}
HAS_SALIB = importlib.util.find_spec("SALib") is not None


@pytest.fixture(scope="module")
def fearon() -> Scenario:
    return load_scenario(FEARON)


@pytest.fixture(scope="module")
def grid(fearon: Scenario) -> pd.DataFrame:
    return sweep(fearon, GRID, runs=4, seed=SEED)


@pytest.fixture
def count_played(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(scenario hash, run index) of every run played in this process."""
    played: list[tuple[str, int]] = []
    original = batch_runner.play

    def counting(scenario: Scenario, task: list[tuple[int, int]]) -> list[dict]:
        played.extend((scenario.model_dump_json(), index) for index, _ in task)
        return original(scenario, task)

    monkeypatch.setattr(batch_runner, "play", counting)
    return played


# --- the grid ----------------------------------------------------------------------------------


def test_grid_is_the_product_with_a_column_per_path(grid: pd.DataFrame):
    assert len(grid) == 3 * 2 * 4
    assert list(grid.columns[:5]) == ["point", COST, HOURS, "run", "seed"]
    points = grid.drop_duplicates("point")
    assert list(points["point"]) == list(range(6))
    combos = list(zip(points[COST], points[HOURS], strict=True))
    assert combos == [(c, h) for c in GRID[COST] for h in GRID[HOURS]]  # last path fastest
    assert grid.groupby("point")["run"].apply(list).tolist() == [[0, 1, 2, 3]] * 6


def test_each_point_is_the_batch_of_the_changed_scenario(fearon: Scenario, grid: pd.DataFrame):
    """Point k's rows are run_batch(scenario with k's values, seed=k-th spawned seed)."""
    point_seeds = run_seeds(SEED, 6)
    for point in (0, 5):
        rows = grid[grid["point"] == point]
        values = {COST: rows[COST].iloc[0], HOURS: rows[HOURS].iloc[0]}
        batch = run_batch(fearon.with_overrides(values), runs=4, seed=point_seeds[point])
        mine = rows.drop(columns=["point", COST, HOURS]).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, batch.frame, check_dtype=False)  # text: str or object


def test_a_dearer_war_makes_war_rarer():
    """actors.russia.war.cost 0.1 vs 0.45 on the baseline: P(war) falls, intervals apart."""
    result = run_sweep(
        load_scenario(BASELINE), {"actors.russia.war.cost": [0.1, 0.45]}, runs=30, seed=SEED
    )
    cheap, dear = result.summary.to_dict("records")
    assert (cheap["actors.russia.war.cost"], dear["actors.russia.war.cost"]) == (0.1, 0.45)
    assert dear["p.war"] < cheap["p.war"]
    assert dear["p.war.high"] < cheap["p.war.low"]


def test_summary_has_intervals_and_mean_utilities(fearon: Scenario, grid: pd.DataFrame):
    result = run_sweep(fearon, GRID, runs=4, seed=SEED)
    pd.testing.assert_frame_equal(result.frame, grid)
    summary = result.summary
    assert list(summary["point"]) == list(range(6)) and set(summary["runs"]) == {4}
    for record in summary.to_dict("records"):
        rows = grid[grid["point"] == record["point"]]
        probabilities = [record[f"p.{c}"] for c in ("agreement", "partial", "deadlock", "war")]
        assert math.isclose(sum(probabilities) + record["p.talks_continue"], 1.0)
        assert record["p.war"] == (rows["outcome"] == "war").mean()
        assert record["p.war.low"] <= record["p.war"] <= record["p.war.high"]
        assert math.isclose(record["utility.a"], rows["utility.a"].mean())
    assert list(result.points.columns) == ["point", COST, HOURS, "seed"]
    assert list(result.points["seed"]) == run_seeds(SEED, 6)


@pytest.mark.slow
def test_same_seed_same_frame_serial_or_parallel(fearon: Scenario, grid: pd.DataFrame):
    pd.testing.assert_frame_equal(sweep(fearon, GRID, runs=4, seed=SEED, workers=2), grid)
    other = sweep(fearon, GRID, runs=4, seed=SEED + 1)
    assert not other["seed"].equals(grid["seed"])


def test_sim_sweep_is_the_lazy_api_function():
    import sim.sweeps  # a package import must not shadow the function

    assert sim.sweep is sweep and "sweep" in sim.__all__


@pytest.mark.parametrize(
    ("vary", "path", "message"),
    [
        ({COST: "0.1"}, COST, "list of values"),
        ({COST: []}, COST, "at least one value"),
        ({}, "vary", "at least one path"),
        ({"seed": [1, 2]}, "seed", "--seed"),
    ],
)
def test_bad_vary_arguments_are_user_errors(fearon: Scenario, vary, path, message):
    with pytest.raises(UserError, match=message) as info:
        sweep(fearon, vary, runs=2)
    assert info.value.path == path


def test_a_path_or_value_the_scenario_refuses_is_a_vary_error(fearon: Scenario):
    with pytest.raises(UserError) as info:
        sweep(fearon, {"actors.a.war.costs": [0.1]}, runs=2)
    assert str(info.value).startswith("--vary:1:1: actors.a.war.costs: unknown key 'costs'")
    with pytest.raises(UserError, match="out of range") as info:
        sweep(fearon, {COST: [0.1, 2.0]}, runs=2)
    assert info.value.file == "--vary"


# --- output folder and resume ------------------------------------------------------------------


def test_out_writes_points_runs_summary(fearon: Scenario, grid: pd.DataFrame, tmp_path: Path):
    out = tmp_path / "sweep"
    sweep(fearon, GRID, runs=4, seed=SEED, out=out)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["points", "points.csv", "runs.csv", "summary.csv", "sweep.json"]
    manifest = json.loads((out / "sweep.json").read_text())
    assert manifest["status"] == "done" and manifest["points"] == 6 and manifest["vary"] == GRID
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 24 and list(runs.columns) == list(grid.columns)
    assert list(runs["seed"]) == list(grid["seed"])
    summary = pd.read_csv(out / "summary.csv")
    assert len(summary) == 6 and {"p.war", "p.war.low", "p.war.high", "utility.b"} <= set(summary)
    assert sorted(p.name for p in (out / "points").iterdir()) == [str(k) for k in range(6)]
    assert not list(out.glob(".*.tmp"))


def test_interrupted_sweep_resumes_without_replaying_finished_points(
    fearon: Scenario, grid: pd.DataFrame, tmp_path: Path, count_played: list
):
    out = tmp_path / "cut"
    with pytest.raises(KeyboardInterrupt):
        sweep(fearon, GRID, runs=4, seed=SEED, out=out, progress=StopAfter(10))
    assert len(count_played) == 11  # chunks of 3 runs: points 0 and 1, and 3 runs of point 2
    assert json.loads((out / "sweep.json").read_text())["status"] == "running"
    assert (out / "points.csv").exists() and not (out / "runs.csv").exists()
    assert (out / "points" / "1" / "runs.csv").exists()  # finished points are finished
    assert not (out / "points" / "2" / "runs.csv").exists()
    first = set(count_played)
    count_played.clear()
    resumed = run_sweep(fearon, GRID, runs=4, seed=SEED, out=out)
    assert len(count_played) == 13 and first.isdisjoint(count_played)
    assert (resumed.reused, resumed.computed) == (11, 13)
    pd.testing.assert_frame_equal(resumed.frame, grid)
    count_played.clear()
    again = run_sweep(fearon, GRID, runs=4, seed=SEED, out=out)
    assert count_played == [] and again.reused == 24
    pd.testing.assert_frame_equal(again.frame, grid)


def test_another_sweep_into_the_folder_is_refused_unless_forced(fearon: Scenario, tmp_path: Path):
    out = tmp_path / "mine"
    sweep(fearon, {COST: [0.1, 0.2]}, runs=2, seed=SEED, out=out)
    before = (out / "runs.csv").read_bytes()
    with pytest.raises(UserError, match="with another vary") as info:
        sweep(fearon, {COST: [0.1, 0.3]}, runs=2, seed=SEED, out=out)
    assert "--force" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(UserError, match="with another seed"):
        sweep(fearon, {COST: [0.1, 0.2]}, runs=2, seed=SEED + 1, out=out)
    with pytest.raises(UserError, match="would drop runs"):
        sweep(fearon, {COST: [0.1, 0.2]}, runs=1, seed=SEED, out=out)
    assert (out / "runs.csv").read_bytes() == before
    forced = sweep(fearon, {COST: [0.3]}, runs=2, seed=SEED, out=out, force=True)
    assert len(forced) == 2 and sorted(p.name for p in (out / "points").iterdir()) == ["0"]
    (tmp_path / "batch").mkdir()
    run_batch(fearon, runs=2, out=tmp_path / "batch")
    with pytest.raises(UserError, match="no sweep.json"):
        sweep(fearon, {COST: [0.1]}, runs=2, out=tmp_path / "batch")


# --- --vary and the command line ---------------------------------------------------------------


def test_parse_vary_ranges_lists_and_yaml_lists():
    parsed = parse_vary([f"{COST}=0.1:0.3:3", f"{HOURS}=4:12:3", "x.y=a, b", "z=[{p: 1}, 2]"])
    assert parsed == {
        COST: [0.1, 0.2, 0.3],
        HOURS: [4, 8, 12],
        "x.y": ["a", "b"],
        "z": [{"p": 1}, 2],
    }
    assert parse_vary([f"{COST}=0:1"], "sobol") == {COST: (0.0, 1.0)}
    assert grid_values(0.0, 1.0, 11)[3] == 0.3


@pytest.mark.parametrize(
    ("vary", "column", "message"),
    [
        (f"{COST}=0.1:0.4", 26, "a range needs a number of values"),
        (f"{COST}=0.1:0.4:1", 27, "num must be a whole number from 2 to 10000, got '1'"),
        (f"{COST}=0.1:0.4:2.5", 27, "num must be a whole number"),
        (f"{COST}=x:0.4:3", 19, "lo must be a number, got 'x'"),
        (f"{COST}=0.4:0.1:3", 19, "lo must be below hi"),
        (f"{COST}=0.1:0.4:3:9", 19, "expected lo:hi:num"),
        (f"{COST}=0.1,,0.3", 23, "empty value in the list"),
        (f"{COST}=0.1,0.1", 23, "value 0.1 given twice"),
        (f"{COST}=", 19, "missing values"),
    ],
)
def test_cli_vary_mistakes_exit_2_with_one_located_line(
    vary: str, column: int, message: str, capsys: pytest.CaptureFixture[str]
):
    code, stdout, stderr = call(["sweep", str(FEARON), "--vary", vary, "-n", "2"], capsys)
    assert code == 2 and stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"--vary:1:{column}: {COST}: {message}"), lines[0]
    assert "(allowed: lo:hi:num with num >= 2, or a comma list)" in lines[0]


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["--vary", "actors.a.wars=1,2"], "--vary:1:1: actors.a.wars: unknown key 'wars'"),
        (["--vary", "no_equals"], "--vary:1:1: expected path=values"),
        (["--vary", f"{COST}=0.1", "--vary", f"{COST}=0.2"], f"--vary:1:1: {COST}: given twice"),
        (
            ["--vary", f"{COST}=0.1,0.2", "--design", "sobol"],
            f"--vary:1:19: {COST}: expected lo:hi",
        ),
        (["--vary", f"{COST}=0.1,0.2", "--design", "lhs"], "--design:1:1: must be grid or sobol"),
        (["--vary", f"{COST}=0.1,0.2", "--samples", "8"], "--samples:1:1: only a Sobol' design"),
    ],
)
def test_cli_other_sweep_mistakes_exit_2(argv, start, capsys: pytest.CaptureFixture[str]):
    code, stdout, stderr = call(["sweep", str(FEARON), *argv, "-n", "2"], capsys)
    assert code == 2 and stdout == "" and len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith(start), stderr


def test_cli_sweep_prints_a_row_per_point_and_writes_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "cli"
    argv = ["sweep", str(FEARON), "--vary", f"{COST}=0:0.2:3", "-n", "6", "--out", str(out)]
    code, stdout, stderr = call([*argv, "--set", "actors.b.war.cost=0.05"], capsys)
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert "3 points × 6 runs" in lines[0]
    assert lines[2].split()[:4] == ["point", COST, "P(war)", "95%"] and "U(a)" in lines[2]
    assert [line.split()[:2] for line in lines[3:6]] == [["0", "0"], ["1", "0.1"], ["2", "0.2"]]
    assert f"{out / 'summary.csv'}: written" in stderr
    code, stdout, stderr = call([*argv, "--set", "actors.b.war.cost=0.05", "--json"], capsys)
    assert code == 0 and "18 of 18 runs already done" in stderr
    data = json.loads(stdout)
    assert [p["values"][COST] for p in data["points"]] == [0.0, 0.1, 0.2]
    assert set(data["points"][0]["classes"]["war"]) == {"probability", "ci95"}
    code, _, stderr = call(argv, capsys)  # without the --set: another scenario
    assert code == 2 and "with another scenario" in stderr and len(stderr.splitlines()) == 1


def test_sweep_help_imports_neither_mesa_nor_pandas():
    probe = (
        "import sys\nfrom sim.cli import main\n"
        "try:\n    main(['sweep', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('mesa', 'pandas', 'numpy', 'SALib') if m in sys.modules),"
        " file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
    assert "--vary" in done.stdout and "--design" in done.stdout


# --- Sobol' ------------------------------------------------------------------------------------


def test_sobol_without_salib_is_a_user_error(fearon: Scenario, monkeypatch: pytest.MonkeyPatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "SALib" else real(name, *a)
    )
    with pytest.raises(UserError, match=r"sim\[sensitivity\]") as info:
        sweep(fearon, {COST: (0.0, 0.2)}, runs=2, design="sobol", samples=4)
    assert info.value.file == "--design"


@pytest.mark.skipif(not HAS_SALIB, reason="SALib (the sensitivity extra) is not installed")
def test_sobol_indices_of_an_additive_function_match_the_analytic_shares():
    """Y = x1 + x2, x1 ~ U(0, 1), x2 ~ U(0, 2): Var 1/12 and 4/12, so S1 = ST = 0.2 and 0.8."""
    from sim.sweeps.sobol import sobol_indices, sobol_points

    bounds = {"x1": (0.0, 1.0), "x2": (0.0, 2.0)}
    points = sobol_points(bounds, 256, seed=1)
    assert len(points) == 256 * 4
    assert all(0 <= p["x1"] <= 1 and 0 <= p["x2"] <= 2 for p in points)
    found = sobol_indices(bounds, {"y": [p["x1"] + p["x2"] for p in points]}, seed=1)
    indices = found["y"]["indices"]
    for path, share in (("x1", 0.2), ("x2", 0.8)):
        assert indices[path]["S1"] == pytest.approx(share, abs=0.05)
        assert indices[path]["ST"] == pytest.approx(share, abs=0.05)
        assert 0 < indices[path]["S1_conf"] < 0.25
    flat = sobol_indices(bounds, {"c": [1.0] * len(points)}, seed=1)["c"]
    assert flat["indices"]["x1"]["S1"] is None and "same at every point" in flat["note"]


@pytest.mark.skipif(not HAS_SALIB, reason="SALib (the sensitivity extra) is not installed")
def test_tiny_sobol_sweep_gives_finite_indices_for_war_and_utilities(
    fearon: Scenario, tmp_path: Path
):
    vary = {COST: (0.0, 0.15), "actors.b.war.cost": (0.0, 0.15)}
    out = tmp_path / "sobol"
    result = run_sweep(fearon, vary, runs=6, seed=SEED, design="sobol", samples=4, out=out)
    assert len(result.points) == 4 * (2 + 2) and len(result.frame) == 16 * 6
    assert result.frame[COST].between(0.0, 0.15).all()
    sobol = result.sobol
    assert sobol is not None and set(sobol["outputs"]) == {"p.war", "utility.a", "utility.b"}
    for output, entry in sobol["outputs"].items():
        for path, index in entry["indices"].items():
            values = [index[k] for k in ("S1", "S1_conf", "ST", "ST_conf")]
            assert all(v is not None and math.isfinite(v) for v in values), (output, path)
            assert index["ST"] >= index["S1"] - index["S1_conf"] - index["ST_conf"] - 0.1
    assert json.loads((out / "sobol.json").read_text()) == sobol
    frame = sweep(fearon, vary, runs=6, seed=SEED, design="sobol", samples=4)
    assert frame.attrs["sobol"] == sobol  # same seed, same design and indices
    with pytest.raises(UserError, match="power of two"):
        sweep(fearon, vary, runs=2, design="sobol", samples=6)
