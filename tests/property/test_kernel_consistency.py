"""Consistency of the batch kernel with the engine: the same rows, bit for bit.

The kernel (:mod:`sim.batch.kernel`) plays many runs of an eligible scenario
at once; these tests hold its rows against the engine's own (one ``sim.run``
per run, :func:`sim.batch.runner.engine_rows`) on scenarios hypothesis draws
from the eligible class, on the bilateral benchmark job, and through every
executor; and check that an ineligible scenario is played by the engine.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from builders import actor, build, call, one_round, position
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.batch import kernel as kernel_module
from sim.batch import runner
from sim.batch.eligible import why_not
from sim.batch.kernel import Kernel, kernel_for
from sim.batch.rules import Runs
from sim.batch.runner import engine_rows
from sim.batch.seeds import run_seeds

ROOT = Path(__file__).resolve().parents[2]
BILATERAL = ROOT / "benchmarks" / "bilateral.yaml"
RUBINSTEIN = ROOT / "scenarios" / "textbook" / "rubinstein.yaml"
NAMES = ("terms", "delivery", "amount")
"""Issue ids whose sorted order is not the scenario's (the log-rolling tie-break sorts by id)."""


def task(seeds: list[int]) -> list[tuple[int, int]]:
    """A chunk of runs: (run index, seed) pairs."""
    return list(enumerate(seeds))


@st.composite
def number_or_uniform(draw: Any, low: float, high: float) -> Any:
    """A fixed number in [low, high] or a uniform distribution inside it."""
    a = draw(st.floats(low, high, allow_nan=False, allow_subnormal=False))
    if draw(st.booleans()):
        return a
    b = draw(st.floats(low, high, allow_nan=False, allow_subnormal=False))
    return {"dist": "uniform", "low": min(a, b), "high": max(a, b)}


@st.composite
def eligible_scenarios(draw: Any) -> sim.Scenario:
    """A scenario of the kernel's class: two parties, alternating offers, time-dependent strategies."""
    count = draw(st.integers(1, 3))
    issues: dict[str, Any] = {}
    for name in NAMES[:count]:
        low = draw(st.sampled_from([0.0, -5.0]))
        high = low + draw(st.sampled_from([9.0, 10.0, 100.0]))
        spec: dict[str, Any] = {"scale": [low, high]}
        if draw(st.booleans()):
            points = draw(
                st.lists(st.integers(int(low), int(high)), min_size=2, max_size=8, unique=True)
            )
            spec["divisible"] = False
            spec["labels"] = {float(p): f"point {p}" for p in sorted(points)}
            spec["status_quo"] = float(draw(st.sampled_from(sorted(points))))
        else:
            spec["status_quo"] = draw(st.floats(low, high, allow_nan=False))
        if draw(st.integers(0, 5)) == 0:
            spec["procedural"] = True
        issues[name] = spec
    actors = {}
    for actor_id in ("a", "b"):
        positions = {}
        for name, spec in issues.items():
            low, high = spec["scale"]
            ideal = draw(st.floats(low, high, allow_nan=False))
            if "labels" in spec and draw(st.integers(0, 4)):
                ideal = draw(st.sampled_from(sorted(spec["labels"])))  # mostly a labelled point
            # Mostly positive saliences; a rare zero sends the run to the engine.
            salience = draw(
                st.sampled_from(
                    [0.3, 0.5, 1.0, None, None] + [0.0] * (not draw(st.integers(0, 19)))
                )
            )
            positions[name] = position(
                ideal,
                draw(number_or_uniform(low, high)),
                salience if salience is not None else draw(number_or_uniform(0.05, 2.0)),
            )
        kind = draw(st.sampled_from(["boulware", "linear", "conceder", "hardliner"]))
        strategy: dict[str, Any] = {"kind": kind}
        if kind != "hardliner" and draw(st.booleans()):
            strategy["exponent"] = draw(st.floats(0.1, 8.0))
        if kind != "hardliner" and draw(st.booleans()):
            strategy["deadline"] = "process"
        extra: dict[str, Any] = {
            "strategy": strategy,
            "linkage": draw(st.booleans()),
            # Parameters that play no part here still draw, and move every later draw
            # (risk acceptance is refused where, as here, nothing could use it).
            "capability": draw(number_or_uniform(0.0, 1.0)),
            "discount": draw(number_or_uniform(0.5, 1.0)),
            "delay_cost": draw(
                st.sampled_from([0.0, 0.001, {"dist": "uniform", "low": 0, "high": 0.01}])
            ),
        }
        if draw(st.booleans()):
            extra["no_deal"] = draw(number_or_uniform(0.0, 0.6))
        if draw(st.booleans()):
            extra["mandate"] = {
                # a mandate that softens or backs down at home is the engine's (eligible.py),
                # and under a fixed one an audience cost above 0 is refused; a distribution
                # pinned at 0 still draws
                "soften": 0.0,
                "audience_cost": draw(
                    st.sampled_from([0.0, {"dist": "uniform", "low": 0.0, "high": 0.0}])
                ),
            }
        actors[actor_id] = actor(actor_id.upper(), positions, **extra)
    names = list(issues)
    rounds = []
    for number in range(draw(st.integers(1, 2))):
        agenda = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        extra = {}
        if draw(st.booleans()):
            extra["first_proposer"] = "b"
        if draw(st.integers(0, 4)) == 0:
            extra["offers"] = "one_sided"
        rounds.append(
            one_round(
                ["a", "b"],
                agenda,
                hours=draw(st.sampled_from([0.5, 1, 3, 10])),
                round_id=f"r{number}",
                date=f"2022-01-{10 + 7 * number}",
                **extra,
            )
        )
    aftermath = {"days": draw(st.sampled_from([0, 10, 60]))}
    return build(issues, actors, rounds, aftermath=aftermath)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=eligible_scenarios(),
    seeds=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=6),
)
def test_kernel_consistency_with_the_engine_on_drawn_scenarios(
    scenario: sim.Scenario, seeds: list[int]
):
    """Every eligible scenario, any seeds: the kernel's rows are the engine's rows."""
    assert why_not(scenario) == []
    chunk = task(seeds)
    assert Kernel(scenario).play(chunk) == engine_rows(scenario, chunk)


