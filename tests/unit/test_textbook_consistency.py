"""Textbook scenarios whose engine run follows a formula the engine itself implements.

These are consistency checks, not literature checks: the subgame_perfect strategy
computes Rubinstein's formula, so a run that plays it shows the engine carries the
formula through offers and acceptance. The literature checks are in tests/published/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim

ROOT = Path(__file__).resolve().parents[2]
TEXTBOOK = ROOT / "scenarios" / "textbook"


def load(name: str) -> sim.Scenario:
    return sim.load_scenario(TEXTBOOK / f"{name}.yaml")


@settings(max_examples=40, deadline=None)
@given(
    first=st.floats(min_value=0.01, max_value=0.99),
    second=st.floats(min_value=0.01, max_value=0.99),
)
def test_subgame_perfect_strategy_plays_rubinsteins_formula_consistency(
    first: float, second: float
) -> None:
    """Consistency: the subgame_perfect strategy, which computes Rubinstein's (1982) share
    (1 - d2)/(1 - d1 d2), makes the engine agree on it at once.

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


def test_ultimatum_subgame_perfect_proposer_keeps_the_pie_consistency() -> None:
    """Consistency: with one offer left the subgame_perfect strategy demands everything (its
    backward-induction formula) and the responder accepts."""
    result = sim.run(load("ultimatum"), seed=1)
    assert result.outcome.outcome_class == "agreement"
    assert result.outcome.utilities["proposer"] == pytest.approx(1.0, abs=1e-6)
    assert result.outcome.utilities["responder"] == pytest.approx(0.0, abs=1e-6)


def test_patient_linear_split_matches_the_analysis_nash_solution_consistency() -> None:
    """Consistency: on a linear pie Rubinstein's share with delta = 0.999 is within 1e-3 of
    the Nash solution that :func:`sim.analysis.analyze` finds, so the simulated split (the
    strategy's formula) and the analysis agree. The literature check on a curved frontier,
    where the two are computed differently, is tests/published/test_binmore1986.py."""
    scenario = load("nash_bargaining")
    nash = sim.analyze(scenario).bargaining
    assert nash is not None and nash.nash is not None
    result = sim.run(scenario, seed=1)
    assert result.outcome.outcome_class == "agreement"
    assert result.outcome.utilities["a"] == pytest.approx(nash.nash.utilities[0], abs=1e-3)
    assert result.outcome.utilities["b"] == pytest.approx(nash.nash.utilities[1], abs=1e-3)


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
