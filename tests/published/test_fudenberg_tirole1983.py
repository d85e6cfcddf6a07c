"""Fudenberg & Tirole (1983), "Sequential bargaining with incomplete information", RES 50(2).

Two periods, the seller makes both offers, the buyer's value is v_H with
probability pi or v_L (privately known), both discount a period by delta. Where
pi * v_H > v_L and skimming beats the high type's mixing, the perfect Bayesian
equilibrium is: p1 = (1 - delta) v_H + delta v_L (the high type is indifferent
between buying now and at p2), p2 = v_L, and the first offer is rejected with
probability 1 - pi (the low type waits). Textbook form: Fudenberg & Tirole,
Game Theory (1991), section 10.2.1.

The engine's seller is a strategic proposer with the scenario's prior; the
buyer a strategic responder who knows the seller's strategy. The test runs the
engine and compares offers and the frequency of delay with the equilibrium.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import sim

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "screening.yaml"
RUNS = 1500


def skimming_equilibrium(
    v_high: float, v_low: float, pi: float, delta: float
) -> tuple[float, float, float]:
    """(p1, p2, P(delay)) of the pure skimming equilibrium."""
    return (1 - delta) * v_high + delta * v_low, v_low, 1 - pi


def mixing_beats_skimming(v_high: float, v_low: float, pi: float, delta: float) -> bool:
    """Whether the seller would rather ask v_H twice while the high type mixes."""
    mass = (pi * v_high - v_low) / (v_high - v_low)  # high types buying at once
    return mass * (v_high - delta * v_low) > pi * (1 - delta) * v_high


@pytest.mark.slow
@pytest.mark.parametrize(
    ("v_high", "v_low", "pi", "delta"),
    [(1.0, 0.5, 0.6, 0.5), (0.9, 0.3, 0.5, 0.4), (1.0, 0.6, 0.7, 0.3)],
)
def test_seller_skims_as_in_the_perfect_bayesian_equilibrium(
    v_high: float, v_low: float, pi: float, delta: float
) -> None:
    assert pi * v_high > v_low and not mixing_beats_skimming(v_high, v_low, pi, delta)
    scenario = sim.load_scenario(SCENARIO).with_overrides(
        {
            "actors.seller.discount": delta,
            "actors.buyer.discount": delta,
            "actors.buyer.positions.price.red_line": {
                "dist": "choice",
                "values": [v_high, v_low],
                "probs": [pi, round(1 - pi, 10)],
            },
        }
    )
    p1, p2, p_delay = skimming_equilibrium(v_high, v_low, pi, delta)
    firsts, seconds, delays = [], [], 0
    for seed in range(RUNS):
        result = sim.run(scenario, seed=seed)
        offers = [e.package["price"] for e in result.transcript if e.kind == "offer"]
        firsts.append(offers[0])
        if len(offers) > 1:
            delays += 1
            seconds.append(offers[1])
    assert max(abs(x - p1) for x in firsts) <= 0.01
    assert seconds and max(abs(x - p2) for x in seconds) <= 0.01
    se = math.sqrt(p_delay * (1 - p_delay) / RUNS)
    assert abs(delays / RUNS - p_delay) <= 3 * se, (delays / RUNS, p_delay)
