"""Maynard Smith & Price (1973), Nature 246, 15-18: hawk-dove, the game of chicken.

In a symmetric anti-coordination game a population settles at the mixed
equilibrium, the evolutionarily stable mix: each action then earns the same.
With payoffs ``P[own][other]`` over (swerve, straight), indifference against a
population playing straight with probability q gives
``q = (P[straight][swerve] − P[swerve][swerve]) /
((P[straight][swerve] − P[swerve][swerve]) + (P[swerve][straight] − P[straight][straight]))``,
1/10 for the shipped chicken payoffs. Players in the engine learn by Schlag's
(1998, Journal of Economic Theory 78) proportional imitation, whose mean
dynamics are the replicator dynamics with that rest point.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

import sim

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "chicken.yaml"


@pytest.mark.slow
def test_chicken_population_settles_at_the_mixed_equilibrium() -> None:
    """Over 10 seeds the mean share of 'straight' over each run's second half is within 0.01
    of the hand-computed equilibrium and every seed within 0.03 (400 players' noise)."""
    scenario = sim.load_scenario(SCENARIO)
    game = scenario.rounds[0].game
    assert game is not None and list(game.actions) == ["swerve", "straight"]
    (swerve_swerve, swerve_straight), (straight_swerve, straight_straight) = game.payoffs
    gain = straight_swerve - swerve_swerve  # going straight against one who swerves
    loss = swerve_straight - straight_straight  # swerving against one who goes straight
    expected = gain / (gain + loss)
    assert expected == pytest.approx(0.1)
    shares = []
    for seed in range(10):
        history = sim.run(scenario, seed=seed, transcript=False).forecasts["standoff"]
        late = [row["share_straight"] for row in history[len(history) // 2 :]]
        shares.append(statistics.mean(late))
    assert statistics.mean(shares) == pytest.approx(expected, abs=0.01)
    assert all(abs(share - expected) < 0.03 for share in shares), shares
