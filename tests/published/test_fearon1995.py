"""Fearon (1995), International Organization 49(3): rationalist explanations for war.

Published results checked on engine runs of the shipped textbook scenarios:
(1) with complete information and costly war a bargaining range always exists,
so rational states agree and do not fight (pp. 386-390); (2) with private
information, war happens when the sides' estimates of the war's outcome are
mutually optimistic: A fights when its war value exceeds the most B will give it
given B's belief (pp. 390-401). The closed forms of the analysis module (bargaining
range, take-it-or-leave-it demand, commitment problem) are checked against their
own formulas in tests/unit/test_fearon.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import sim

TEXTBOOK = Path(__file__).resolve().parents[2] / "scenarios" / "textbook"


def load(name: str) -> sim.Scenario:
    return sim.load_scenario(TEXTBOOK / f"{name}.yaml")


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
