"""Fearon (1995), International Organization 49(3): rationalist explanations for war.

Published results checked: (1) with complete information and costly war a
bargaining range always exists; (2) with private information about the
responder's cost, a proposer's optimal take-it-or-leave-it demand risks war
with positive probability (the risk-return trade-off, pp. 395–401), here in
closed form for c_B ~ U[lo, hi], checked against Monte Carlo; (3) mutual
optimism and commitment problems make war rational.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sim.analysis.fearon import (
    acceptance_probability,
    bargaining_range,
    commitment_problem,
    mutual_optimism,
    take_it_or_leave_it,
)

unit = st.floats(min_value=0.0, max_value=1.0)


@given(unit, unit, unit)
def test_complete_information_range_is_never_empty_when_war_is_costly(
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
def test_no_mutual_optimism_under_common_beliefs(p: float, cost_a: float, cost_b: float) -> None:
    """With the same p on both sides, optimism cannot close the range."""
    assert not mutual_optimism(p, cost_a, p, cost_b)


@pytest.mark.parametrize(
    ("p", "cost_a", "low", "high"),
    [(0.5, 0.1, 0.0, 0.5), (0.3, 0.0, 0.05, 0.6), (0.6, 0.05, 0.1, 0.3), (0.2, 0.2, 0.0, 0.8)],
)
def test_take_it_or_leave_it_war_probability_matches_monte_carlo(
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
def test_the_closed_form_demand_is_optimal(
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
def test_war_needs_uncertainty(p: float, cost: float) -> None:
    """Complete information (lo = hi): the proposer never risks war."""
    assert take_it_or_leave_it(p, 0.1, cost, cost).war_probability == 0.0


def test_mutual_optimism_russia_example() -> None:
    """DOMAIN.md: Russia believes p_R = 0.8, the West p_W = 0.5, costs 0.1: 0.7 > 0.6."""
    assert mutual_optimism(0.8, 0.1, 0.5, 0.1)


def test_commitment_problem_preventive_war() -> None:
    """δ(p1 − p2) > 1 − p1 + c: steep decline makes war rational, a mild one does not."""
    assert commitment_problem(delta=0.95, p_now=0.8, p_later=0.2, cost=0.1)
    assert not commitment_problem(delta=0.95, p_now=0.8, p_later=0.7, cost=0.1)