def test_kernel_consistency_on_the_bilateral_job_quick():
    """The benchmark job on 40 batch seeds: the kernel's rows are the engine's."""
    scenario = sim.load_scenario(BILATERAL)
    chunk = task(run_seeds(0, 40))
    rows = Kernel(scenario).play(chunk)
    assert rows == engine_rows(scenario, chunk)
    assert {row["outcome"] for row in rows} >= {"agreement"}


@pytest.mark.slow
def test_kernel_consistency_on_the_bilateral_job_over_200_seeds():
    """The benchmark job on run seeds 0..199 and on a batch's 200 seeds: the engine's rows."""
    scenario = sim.load_scenario(BILATERAL)
    for seeds in (list(range(200)), run_seeds(7, 200)):
        chunk = task(seeds)
        assert Kernel(scenario).play(chunk) == engine_rows(scenario, chunk)


def test_runs_outside_the_array_rules_are_played_by_the_engine():
    """Runs whose drawn types the array rules do not cover go to the engine; rows still match.

    A's ideal on x (40) is no labelled point, so with its red line drawn below
    50 no point lies inside it: those runs are the engine's, the others the
    kernel's. A zero salience sends every run of the second scenario there.
    """
    issues = {
        "x": {"status_quo": 0, "divisible": False, "labels": {0: "none", 50: "half", 100: "all"}},
        "y": {"status_quo": 50},
    }
    line = {"dist": "uniform", "low": 20, "high": 60}
    scenario = build(
        issues,
        {
            "a": actor("A", {"x": position(40, line), "y": position(0, 70)}),
            "b": actor("B", {"x": position(100, 0), "y": position(100, 30)}),
        },
        [one_round(["a", "b"], ["x", "y"], hours=5)],
    )
    chunk = task(list(range(40)))
    kernel = Kernel(scenario)
    runs = Runs(kernel, kernel.draw([seed for _, seed in chunk]))
    assert 0 < runs.fallback.sum() < len(chunk)  # some runs each way
    assert kernel.play(chunk) == engine_rows(scenario, chunk)
    zero = scenario.with_overrides({"actors.a.positions.y.salience": 0.0})
    kernel = Kernel(zero)
    assert Runs(kernel, kernel.draw([1, 2])).fallback.all()
    assert kernel.play(task([1, 2])) == engine_rows(zero, task([1, 2]))


