"""Fearon (1995), "Rationalist explanations for war", International Organization 49(3).

Private information and the risk-return trade-off: A makes one take-it-or-leave-it
demand x of an issue in [0, 1]; B, whose cost of war c_B ~ U[0, c_bar] is
private, accepts when 1 - x >= 1 - p - c_B. A's optimal demand is
x* = p + (c_bar - c_A) / 2, clipped to [p, min(1, p + c_bar)], and war follows
with probability (x* - p) / c_bar (Fearon 1995, pp. 395-397, with uniform
costs). The engine's strategic proposer is given only its belief (the
scenario's distribution of c_B) and chooses its demand itself; the test runs
the engine and compares with the formula.

Known difference: the proposer's belief holds 64 quantiles of the prior, so its
demand sits on a quantile, at most one quantile step (c_bar / 63) from x*,
inside the 0.01 tolerance.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import sim

SCENARIO = (
    Path(__file__).resolve().parents[2]
    / "scenarios"
    / "textbook"
    / "fearon_take_it_or_leave_it.yaml"
)
RUNS = 600


def fearon_optimum(p: float, cost_a: float, c_bar: float) -> tuple[float, float]:
    """Fearon's optimal demand x* and the probability of war it brings (uniform c_B)."""
    x = p + (c_bar - cost_a) / 2
    x = min(max(x, p), min(1.0, p + c_bar))
    return x, (x - p) / c_bar


GRID = [
    (0.6, 0.1, 0.3),  # interior: x* = 0.7, P(war) = 1/3
    (0.5, 0.05, 0.4),  # interior: x* = 0.675
    (0.3, 0.0, 0.2),  # interior at the top of the range: x* = 0.4, P(war) = 1/2
    (0.6, 0.3, 0.2),  # corner: c_A >= c_bar, x* = p and war never pays
    (0.9, 0.0, 0.4),  # corner: x* would exceed 1; A demands everything
]


@pytest.mark.slow
@pytest.mark.parametrize(("p", "cost_a", "c_bar"), GRID)
def test_strategic_proposer_finds_fearons_demand_and_war_risk(
    p: float, cost_a: float, c_bar: float
) -> None:
    scenario = sim.load_scenario(SCENARIO).with_overrides(
        {
            "actors.a.war.win_probability": p,
            "actors.a.war.cost": cost_a,
            "actors.b.war.win_probability": round(1 - p, 10),
            "actors.b.war.cost": {"dist": "uniform", "low": 0.0, "high": c_bar},
        }
    )
    demands, wars = [], 0
    for seed in range(RUNS):
        result = sim.run(scenario, seed=seed)
        offers = [e.package["territory"] for e in result.transcript if e.kind == "offer"]
        assert len(offers) == 1
        demands.append(offers[0])
        wars += result.outcome.outcome_class == "war"
    x_star, p_war = fearon_optimum(p, cost_a, c_bar)
    assert sum(demands) / RUNS == pytest.approx(x_star, abs=0.01)
    se = math.sqrt(max(p_war * (1 - p_war), 1 / RUNS) / RUNS)
    assert abs(wars / RUNS - p_war) <= 3 * se, (wars / RUNS, p_war, se)
