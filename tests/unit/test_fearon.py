"""Fearon's bargaining range, mutual optimism, risk-return trade-off, commitment problems."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from builders import build, one_round
from hypothesis import assume, given
from hypothesis import strategies as st

from sim.analysis.fearon import (
    acceptance_probability,
    bargaining_range,
    commitment_problem,
    fearon_pairs,
    mutual_optimism,
    take_it_or_leave_it,
)
from sim.scenario.schema import Scenario


def test_bargaining_range_is_p_minus_cost_a_to_p_plus_cost_b() -> None:
    r = bargaining_range(0.6, 0.1, 0.2)
    assert (r.low, r.high) == pytest.approx((0.5, 0.8))
    assert r.width == pytest.approx(0.3) and not r.empty
    assert r.clipped == pytest.approx((0.5, 0.8))


def test_bargaining_range_is_clipped_to_the_issue() -> None:
    r = bargaining_range(0.95, 0.0, 0.3)
    assert r.clipped == pytest.approx((0.95, 1.0))


def test_costless_war_leaves_a_single_point() -> None:
    r = bargaining_range(0.4, 0.0, 0.0)
    assert r.clipped == (0.4, 0.4) and r.width == 0.0


def test_mutual_optimism() -> None:
    # Russia believes it wins with 0.8; the West thinks 0.5; costs 0.1 each.
    assert mutual_optimism(0.8, 0.1, 0.5, 0.1)
    assert not mutual_optimism(0.6, 0.1, 0.5, 0.1)


def test_acceptance_probability_is_the_uniform_tail() -> None:
    assert acceptance_probability(0.55, 0.5, 0.0, 0.2) == pytest.approx(0.75)
    assert acceptance_probability(0.5, 0.5, 0.1, 0.2) == 1.0
    assert acceptance_probability(0.9, 0.5, 0.1, 0.2) == 0.0


def test_take_it_or_leave_it_interior_optimum() -> None:
    """p = 0.5, c_A = 0.1, c_B ~ U[0, 0.5]: k* = 0.2, P(war) = 0.4 (exact)."""
    result = take_it_or_leave_it(0.5, 0.1, 0.0, 0.5)
    assert result.offer == pytest.approx(0.7)
    assert result.war_probability == pytest.approx(0.4)
    assert result.expected_utility == pytest.approx(0.7 * 0.6 + 0.4 * 0.4)


def test_take_it_or_leave_it_safe_offer_when_costs_are_surely_high() -> None:
    result = take_it_or_leave_it(0.5, 0.3, 0.2, 0.4)  # (hi − c_A)/2 = 0.05 < lo
    assert result.offer == pytest.approx(0.7) and result.war_probability == 0.0


def test_take_it_or_leave_it_complete_information_never_fights() -> None:
    result = take_it_or_leave_it(0.3, 0.1, 0.25, 0.25)
    assert result.offer == pytest.approx(0.55) and result.war_probability == 0.0


def test_take_it_or_leave_it_cannot_demand_more_than_everything() -> None:
    result = take_it_or_leave_it(0.9, 0.0, 0.0, 0.6)  # k° = 0.3 > 1 − p = 0.1
    assert result.offer == pytest.approx(1.0)
    assert result.war_probability == pytest.approx(1 / 6)


def test_take_it_or_leave_it_rejects_reversed_bounds() -> None:
    with pytest.raises(ValueError):
        take_it_or_leave_it(0.5, 0.1, 0.4, 0.2)


def test_commitment_problem() -> None:
    # Win probability falls from 0.9 to 0.3; cost 0.05; delta 0.9: 0.54 > 0.15.
    assert commitment_problem(0.9, 0.9, 0.3, 0.05)
    assert not commitment_problem(0.9, 0.6, 0.5, 0.1)


def scenario(actors: dict[str, Any]) -> Scenario:
    rounds = [one_round(list(actors)[:2], ["x"], hours=1)]
    return build({"x": {"status_quo": 50}}, actors, rounds, name="fearon")


def test_fearon_pairs_target_without_war_option_shares_the_belief() -> None:
    s = scenario(
        {
            "russia": {
                "name": "Russia",
                "war": {
                    "against": "ukraine",
                    "win_probability": 0.8,
                    "cost": {"dist": "uniform", "low": 0.1, "high": 0.3},
                },
            },
            "ukraine": {"name": "Ukraine"},
        }
    )
    (pair,) = fearon_pairs(s)
    assert (pair.actor, pair.target, pair.target_has_war) == ("russia", "ukraine", False)
    assert pair.cost == pytest.approx(0.2)  # distribution mean
    assert pair.target_p == pytest.approx(0.2) and pair.target_cost == 0.0
    assert pair.war_value == pytest.approx(0.6)
    assert pair.range == pytest.approx((0.6, 0.8))
    assert not pair.empty and not pair.mutual_optimism


def test_fearon_pairs_mutual_war_options_can_be_optimistic() -> None:
    s = scenario(
        {
            "russia": {
                "name": "Russia",
                "war": {"against": "west", "win_probability": 0.8, "cost": 0.1},
            },
            "west": {
                "name": "West",
                "war": {"against": "russia", "win_probability": 0.6, "cost": 0.05},
            },
        }
    )
    russia, west = fearon_pairs(s)
    assert russia.target_has_war and west.target_has_war
    # Russia needs 0.7; the West concedes at most 1 − 0.6 + 0.05 = 0.45.
    assert russia.range == pytest.approx((0.7, 0.45))
    assert russia.empty and russia.mutual_optimism
    assert west.empty and west.mutual_optimism


def test_fearon_pairs_target_cost_from_its_war_against_someone_else() -> None:
    s = scenario(
        {
            "a": {"name": "A", "war": {"against": "b", "win_probability": 0.5, "cost": 0.1}},
            "b": {"name": "B", "war": {"against": "c", "win_probability": 0.7, "cost": 0.15}},
            "c": {"name": "C"},
        }
    )
    pair = fearon_pairs(s)[0]
    assert not pair.target_has_war
    assert pair.target_p == pytest.approx(0.5) and pair.target_cost == pytest.approx(0.15)


def test_war_odds_default_to_the_capability_share() -> None:
    """Without declared odds, p = c_self / (c_self + c_target), in the model and in the analysis."""
    from builders import actor, build, position

    from sim.analysis.fearon import fearon_pairs
    from sim.model.model import NegotiationModel

    scenario = build(
        {"land": {"status_quo": 0}},
        {
            "a": actor(
                "A",
                {"land": position(100, 10)},
                capability=0.6,
                war={"against": "b", "cost": 0.1},
            ),
            "b": actor("B", {"land": position(0, 100)}, capability=0.2),
        },
    )
    model = NegotiationModel(scenario, rng=1)
    war = model.actors["a"].war
    assert war is not None
    assert war.win_probability == pytest.approx(0.6 / (0.6 + 0.2))
    (pair,) = fearon_pairs(scenario)
    assert pair.p == pytest.approx(0.75)


# ------------------------------------------- closed forms against themselves (consistency)

unit = st.floats(min_value=0.0, max_value=1.0)


@given(unit, unit, unit)
def test_bargaining_range_width_is_the_sum_of_costs_consistency(
    p: float, cost_a: float, cost_b: float
) -> None:
    """c_A + c_B > 0 → some x in [0, 1] is at least as good as war for both."""
    assume(cost_a + cost_b > 0)
    r = bargaining_range(p, cost_a, cost_b)
    assert not r.empty
    assert r.width == pytest.approx(cost_a + cost_b)
    assert r.clipped is not None
    for x in r.clipped:
        assert x >= p - cost_a - 1e-12  # A: x at least its war value
        assert 1 - x >= 1 - p - cost_b - 1e-12  # B: 1 − x at least its war value


@given(unit, st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_no_mutual_optimism_under_common_beliefs_consistency(
    p: float, cost_a: float, cost_b: float
) -> None:
    """With the same p on both sides, optimism cannot close the range."""
    assert not mutual_optimism(p, cost_a, p, cost_b)


@pytest.mark.parametrize(
    ("p", "cost_a", "low", "high"),
    [(0.5, 0.1, 0.0, 0.5), (0.3, 0.0, 0.05, 0.6), (0.6, 0.05, 0.1, 0.3), (0.2, 0.2, 0.0, 0.8)],
)
def test_take_it_or_leave_it_war_probability_matches_its_sampling_consistency(
    p: float, cost_a: float, low: float, high: float
) -> None:
    """P(war) = max(0, hi − c_A − 2·lo)/(2(hi − lo)) vs 200,000 seeded draws (4 s.e.)."""
    result = take_it_or_leave_it(p, cost_a, low, high)
    expected = max(0.0, high - cost_a - 2 * low) / (2 * (high - low))
    assert result.war_probability == pytest.approx(expected, abs=1e-12)

    rng = np.random.default_rng(1995)
    n = 200_000
    cost_b = rng.uniform(low, high, n)
    war = (1 - result.offer) < (1 - p - cost_b)  # B prefers fighting to its share
    share = war.mean()
    standard_error = math.sqrt(max(expected * (1 - expected), 1e-12) / n)
    assert abs(share - expected) <= 4 * standard_error
    # And A's expected utility from the same draws.
    simulated = np.where(war, p - cost_a, result.offer).mean()
    assert simulated == pytest.approx(result.expected_utility, abs=4 * 1.0 / math.sqrt(n))


@given(unit, st.floats(0.0, 0.5), st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_the_closed_form_demand_beats_a_grid_consistency(
    p: float, cost_a: float, low: float, spread: float
) -> None:
    """No demand on a 2001-point grid of [0, 1] beats the closed-form one (tolerance 1e-12)."""
    high = low + spread
    best = take_it_or_leave_it(p, cost_a, low, high)
    grid = np.linspace(0.0, 1.0, 2001)
    for x in grid:
        accept = acceptance_probability(float(x), p, low, high)
        value = x * accept + (p - cost_a) * (1 - accept)
        assert value <= best.expected_utility + 1e-12


@given(st.floats(0.0, 1.0), st.floats(0.0, 0.3))
def test_war_needs_uncertainty_consistency(p: float, cost: float) -> None:
    """Complete information (lo = hi): the proposer never risks war."""
    assert take_it_or_leave_it(p, 0.1, cost, cost).war_probability == 0.0


def test_mutual_optimism_example_consistency() -> None:
    """Russia believes it wins with p_R = 0.8, the West believes p_W = 0.5, costs 0.1 each:
    Russia's war value 0.7 exceeds the 0.6 the West would concede, so the range is empty."""
    assert mutual_optimism(0.8, 0.1, 0.5, 0.1)


def test_commitment_problem_preventive_war_consistency() -> None:
    """δ(p1 − p2) > 1 − p1 + c: steep decline makes war rational, a mild one does not."""
    assert commitment_problem(delta=0.95, p_now=0.8, p_later=0.2, cost=0.1)
    assert not commitment_problem(delta=0.95, p_now=0.8, p_later=0.7, cost=0.1)
