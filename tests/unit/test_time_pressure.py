"""Costs of delay: the bargaining range opens with time, and earlier when delay costs more.

Consistency test of the engine against the closed form the scenario's header
derives: each side's reservation is 0.6 - k t, so a range opens on day
t* = 0.1 / k and the first weekly round on or after t* ends in agreement.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import sim

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "costly_delay.yaml"
COSTS = [0.0025, 0.004, 0.006, 0.011, 0.02]


def agreed_round(cost: float) -> int | None:
    scenario = sim.load_scenario(SCENARIO).with_overrides(
        {"actors.a.delay_cost": cost, "actors.b.delay_cost": cost}
    )
    agreement = sim.run(scenario, seed=1).outcome.agreed["territory"]
    if agreement is None:
        return None
    return [r.id for r in scenario.rounds].index(agreement.round) + 1


@pytest.mark.parametrize("cost", COSTS)
def test_agreement_comes_in_the_first_week_the_range_is_open(cost: float) -> None:
    expected = math.ceil(0.1 / cost / 7) + 1  # rounds meet on days 0, 7, 14, ...
    assert agreed_round(cost) == expected


def test_agreement_comes_after_the_first_round_and_earlier_as_delay_costs_rise() -> None:
    rounds = [agreed_round(cost) for cost in COSTS]
    assert all(r is not None and r > 1 for r in rounds)
    assert rounds == sorted(rounds, reverse=True) and len(set(rounds)) == len(rounds)


def test_without_costs_of_delay_mutual_optimism_ends_in_war() -> None:
    scenario = sim.load_scenario(SCENARIO).with_overrides(
        {"actors.a.delay_cost": 0.0, "actors.b.delay_cost": 0.0}
    )
    assert sim.run(scenario, seed=1).outcome.outcome_class == "war"
