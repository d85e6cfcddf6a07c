"""The shipped textbook scenarios, simulated, against their closed-form answers.

Each test runs the engine on a file in ``scenarios/textbook/`` and compares
what the simulation produced with the formula computed independently (by
:mod:`sim.analysis` or by hand from the scenario's own numbers).
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.analysis.games import mixed_equilibrium_probability

ROOT = Path(__file__).resolve().parents[2]
TEXTBOOK = ROOT / "scenarios" / "textbook"


def load(name: str) -> sim.Scenario:
    return sim.load_scenario(TEXTBOOK / f"{name}.yaml")


@settings(max_examples=40, deadline=None)
@given(
    first=st.floats(min_value=0.01, max_value=0.99),
    second=st.floats(min_value=0.01, max_value=0.99),
)
def test_rubinstein_first_proposer_share(first: float, second: float) -> None:
    """Rubinstein (1982): first proposer's share is (1 - d2)/(1 - d1 d2), agreed at once.

    Tolerance 1e-3 on the share (the offer is found by bisection on positions).
    """
    scenario = load("rubinstein").with_overrides(
        {"actors.first.discount": first, "actors.second.discount": second}
    )
    result = sim.run(scenario, seed=1)
    expected = (1 - second) / (1 - first * second)
    agreement = result.outcome.agreed["pie"]
    assert agreement is not None and agreement.exchange == 1
    assert result.outcome.utilities["first"] == pytest.approx(expected, abs=1e-3)
    assert result.outcome.utilities["second"] == pytest.approx(1 - expected, abs=1e-3)


def test_ultimatum_proposer_keeps_the_pie() -> None:
    """One offer left: the subgame-perfect proposer keeps everything and it is accepted."""
    result = sim.run(load("ultimatum"), seed=1)
    assert result.outcome.outcome_class == "agreement"
    assert result.outcome.utilities["proposer"] == pytest.approx(1.0, abs=1e-6)
    assert result.outcome.utilities["responder"] == pytest.approx(0.0, abs=1e-6)


def test_patient_bargainers_reach_the_nash_bargaining_solution() -> None:
    """Nash (1950) via Binmore-Rubinstein-Wolinsky: with delta = 0.999 the split is the NBS.

    The NBS comes from :func:`sim.analysis.analyze` (grid search over the pie);
    the simulated utilities must match it within 1e-3.
    """
    scenario = load("nash_bargaining")
    nash = sim.analyze(scenario).bargaining
    assert nash is not None and nash.nash is not None
    result = sim.run(scenario, seed=1)
    assert result.outcome.outcome_class == "agreement"
    assert result.outcome.utilities["a"] == pytest.approx(nash.nash.utilities[0], abs=1e-3)
    assert result.outcome.utilities["b"] == pytest.approx(nash.nash.utilities[1], abs=1e-3)


@pytest.mark.slow
def test_complete_information_never_leads_to_war() -> None:
    """Fearon (1995): complete information, a divisible issue -> no war in 1,000 runs."""
    scenario = load("fearon_complete_information")
    classes = [
        sim.run(scenario, seed=seed, transcript=False).outcome.outcome_class for seed in range(1000)
    ]
    assert classes.count("war") == 0
    assert classes.count("agreement") == 1000


@pytest.mark.slow
def test_private_information_war_frequency_matches_mutual_optimism() -> None:
    """Fearon (1995): with A's odds private, war iff p_A - c_A > p_B' + c_B (mutual optimism).

    B believes A wins with p_B' and will give A at most p_B' + c_B; A fights when its
    war value p_A - c_A exceeds that. With p_A ~ U(lo, hi) the war probability is
    (hi - t) / (hi - lo) for t = p_B' + c_A + c_B. 1,000 runs: within 3 standard errors.
    """
    scenario = load("fearon_private_information")
    a, b = scenario.actors["a"], scenario.actors["b"]
    assert a.war is not None and b.war is not None
    low, high = a.war.win_probability.low, a.war.win_probability.high  # type: ignore[union-attr]
    threshold = b.beliefs["a"].win_probability + a.war.cost + b.war.cost  # type: ignore[operator]
    expected = (high - threshold) / (high - low)
    runs = 1000
    wars = sum(
        sim.run(scenario, seed=seed, transcript=False).outcome.outcome_class == "war"
        for seed in range(runs)
    )
    standard_error = math.sqrt(expected * (1 - expected) / runs)
    assert abs(wars / runs - expected) < 3 * standard_error, (wars / runs, expected)


@pytest.mark.slow
def test_chicken_population_settles_at_the_mixed_equilibrium() -> None:
    """Chicken as hawk-dove: the population's share of 'straight' approaches nashpy's mixed NE.

    Over 10 seeds, the mean share over each run's second half is within 0.01 of the
    equilibrium probability and every seed within 0.03 (sampling noise of 400 players).
    """
    scenario = load("chicken")
    game = sim.analyze(scenario).games["standoff"].game
    expected = mixed_equilibrium_probability(game, "straight")
    assert expected is not None
    shares = []
    for seed in range(10):
        history = sim.run(scenario, seed=seed, transcript=False).forecasts["standoff"]
        late = [row["share_straight"] for row in history[len(history) // 2 :]]
        shares.append(statistics.mean(late))
    assert statistics.mean(shares) == pytest.approx(expected, abs=0.01)
    assert all(abs(share - expected) < 0.03 for share in shares), shares


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_analyze_baseline_explains_the_deadlock() -> None:
    """`sim analyze` on the baseline: no ZOPA on enlargement and force posture, one on missiles."""
    done = cli("analyze", "scenarios/january_2022.yaml")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for issue in ("enlargement", "force_posture"):
        assert any(line.startswith(f"  {issue}: NO ZOPA") for line in lines), issue
    for issue in ("missiles", "exercises"):
        assert any(line.startswith(f"  {issue}: ZOPA ") for line in lines), issue


def test_ec_emissions_run_reports_every_round() -> None:
    """`sim run ec_emissions --json` reports the median and mean of every model round."""
    import json

    done = cli("run", "scenarios/forecasting/ec_emissions.yaml", "--json")
    assert done.returncode == 0, done.stderr
    history = next(iter(json.loads(done.stdout)["forecasts"].values()))
    scenario = sim.load_scenario(ROOT / "scenarios" / "forecasting" / "ec_emissions.yaml")
    assert [row["round"] for row in history] == list(range(scenario.rounds[0].exchanges + 1))
    assert round(history[0]["emission_standards.median"], 1) == 7.0
    assert round(history[0]["emission_standards.mean"], 2) == 7.39
    assert round(history[1]["emission_standards.median"], 1) == 8.4
    assert all("emission_standards.mean" in row for row in history)