def test_an_ineligible_scenario_takes_the_engine_path(monkeypatch: pytest.MonkeyPatch):
    """Rubinstein's game (subgame-perfect players) is refused by the kernel and run by the engine."""
    scenario = sim.load_scenario(RUBINSTEIN)
    reasons = why_not(scenario)
    assert any("subgame_perfect" in reason for reason in reasons)
    assert kernel_for(scenario) is None
    played: list[int] = []

    def counting(scenario: sim.Scenario, chunk: list[tuple[int, int]]) -> list[dict[str, Any]]:
        played.extend(index for index, _ in chunk)
        return engine_rows(scenario, chunk)

    monkeypatch.setattr(runner, "engine_rows", counting)
    sim.run_batch(scenario, runs=5, seed=1)
    assert played == [0, 1, 2, 3, 4]
    played.clear()
    sim.run_batch(sim.load_scenario(BILATERAL), runs=5, seed=1)
    assert played == []  # the kernel played them all


def test_why_not_names_each_feature_outside_the_class():
    """Each feature that takes a scenario out of the class is named in words."""
    base = sim.load_scenario(BILATERAL)
    cases = {
        "actors.seller.strategy": ({"kind": "tit_for_tat"}, "seller plays tit_for_tat"),
        "actors.buyer.utility": ("quadratic", "buyer has a quadratic utility"),
        "actors.seller.breach": ({"penalty": 0.5}, "seller may breach agreements"),
        "actors.seller.mandate.soften": (0.5, "seller may revise its mandate at home"),
    }
    for path, (value, words) in cases.items():
        changed = base.with_overrides({path: value})
        assert any(words in reason for reason in why_not(changed)), (path, why_not(changed))


def test_a_field_the_kernel_was_not_written_for_sends_the_scenario_to_the_engine(monkeypatch):
    """Fields outside the judged lists (added to the format later) make a scenario ineligible."""
    from sim.batch import eligible

    base = sim.load_scenario(BILATERAL)
    assert why_not(base) == []
    monkeypatch.setattr(eligible, "ACTOR_FIELDS", eligible.ACTOR_FIELDS - {"strategy"})
    assert "seller sets strategy, which the kernel does not play" in why_not(base)


def frame_of(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as the batch frame holds them."""
    return pd.DataFrame.from_records(rows, columns=list(rows[0]))


@pytest.mark.slow
def test_kernel_batches_match_the_engine_serial_on_two_workers_and_on_dask():
    """run_batch on the bilateral job: serial, two processes and a local Dask cluster give the engine's rows."""
    pytest.importorskip("distributed")
    scenario = sim.load_scenario(BILATERAL)
    runs, seed = 200, 11
    expected = frame_of(engine_rows(scenario, task(run_seeds(seed, runs))))
    for options in ({"workers": 1}, {"workers": 2}, {"workers": 2, "dask": "local"}):
        frame = sim.run_batch(scenario, runs=runs, seed=seed, **options).frame
        pd.testing.assert_frame_equal(frame, expected, check_dtype=True)
    assert not math.isnan(expected["utility.seller"].iloc[0])


def test_sim_batch_files_are_the_same_bytes_with_and_without_the_kernel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    """`sim batch` on the bilateral job: runs.csv and summary.json byte-identical to the engine's."""
    argv = ["batch", str(BILATERAL), "-n", "60", "--seed", "3", "--out"]

    def no_engine(*args: object) -> None:
        raise AssertionError("the kernel should have played every run")

    with monkeypatch.context() as patch:
        patch.setattr(runner, "engine_rows", no_engine)
        code, _, err = call([*argv, str(tmp_path / "kernel")], capsys)
    assert code == 0, err
    monkeypatch.setattr(kernel_module, "kernel_for", lambda scenario: None)
    code, _, err = call([*argv, str(tmp_path / "engine")], capsys)
    assert code == 0, err
    for name in ("runs.csv", "summary.json"):
        kernel_bytes = (tmp_path / "kernel" / name).read_bytes()
        assert kernel_bytes == (tmp_path / "engine" / name).read_bytes(), name


def test_a_sweep_of_kernel_scenarios_gives_the_engine_rows(monkeypatch: pytest.MonkeyPatch):
    """Each point of a sweep is its own scenario; the kernel plays each as the engine would."""
    scenario = sim.load_scenario(BILATERAL)
    vary = {"actors.seller.strategy.exponent": [0.25, 2.0], "rounds.0.hours": [5, 20]}
    swept = sim.sweep(scenario, vary=vary, runs=12, seed=4)
    monkeypatch.setattr(kernel_module, "kernel_for", lambda scenario: None)
    pd.testing.assert_frame_equal(swept, sim.sweep(scenario, vary=vary, runs=12, seed=4))
    assert swept["outcome"].nunique() > 1 or swept["agreed.price"].nunique() > 1
