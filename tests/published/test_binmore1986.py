"""Binmore, Rubinstein & Wolinsky (1986), RAND Journal of Economics 17(2), 176–188.

As the players grow patient (δ → 1), the subgame-perfect agreement of Rubinstein's
alternating-offers game tends to the Nash bargaining solution, for concave
utilities too. The engine plays ``scenarios/textbook/nash_curved.yaml``: A's
utility is linear, B's a quadratic loss, so the frontier is u_B = 1 − u_A² and
Nash's solution (by hand: maximise u_A·(1 − u_A²)) is (1/√3, 2/3). The
subgame-perfect strategies solve the equilibrium for their actual utilities;
the simulated split must be within 0.01 of Nash at δ = 0.999.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import sim

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "nash_curved.yaml"
NASH = (1 / math.sqrt(3), 2 / 3)


def split(delta: float) -> tuple[float, float]:
    """The agreed utilities of A and B when both discount by ``delta``."""
    scenario = sim.load_scenario(SCENARIO).with_overrides(
        {"actors.a.discount": delta, "actors.b.discount": delta}
    )
    result = sim.run(scenario, seed=1)
    assert result.outcome.outcome_class == "agreement"
    agreement = result.outcome.agreed["pie"]
    assert agreement is not None and agreement.exchange == 1  # agreement is immediate
    return result.outcome.utilities["a"], result.outcome.utilities["b"]


def test_patient_bargainers_reach_the_nash_solution_on_a_curved_frontier() -> None:
    """δ = 0.999: the simulated split is within 0.01 of (1/√3, 2/3)."""
    assert split(0.999) == pytest.approx(NASH, abs=0.01)


def test_impatience_keeps_the_split_away_from_nash() -> None:
    """δ = 0.8: the first proposer gains by moving first, so the split is further from Nash
    than at δ = 0.999, and A gets more than its Nash utility."""
    patient, impatient = split(0.999), split(0.8)
    assert impatient[0] > NASH[0] + 0.05
    assert abs(impatient[0] - NASH[0]) > abs(patient[0] - NASH[0])
